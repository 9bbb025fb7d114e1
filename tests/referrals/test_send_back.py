"""Send-backs (återremittering): the Jobbtorg sends an accepted referral back, the caseworker agrees or
disputes, the unit heads of both sides decide; every step kept. Services and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.referrals import services
from jobbtorg.referrals.constants import CloseReason, ReferralStatus, SendBackStatus
from jobbtorg.referrals.models import SendBack

from ..factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    referral = ReferralFactory(accepted=True)
    return {
        "referral": referral,
        "coach": UserFactory(coach=True, unit=referral.unit),
        "caseworker": referral.caseworker,
        "unit_head": UserFactory(unit_head=True, unit=referral.unit),
        "district_head": UserFactory(district_head=True, district=referral.district),
        "other_head": UserFactory(unit_head=True),
        "other_district_head": UserFactory(district_head=True),
    }


def _send_back(p, **kwargs):
    return services.referral_send_back(
        referral=p["referral"],
        by=p["coach"],
        reason=kwargs.get("reason", "other_support_first"),
        explanation="Behöver vård först.",
    )


def test_send_back_agreed_closes_the_referral(people):
    item = _send_back(people)
    assert item.status == SendBackStatus.PENDING
    people["referral"].refresh_from_db()
    assert people["referral"].status == ReferralStatus.ACCEPTED  # support goes on meanwhile
    services.send_back_agree(send_back=item, by=people["caseworker"], comment="Ok, vi tar det.")
    people["referral"].refresh_from_db()
    assert people["referral"].status == ReferralStatus.CLOSED
    assert people["referral"].close_reason == CloseReason.SENT_BACK
    assert [e.to_status for e in item.events.all()] == ["pending", "agreed"]


def test_dispute_then_upheld_by_district_head(people):
    item = _send_back(people)
    with pytest.raises(ValidationError) as error:
        services.send_back_dispute(send_back=item, by=people["caseworker"], comment=" ")
    assert "comment" in error.value.message_dict
    services.send_back_dispute(send_back=item, by=people["caseworker"], comment="Hen är i målgruppen.")
    item.refresh_from_db()
    assert item.status == SendBackStatus.ESCALATED and item.escalated_at
    services.send_back_decide(send_back=item, by=people["district_head"], uphold=True, comment="Vård först.")
    people["referral"].refresh_from_db()
    assert people["referral"].status == ReferralStatus.CLOSED
    events = list(item.events.values_list("to_status", "by_id"))
    assert events == [
        ("pending", people["coach"].pk),
        ("escalated", people["caseworker"].pk),
        ("upheld", people["district_head"].pk),
    ]


def test_dispute_overturned_keeps_the_referral(people):
    item = _send_back(people)
    services.send_back_dispute(send_back=item, by=people["caseworker"], comment="Nej.")
    services.send_back_decide(send_back=item, by=people["unit_head"], uphold=False, comment="Vi behåller.")
    people["referral"].refresh_from_db()
    assert people["referral"].status == ReferralStatus.ACCEPTED
    item.refresh_from_db()
    assert item.status == SendBackStatus.OVERTURNED and item.decided_at
    # A new send-back is possible once the first is decided.
    assert _send_back(people).status == SendBackStatus.PENDING


def test_who_may_do_what(people):
    with pytest.raises(PermissionDenied):
        services.referral_send_back(
            referral=people["referral"], by=people["caseworker"], reason="other", explanation="x"
        )
    item = _send_back(people)
    with pytest.raises(ValidationError):  # only one open send-back per referral
        _send_back(people)
    with pytest.raises(PermissionDenied):
        services.send_back_agree(send_back=item, by=people["coach"])
    with pytest.raises(ValidationError):  # not escalated: nothing to decide yet
        services.send_back_decide(send_back=item, by=people["unit_head"], uphold=True, comment="x")
    services.send_back_dispute(send_back=item, by=people["caseworker"], comment="Nej.")
    for outsider in (
        people["other_head"],
        people["other_district_head"],
        people["coach"],
        people["caseworker"],
    ):
        with pytest.raises(PermissionDenied):
            services.send_back_decide(send_back=item, by=outsider, uphold=True, comment="x")


def test_only_accepted_referrals_and_a_known_reason(people):
    received = ReferralFactory(unit=people["referral"].unit)
    with pytest.raises(ValidationError):
        services.referral_send_back(referral=received, by=people["coach"], reason="other", explanation="x")
    with pytest.raises(ValidationError) as error:
        services.referral_send_back(
            referral=people["referral"], by=people["coach"], reason="easy", explanation=""
        )
    assert set(error.value.message_dict) == {"reason", "explanation"}


def test_the_district_head_sees_only_escalated_of_own_district(people):
    item = _send_back(people)
    assert not SendBack.objects.visible_to(people["district_head"]).exists()
    services.send_back_dispute(send_back=item, by=people["caseworker"], comment="Nej.")
    assert list(SendBack.objects.visible_to(people["district_head"])) == [item]
    assert not SendBack.objects.visible_to(people["other_district_head"]).exists()
    assert not SendBack.objects.visible_to(people["other_head"]).exists()


def test_api_path_sent_back_disputed_decided(people, api_client):
    referral = people["referral"]
    api_client.force_authenticate(people["coach"])
    url = reverse("api-referral-send-back", args=[referral.pk])
    bad = api_client.post(url, {"version": referral.lock_version, "reason": "cherry"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    response = api_client.post(
        url,
        {"version": referral.lock_version, "reason": "wrong_target_group", "explanation": "Fel målgrupp."},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending"
    pk = data["id"]
    api_client.force_authenticate(people["caseworker"])
    response = api_client.post(
        reverse("api-send-back-dispute", args=[pk]), {"version": data["lock_version"], "comment": "Nej."}
    )
    assert response.status_code == 200, response.content
    version = response.json()["lock_version"]
    api_client.force_authenticate(people["district_head"])
    listed = api_client.get(reverse("api-send-back-list"))
    assert [row["id"] for row in listed.json()["results"]] == [pk]
    stale = api_client.post(
        reverse("api-send-back-decide", args=[pk]), {"version": version - 1, "uphold": True, "comment": "x"}
    )
    assert stale.status_code == 409
    response = api_client.post(
        reverse("api-send-back-decide", args=[pk]),
        {"version": version, "uphold": True, "comment": "Står fast."},
    )
    assert response.status_code == 200, response.content
    assert [e["to_status"] for e in response.json()["events"]] == ["pending", "escalated", "upheld"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    reads = ReadLog.objects.filter(user=people["district_head"], participant_id=referral.participant_id)
    assert reads.exists()


def test_pages_path(people, client):
    referral = people["referral"]
    client.force_login(people["coach"])
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert "Återremittera till stadsdelen" in page.content.decode()
    response = client.post(
        reverse("referrals:send_back", args=[referral.pk]),
        {"send_back-version": referral.lock_version, "send_back-reason": "", "send_back-explanation": ""},
    )
    assert response.status_code == 200  # the form again, with field errors
    response = client.post(
        reverse("referrals:send_back", args=[referral.pk]),
        {
            "send_back-version": referral.lock_version,
            "send_back-reason": "other_support_first",
            "send_back-explanation": "Vård först.",
        },
    )
    item = SendBack.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "referrals:send_back_detail", args=[item.pk]
    )
    client.force_login(people["caseworker"])
    response = client.post(
        reverse("referrals:send_back_answer", args=[item.pk]),
        {"version": item.lock_version, "answer": "dispute", "comment": ""},
    )
    assert response.status_code == 200  # a comment is needed to disagree
    response = client.post(
        reverse("referrals:send_back_answer", args=[item.pk]),
        {"version": item.lock_version, "answer": "dispute", "comment": "Nej."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    client.force_login(people["unit_head"])
    response = client.post(
        reverse("referrals:send_back_decide", args=[item.pk]),
        {"version": item.lock_version, "decision": "overturn", "comment": "Vi behåller."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == SendBackStatus.OVERTURNED
    client.force_login(people["district_head"])
    assert client.get(reverse("referrals:send_back_list")).status_code == 200
    assert client.get(reverse("referrals:send_back_detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 403
