"""How big each synthetic data set is, and the proportions it follows.

Proportions from the papers in the product brief: Stockholm has about 7,300 people a month in the target
groups and 350–370 new referrals a month, spread over five Jobbtorg of different size, Järva holding about
30 % (the district weights of the demo city, `demo.seed.UNITS`, follow the 2007 decision). The national set
is about 150,000 participants a year across many municipalities (their real names and municipality codes;
their sizes are rough population weights, in thousands, not official figures).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    code: str
    weight: int  # ~ population in thousands; shares participants, providers, employers


@dataclass(frozen=True)
class Scale:
    name: str
    months: int  # length of the history, ending today
    new_per_month: int  # new referrals a month, all municipalities together
    municipalities: tuple[MunicipalitySpec, ...]
    employers: int
    vacancies: int
    description: str

    @property
    def participants(self) -> int:
        return self.months * self.new_per_month


STOCKHOLM = MunicipalitySpec("Stockholm", "0180", 980)

# The larger Swedish municipalities (name, official code, population in thousands, rounded).
SWEDEN: tuple[MunicipalitySpec, ...] = (
    STOCKHOLM,
    MunicipalitySpec("Göteborg", "1480", 600),
    MunicipalitySpec("Malmö", "1280", 360),
    MunicipalitySpec("Uppsala", "0380", 245),
    MunicipalitySpec("Linköping", "0580", 167),
    MunicipalitySpec("Örebro", "1880", 160),
    MunicipalitySpec("Västerås", "1980", 158),
    MunicipalitySpec("Helsingborg", "1283", 152),
    MunicipalitySpec("Norrköping", "0581", 145),
    MunicipalitySpec("Jönköping", "0680", 145),
    MunicipalitySpec("Umeå", "2480", 132),
    MunicipalitySpec("Lund", "1281", 128),
    MunicipalitySpec("Huddinge", "0126", 115),
    MunicipalitySpec("Borås", "1490", 115),
    MunicipalitySpec("Nacka", "0182", 108),
    MunicipalitySpec("Eskilstuna", "0484", 107),
    MunicipalitySpec("Gävle", "2180", 103),
    MunicipalitySpec("Södertälje", "0181", 101),
    MunicipalitySpec("Halmstad", "1380", 104),
    MunicipalitySpec("Karlstad", "1780", 95),
    MunicipalitySpec("Växjö", "0780", 97),
    MunicipalitySpec("Botkyrka", "0127", 95),
    MunicipalitySpec("Sundsvall", "2281", 99),
    MunicipalitySpec("Luleå", "2580", 79),
    MunicipalitySpec("Haninge", "0136", 97),
    MunicipalitySpec("Kungsbacka", "1384", 85),
    MunicipalitySpec("Järfälla", "0123", 85),
    MunicipalitySpec("Trollhättan", "1488", 60),
    MunicipalitySpec("Östersund", "2380", 64),
    MunicipalitySpec("Kristianstad", "1290", 87),
    MunicipalitySpec("Solna", "0184", 85),
    MunicipalitySpec("Skellefteå", "2482", 75),
    MunicipalitySpec("Kalmar", "0880", 71),
    MunicipalitySpec("Falun", "2080", 60),
    MunicipalitySpec("Borlänge", "2081", 52),
    MunicipalitySpec("Karlskrona", "1080", 67),
    MunicipalitySpec("Sollentuna", "0163", 76),
    MunicipalitySpec("Täby", "0160", 74),
    MunicipalitySpec("Uddevalla", "1485", 57),
    MunicipalitySpec("Skövde", "1496", 57),
    MunicipalitySpec("Nyköping", "0480", 58),
    MunicipalitySpec("Landskrona", "1282", 46),
    MunicipalitySpec("Trelleborg", "1287", 46),
    MunicipalitySpec("Sundbyberg", "0183", 54),
    MunicipalitySpec("Norrtälje", "0188", 64),
    MunicipalitySpec("Örnsköldsvik", "2284", 56),
    MunicipalitySpec("Lidköping", "1494", 40),
    MunicipalitySpec("Kiruna", "2584", 22),
)

SCALES: dict[str, Scale] = {
    "demo": Scale(
        name="demo",
        months=12,
        new_per_month=30,
        municipalities=(STOCKHOLM,),
        employers=40,
        vacancies=120,
        description="one city, five units, 360 people over a year (seconds; for tests and trying things)",
    ),
    "city": Scale(
        name="city",
        months=36,
        new_per_month=360,
        municipalities=(STOCKHOLM,),
        employers=1_500,
        vacancies=5_000,
        description="Stockholm over three years: five units, ~360 new a month, Järva about 30 %",
    ),
    "national": Scale(
        name="national",
        months=12,
        new_per_month=12_500,
        municipalities=SWEDEN,
        employers=12_000,
        vacancies=50_000,
        description="~150,000 participants in a year across 48 municipalities, 50,000 vacancies",
    ),
}
