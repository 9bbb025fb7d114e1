"""Kolada's key figures on small populations built by hand (reporting/kolada.py, docs/indicators.md): each KPI
with the edge cases that used to be counted differently from Kolada's definitions — a three-week job, a
municipal labour-market job, studies without eligibility for student finance, an exit before acceptance, a
person referred twice, a person still on assistance at exit, a referral from another source."""

import datetime
import itertools

import pytest
from django.utils import timezone

from jobbtorg.followup.models import AssistanceMonth, Exit
from jobbtorg.followup.services import exit_work_followup
from jobbtorg.plans.models import Mapping
from jobbtorg.referrals.services import referral_close
from jobbtorg.reporting import kolada, selectors
from jobbtorg.reporting.services import indicators_refresh
from jobbtorg.utils import personal_numbers
from tests.factories import ParticipantFactory, ReferralFactory

D = datetime.date
YEAR = selectors.Scope(start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 3, 1))
_serials = itertools.count(1)

pytestmark = pytest.mark.django_db


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


ADULT = D(1990, 1, 1)


def person(district, born=ADULT):
    return ParticipantFactory(
        district=district,
        personal_number=personal_numbers.make(born + datetime.timedelta(next(_serials)), 123),
    )


def referral(participant, day, *, accepted=True, closed=None, **kw):
    return ReferralFactory(
        participant=participant,
        district=participant.district,
        referral_date=day,
        status="closed" if closed else ("accepted" if accepted else "received"),
        accepted_at=at(day) if accepted else None,
        closed_at=at(closed) if closed else None,
        **kw,
    )


def exit(referral, day, reason, **facts):
    return Exit.objects.create(
        referral=referral, participant=referral.participant, exit_date=day, reason=reason, **facts
    )


def work(referral, day, *, municipal=False, lasted=True):
    return exit(
        referral,
        day,
        "work",
        work_hours_per_week=40,
        employment_form="permanent",
        work_start_date=day,
        municipal_labour_market_job=municipal,
        work_lasted_one_month=lasted,
    )


def studies(referral, day, *, eligible=True):
    return exit(referral, day, "studies", studies_eligible_for_student_finance=eligible)


def shown(scope=YEAR, **kw):
    indicators_refresh()
    return {f.id: f for f in kolada.figures(selectors.kolada(scope), **kw)}


@pytest.fixture
def year(district):
    """Ten people, eleven referrals in 2025."""
    people = [person(district) for _ in range(10)]
    made = {}
    made["work"] = work(referral(people[0], D(2025, 1, 10), closed=D(2025, 3, 1)), D(2025, 3, 1))
    made["three_weeks"] = work(
        referral(people[1], D(2025, 1, 10), closed=D(2025, 3, 1)), D(2025, 3, 1), lasted=False
    )
    made["municipal"] = work(
        referral(people[2], D(2025, 1, 10), closed=D(2025, 5, 1)), D(2025, 5, 1), municipal=True
    )
    made["no_csn"] = studies(
        referral(people[3], D(2025, 2, 3), closed=D(2025, 8, 20)), D(2025, 8, 20), eligible=False
    )
    made["studies"] = studies(referral(people[4], D(2025, 2, 3), closed=D(2025, 8, 20)), D(2025, 8, 20))
    # Closed before the referral was accepted: the exit row exists (follow-up), but it is no programme exit.
    made["never_accepted"] = work(
        referral(people[5], D(2025, 3, 3), accepted=False, closed=D(2025, 3, 10)), D(2025, 3, 10)
    )
    # Referred twice: interrupted in March, back in May, to studies in October — one person, one exit (the
    # last).
    exit(referral(people[6], D(2025, 1, 7), closed=D(2025, 3, 14)), D(2025, 3, 14), "interrupted")
    made["twice"] = studies(referral(people[6], D(2025, 5, 5), closed=D(2025, 10, 1)), D(2025, 10, 1))
    exit(
        referral(people[7], D(2025, 4, 1), closed=D(2025, 9, 1), source="employment_service"),
        D(2025, 9, 1),
        "other_support",
    )
    exit(
        referral(people[8], D(2025, 4, 1), closed=D(2026, 1, 15), source="self"), D(2025, 11, 28), "completed"
    )
    # Work that started in December: whether it lasted a month is not known yet.
    made["pending"] = work(
        referral(people[9], D(2025, 6, 2), closed=D(2025, 12, 10)), D(2025, 12, 10), lasted=None
    )
    return made


