import pytest

from jobbtorg.plans import services
from jobbtorg.plans.assessment import assess
from jobbtorg.plans.constants import Tier

NEAR = dict(
    education_level="university",
    swedish_level="native",
    months_without_work=3,
    work_capacity=100,
    obstacles=[],
    months_on_assistance=2,
)


def test_near_the_labour_market_is_tier_a_without_reasons():
    tier, reasons = assess(**NEAR)
    assert tier == Tier.A and reasons == []


@pytest.mark.parametrize(
    ("changes", "tier", "points"),
    [
        ({"swedish_level": "sfi_c"}, Tier.A, 1),
        ({"swedish_level": "sfi_a", "education_level": "compulsory"}, Tier.B, 3),
        (
            {"months_without_work": None, "work_capacity": 50, "obstacles": ["health", "debt", "housing"]},
            Tier.C,
            6,
        ),
        ({"months_without_work": 12}, Tier.A, 1),
        ({"months_without_work": 24, "months_on_assistance": 30}, Tier.B, 3),
        (
            {
                "education_level": "none",
                "swedish_level": "none",
                "months_without_work": 40,
                "work_capacity": 25,
            },
            Tier.C,
            8,
        ),
    ],
)
def test_each_factor_adds_points_and_is_explained(changes, tier, points):
    got, reasons = assess(**{**NEAR, **changes})
    assert got == tier
    assert sum(r.points for r in reasons) == points
    assert all(str(r.text) for r in reasons)


def test_mapping_save_stores_tier_and_reasons_and_history(accepted_referral, coach):
    mapping = services.mapping_save(
        referral=accepted_referral,
        by=coach,
        education_level="compulsory",
        swedish_level="sfi_b",
        months_without_work=30,
        work_capacity=75,
        obstacles=["childcare"],
        wanted_occupations=["5321", "5321"],
    )
    assert mapping.tier == Tier.C
    assert {r["factor"] for r in mapping.tier_reasons} == {
        "education",
        "swedish",
        "time_without_work",
        "work_capacity",
        "obstacles",
    }
    assert mapping.wanted_occupations == ["5321"]
    updated = services.mapping_save(
        referral=accepted_referral,
        by=coach,
        version=mapping.lock_version,
        swedish_level="native",
        obstacles=[],
    )
    assert updated.tier == Tier.B and updated.lock_version == 1


def test_mapping_rejects_bad_codes(accepted_referral, coach):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.mapping_save(
            referral=accepted_referral, by=coach, wanted_occupations=["53"], obstacles=["x"]
        )
    assert set(exc.value.message_dict) == {"wanted_occupations", "obstacles"}


def test_mapping_needs_an_accepted_referral(caseworker, coach):
    from django.core.exceptions import ValidationError

    from ..factories import ReferralFactory

    referral = ReferralFactory(district=caseworker.district, participant__district=caseworker.district)
    with pytest.raises(ValidationError):
        services.mapping_save(referral=referral, by=coach, education_level="none")
