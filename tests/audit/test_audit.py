import pytest
from django.core.exceptions import PermissionDenied

from jobbtorg.audit import selectors, services
from jobbtorg.audit.models import ChangeLog, ReadLog

from ..factories import ParticipantFactory, ReferralFactory, UserFactory


def test_read_log_is_append_only(accepted_referral, coach):
    entry = services.read_record(
        user=coach, participant=accepted_referral.participant, view="participant_detail"
    )
    entry.view = "something else"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    change = services.change_record(action="x", obj=accepted_referral, by=coach)
    with pytest.raises(PermissionDenied):
        change.delete()
    assert ReadLog.objects.count() == 1 and ChangeLog.objects.count() == 1


def test_protected_identity_reads_are_flagged(coach, accepted_referral):
    person = accepted_referral.participant
    person.protected_identity = True
    person.save()
    entry = services.read_record(user=coach, participant=person, view="participant_detail", channel="api")
    assert entry.protected_identity and entry.channel == "api"


def test_unit_head_searches_reads_of_their_people_and_their_staff(
    unit_head, coach, accepted_referral, other_unit_coach
):
    mine = accepted_referral.participant
    elsewhere = ReferralFactory(accepted=True, unit=other_unit_coach.unit).participant
    services.read_record(user=coach, participant=mine, view="participant_detail")
    services.read_record(user=other_unit_coach, participant=elsewhere, view="participant_detail")
    services.read_record(user=coach, participant=ParticipantFactory(), view="participant_detail")
    # someone outside the unit reading one of the unit's people is visible to the unit head too
    services.read_record(user=other_unit_coach, participant=mine, view="participant_detail")

    all_visible = ReadLog.objects.visible_to(unit_head)
    assert all_visible.count() == 3
    by_person = selectors.read_log_search(user=unit_head, participant=mine)
    assert {e.user for e in by_person} == {coach, other_unit_coach}
    by_user = selectors.read_log_search(user=unit_head, actor=coach)
    assert by_user.count() == 2


@pytest.mark.parametrize("role", ["coach", "caseworker", "analyst"])
def test_only_unit_heads_review_the_read_log(role, unit, district, accepted_referral):
    kwargs = {"unit": unit} if role == "coach" else {"district": district} if role == "caseworker" else {}
    user = UserFactory(**{role: True}, **kwargs)
    services.read_record(user=user, participant=accepted_referral.participant, view="participant_detail")
    assert not ReadLog.objects.visible_to(user).exists()


def test_field_changes_lists_only_what_changed():
    assert services.field_changes({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": {"from": 2, "to": 3}}