def test_the_results_at_exit_count_people_and_follow_koladas_definitions(year):
    f = shown()
    # Programme exits: nine people (the exit before acceptance is none; the person referred twice is one).
    counts = {k: f[k].value for k in ("U40450", "U40451", "U40452", "U40453", "U40454")}
    assert counts == {"U40450": 1, "U40451": 2, "U40452": 1, "U40453": 1, "U40454": 3}
    assert f["U40450"].denominator == 9  # + one exit to work still pending
    # A: only the job that lasted a month and is no municipal job; E: the three-week job, the municipal job,
    # the studies without eligibility for student finance.
    assert f["U40406"].value == 11.1 and f["U40409"].value == 22.2 and f["U40418"].value == 33.3
    assert f["U40455"].value == 33.3 and (f["U40455"].numerator, f["U40455"].denominator) == (3, 9)
    assert f["U40455"].preliminary and f["U40450"].preliminary and not f["U40800"].preliminary
    assert kolada.pending(selectors.kolada(YEAR)) == 1
    # The exits by time in the programme add up to all of them.
    assert sum(f[k].numerator for k in ("U40820", "U40821", "U40822", "U40823")) == 9


def test_the_one_month_follow_up_makes_the_figures_final(year, coach):
    # Asked once a month has passed since the work started (10 December → 10 January).
    with pytest.raises(Exception, match="from 2026-01-10"):
        exit_work_followup(exit=year["pending"], by=coach, lasted=True, on=D(2026, 1, 9))
    exit_work_followup(exit=year["pending"], by=coach, lasted=True, on=D(2026, 1, 10))
    f = shown()
    assert f["U40450"].value == 2 and f["U40455"].value == 44.4
    assert not any(figure.preliminary for id, figure in f.items() if id != "U31462")


def test_people_and_referrals_count_every_source_and_each_person_once(year):
    f = shown()
    assert f["U40800"].value == 9  # accepted by the end of the year; the person referred twice once
    assert f["U40803"].value == 10  # people referred in the year, accepted or not
    # Referrals (anvisningar), as Kolada counts them: 11, one from Arbetsförmedlingen, one by the person.
    assert (f["U40806"].numerator, f["U40806"].denominator, f["U40806"].value) == (1, 11, 9.1)
    assert (f["U40808"].value, f["U40809"].value, f["U40807"].value, f["U40810"].value) == (9.1, 81.8, 0, 0)
    assert f["U40811"].numerator + f["U40812"].numerator == 9


def test_time_without_work_counts_only_the_people_mapped(year):
    mapped = [year["work"].referral, year["three_weeks"].referral, year["studies"].referral]
    for r, months in zip(mapped, (3, 12, 30), strict=True):
        Mapping.objects.create(referral=r, participant=r.participant, months_without_work=months)
    f = shown()
    assert [f[k].numerator for k in ("U40817", "U40818", "U40819")] == [1, 1, 1]
    assert f["U40819"].denominator == 3 and f["U40819"].value == 33.3  # not 7 of 9 as "over 24 months"


def test_referred_elsewhere_is_transferred_to_another_authority(district, coach):
    r = referral(person(district), D(2025, 2, 3))
    referral_close(referral=r, by=coach, reason="referred_elsewhere", version=r.lock_version)
    Exit.objects.filter(referral=r).update(exit_date=D(2025, 6, 1))
    f = shown()
    assert (f["U40452"].value, f["U40453"].value) == (1, 0)


def months(first, last):
    out, m = [], first
    while m <= last:
        out.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    return out


def test_u31462_counts_from_the_month_assistance_ended(district):
    """Adults whose assistance ended in 2024: not back within the twelve months after the last payment."""

    def paid(p, first, last, flag=True):
        AssistanceMonth.objects.bulk_create(
            [AssistanceMonth(participant=p, month=m, amount=5000, paid=flag) for m in months(first, last)]
        )

    people = {name: person(district) for name in ("off", "back", "still_on", "late")}
    people["minor"] = person(district, born=D(2007, 6, 1))
    for p in people.values():  # each a participant of the unit (the rollup row says so)
        exit(referral(p, D(2024, 1, 8), closed=D(2024, 2, 15)), D(2024, 2, 15), "moved")
    paid(people["off"], D(2024, 1, 1), D(2024, 3, 1))  # ended after March 2024, never back
    paid(people["back"], D(2024, 1, 1), D(2024, 2, 1))  # ended after February, back in June
    paid(people["back"], D(2024, 6, 1), D(2024, 8, 1))
    # Still on assistance at the programme exit and ever since: no end of assistance, not in the figure (the
    # programme-exit measure counted this person as back on assistance).
    paid(people["still_on"], D(2024, 1, 1), D(2025, 4, 1))
    paid(people["late"], D(2024, 1, 1), D(2024, 11, 1))  # ended in November: its year is not imported yet
    paid(people["minor"], D(2024, 1, 1), D(2024, 3, 1))  # 16 when it ended: not an adult
    f = shown(selectors.Scope(start=D(2024, 1, 1), end=D(2024, 12, 31), today=D(2025, 5, 2)))["U31462"]
    assert (f.numerator, f.denominator, f.value) == (1, 2, 50.0)
    assert f.preliminary  # the person whose assistance ended in November is not known yet


