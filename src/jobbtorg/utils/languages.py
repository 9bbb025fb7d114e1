"""The languages Jobbtorg speaks, and names for language codes.

Staff pages are Swedish or English. The participant's side (portal, sign-in pages, reminders and notices,
the printed plan) also speaks easy-to-read Swedish, Arabic, Somali, Tigrinya and Dari. Easy-to-read Swedish
(lättläst) has the private-use code `sv-x-easy` (valid BCP 47; Django maps it to the locale folder
`sv_X-easy`); Dari has the code `fa` (Persian, which Dari is a variety of) and is named "Dari" everywhere.
The participant-facing translations are catalogues of their own in `locale/`, beside sv and en
(docs/translations.md).
"""

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

SWEDISH = "sv"
EASY_SWEDISH = "sv-x-easy"
ENGLISH = "en"
ARABIC = "ar"
SOMALI = "so"
TIGRINYA = "ti"
DARI = "fa"

STAFF_LANGUAGES = (SWEDISH, ENGLISH)
PARTICIPANT_LANGUAGES = (SWEDISH, EASY_SWEDISH, ENGLISH, ARABIC, SOMALI, TIGRINYA, DARI)
RIGHT_TO_LEFT = (ARABIC, DARI)

# Each language's name in itself (the language switch shows these, so a person finds their own language).
LOCAL_NAMES = {
    SWEDISH: "Svenska",
    EASY_SWEDISH: "Lättläst svenska",
    ENGLISH: "English",
    ARABIC: "العربية",
    SOMALI: "Soomaali",
    TIGRINYA: "ትግርኛ",
    DARI: "دری",
}

# Names in the UI language, for the languages a participant may choose.
NAMES = {
    SWEDISH: _("Swedish"),
    EASY_SWEDISH: _("Easy-to-read Swedish"),
    ENGLISH: _("English"),
    ARABIC: _("Arabic"),
    SOMALI: _("Somali"),
    TIGRINYA: _("Tigrinya"),
    DARI: _("Dari"),
}

PARTICIPANT_LANGUAGE_CHOICES = [(code, NAMES[code]) for code in PARTICIPANT_LANGUAGES]

# Languages people in a Swedish labour-market service often speak that Django has no name for (ISO 639-1,
# or 639-3 where there is no two-letter code). Django's own table names the rest.
MORE_NAMES = {
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "prs": _("Dari"),
    "am": _("Amharic"),
    "om": _("Oromo"),
    "ps": _("Pashto"),
    "ckb": _("Kurdish (Sorani)"),
    "kmr": _("Kurdish (Kurmanji)"),
    "ku": _("Kurdish"),
    "syr": _("Syriac"),
    "sw": _("Swahili"),
    "din": _("Dinka"),
    "fi": _("Finnish"),
    "bs": _("Bosnian"),
    "sq": _("Albanian"),
    "tr": _("Turkish"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "pl": _("Polish"),
    "es": _("Spanish"),
    "de": _("German"),
    "fr": _("French"),
    "ro": _("Romanian"),
    "th": _("Thai"),
    "ur": _("Urdu"),
    "bn": _("Bengali"),
    "hi": _("Hindi"),
    "my": _("Burmese"),
    "zh": _("Chinese"),
    "vi": _("Vietnamese"),
    "sr": _("Serbian"),
    "hr": _("Croatian"),
    "el": _("Greek"),
}
MORE_NAMES.update(NAMES)
MORE_NAMES[DARI] = _("Dari")


def is_right_to_left(code: str | None) -> bool:
    return (code or "").split("-")[0] in RIGHT_TO_LEFT


def language_name(code: str) -> str:
    """A language code as a name in the current UI language ("so" → "somaliska"). Anything that is not a
    known code (e.g. a name typed in by staff) is kept as is."""
    key = (code or "").strip()
    lowered = key.lower()
    if lowered in MORE_NAMES:
        return str(MORE_NAMES[lowered])
    try:
        return str(get_language_info(lowered)["name_translated"])
    except KeyError:
        return key


def language_names(codes: list[str] | None) -> list[str]:
    return [language_name(code) for code in codes or []]
