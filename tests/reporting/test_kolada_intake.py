"""U40806–U40810 (shares of referrals by source) on a population built by hand through the real services:
district referrals from social services and intakes the unit registered itself from Arbetsförmedlingen,
Försäkringskassan, the person and another actor (ADR 0020) — and a person referred twice, once by each way."""

import datetime

import pytest
from django.utils import timezone

from jobbtorg.referrals import services
from jobbtorg.referrals.models import Referral
from jobbtorg.reporting import kolada, selectors
from jobbtorg.reporting.services import indicators_refresh
from jobbtorg.utils import personal_numbers

D = datetime.date
YEAR = selectors.Scope(start=D(2025, 1, 1), end=D(2025, 12, 31), today=D(2026, 3, 1))

pytestmark = pytest.mark.django_db


def _person(n: int) -> dict:
    return {
        "personal_number": personal_numbers.formatted(personal_numbers.make(D(1980, 1, n), 234)),
        "first_name": "Test",
        "last_name": f"Källa{n}",
        "target_group": "unemployed_on_assistance",
        "reason": "Vill arbeta.",
    }


def test_the_shares_of_referrals_count_every_source(caseworker, coach, district):
    def refer(n, day):
        referral = services.referral_create(
            by=caseworker, referral_date=day, assistance_status="receiving", consent_given=True, **_person(n)
        )
        return services.referral_accept(referral=referral, by=coach)

    def take_in(n, day, source, **kw):
        return services.referral_intake(
            by=coach,
            district=district,
            referral_date=day,
            source=source,
            consent_given=True,
            **_person(n),
            **kw,
        )

    for n in (1, 2, 3):
        refer(n, D(2025, 2, 3))
    take_in(4, D(2025, 3, 3), "employment_service")
    take_in(5, D(2025, 4, 1), "employment_service")
    take_in(6, D(2025, 4, 1), "social_insurance")
    take_in(7, D(2025, 5, 5), "self")
    take_in(8, D(2025, 6, 2), "other", source_other="Kriminalvården")
    # Referred twice: taken in from Arbetsförmedlingen, interrupted, then referred by social services.
    first = take_in(9, D(2025, 2, 10), "employment_service")
    services.referral_close(referral=first, by=coach, reason="interrupted", ended_on=D(2025, 3, 14))
    refer(9, D(2025, 6, 16))

    # The services stamp today; the history happened in 2025.
    for referral in Referral.objects.all():
        moment = timezone.make_aware(datetime.datetime.combine(referral.referral_date, datetime.time(10)))
        Referral.objects.filter(pk=referral.pk).update(
            accepted_at=moment, closed_at=moment + datetime.timedelta(days=30) if referral.closed_at else None
        )
    indicators_refresh()
    f = {figure.id: figure for figure in kolada.figures(selectors.kolada(YEAR))}
    shares = {
        kpi: (f[kpi].numerator, f[kpi].denominator, f[kpi].value)
        for kpi in ("U40806", "U40807", "U40808", "U40809", "U40810")
    }
    assert shares == {
        "U40806": (3, 10, 30.0),  # Arbetsförmedlingen: two intakes and the first referral of person 9
        "U40807": (1, 10, 10.0),  # Försäkringskassan
        "U40808": (1, 10, 10.0),  # the person
        "U40809": (4, 10, 40.0),  # social services: three and the second referral of person 9
        "U40810": (1, 10, 10.0),  # another actor
    }
    assert sum(value for _n, _d, value in shares.values()) == 100.0
    assert f["U40800"].value == 9  # people taking part: every source, person 9 once
    assert f["U40803"].value == 9  # people referred in the year