def test_suppression_withholds_the_pending_count_like_any_other(year):
    f = shown(suppress=True)
    assert f["U40450"].value == "<5" and f["U40455"].value == "–"
    indicators_refresh()
    assert kolada.pending(selectors.kolada(YEAR), suppress=True) == "<5"


def test_every_kpi_is_in_the_docs_table():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text()
    assert [kpi.id for kpi in kolada.KPIS if f"| {kpi.id} | {kpi.title} |" not in text] == []


# --- the annual survey export and the comparison with last year's reported figures --------------------------


@pytest.fixture
def analyst(client, district, year):
    from tests.factories import UserFactory

    user = UserFactory(analyst=True, municipality=district.municipality)
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return user


def test_the_survey_export_has_one_row_per_kpi_with_value_numerator_and_denominator(client, analyst):
    import csv
    import io

    from django.urls import reverse

    indicators_refresh()
    response = client.get(reverse("reporting:kolada_survey", args=["csv"]) + "?year=2025")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1 : rows.index([])]
    assert header == ["KPI", "Year", "Value", "Numerator", "Denominator", "Status"]
    assert [row[0] for row in body] == [kpi.id for kpi in kolada.KPIS]
    by_id = {row[0]: row for row in body}
    assert by_id["U40803"][1:5] == ["2025", "10", "10", ""]  # a count: no denominator
    assert by_id["U40800"][2] == "9"
    assert by_id["U40455"][2:] == [
        "–",
        "<5",
        "9",
        "preliminary",
    ]  # suppressed for the analyst, as on the page
    assert client.get(reverse("reporting:kolada_survey", args=["pdf"])).status_code == 404


KOLADA_CSV = (
    "kpi;municipality;period;gender;value\n"
    "U40455;0180;2024;T;41,5\n"
    "U40455;0180;2024;K;44,0\n"  # women: only the total is read
    "U40800;0180;2024;T;1234\n"
    "N00945;0180;2024;T;12\n"  # not a figure the product computes: skipped
)


def test_reported_figures_are_imported_from_a_kolada_csv_and_shown_beside_ours(client, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from jobbtorg.reporting.models import ReportedFigure

    url = reverse("reporting:kolada") + "?year=2025"
    upload = SimpleUploadedFile("kolada.csv", KOLADA_CSV.encode("utf-8"), content_type="text/csv")
    assert client.post(url, {"form": "import", "file": upload}).status_code == 302
    assert dict(ReportedFigure.objects.values_list("kpi", "value")) == {"U40455": 41.5, "U40800": 1234}
    # Entered by hand: a value changed, another removed.
    data = {"form": "entry", "U40455": "42.5", "U40800": ""}
    assert client.post(url, data).status_code == 302
    assert dict(ReportedFigure.objects.values_list("kpi", "value")) == {"U40455": 42.5}
    page = client.get(url).content.decode()
    assert "Reported 2024" in page and "42.50 %" in page
    bad = SimpleUploadedFile("bad.csv", b"kpi;period;value\nU40455;2024;many\n", content_type="text/csv")
    page = client.post(url, {"form": "import", "file": bad})
    assert page.status_code == 200 and "Unreadable rows: 2" in page.content.decode()


def test_another_municipality_sees_neither_our_reported_figures_nor_our_people(client, analyst, year):
    from django.urls import reverse

    from jobbtorg.reporting.models import ReportedFigure
    from tests.factories import MunicipalityFactory, UserFactory

    ReportedFigure.objects.create(
        municipality_id=analyst.municipality_id, kpi="U40800", year=2024, value=987, origin="entered"
    )
    stranger = UserFactory(analyst=True, municipality=MunicipalityFactory(code="0181", name="Annanstad"))
    client.force_login(stranger)
    page = client.get(reverse("reporting:kolada") + "?year=2025").content.decode()
    assert "987" not in page
    client.post(reverse("reporting:kolada") + "?year=2025", {"form": "entry", "U40800": "5"})
    assert ReportedFigure.objects.get(municipality_id=analyst.municipality_id).value == 987
    response = client.get(reverse("reporting:kolada_survey", args=["csv"]) + "?year=2025")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert next(row for row in rows if row.startswith("U40800;")).split(";")[2] == "<5"  # nobody of ours


def test_a_unit_head_sees_the_comparison_but_records_nothing(client, district, year):
    from django.urls import reverse

    from tests.factories import UserFactory

    head = UserFactory(unit_head=True, unit=district.unit, municipality=district.municipality)
    client.force_login(head)
    url = reverse("reporting:kolada")
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "entry", "U40455": "40"}).status_code == 403
