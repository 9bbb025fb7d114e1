"""Referrals sent back per unit and reason: the share among the referrals a unit accepted, withheld by the
suppression rule, the same on the dashboard and in its export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbtorg.referrals import services
from jobbtorg.reporting.selectors import Scope
from jobbtorg.reporting.send_backs import send_back_rows
from jobbtorg.utils.suppression import HIDDEN, SMALL

from ..factories import ReferralFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _unit(name, *, accepted, sent_back, municipality=None):
    unit = UnitFactory(name=name, **({"municipality": municipality} if municipality else {}))
    coach = UserFactory(coach=True, unit=unit)
    caseworker = None
    for index in range(accepted):
        referral = ReferralFactory(accepted=True, unit=unit, district__unit=unit)
        caseworker = referral.caseworker
        if index < sent_back:
            item = services.referral_send_back(
                referral=referral, by=coach, reason="other_support_first", explanation="Vård först."
            )
            if index == 0:
                services.send_back_agree(send_back=item, by=caseworker)
    return unit


def _scope(unit):
    today = timezone.localdate()
    return Scope(
        start=today - datetime.timedelta(days=30),
        end=today,
        municipality_id=unit.municipality_id,
        today=today,
    )


def test_share_per_unit_and_reason_withheld_below_five():
    big = _unit("Jobbtorg Stor", accepted=12, sent_back=5)
    _unit("Jobbtorg Liten", accepted=3, sent_back=1, municipality=big.municipality)
    rows = {row.unit: row for row in send_back_rows(_scope(big), suppress=True)}
    stor, liten = rows["Jobbtorg Stor"], rows["Jobbtorg Liten"]
    assert (stor.accepted, stor.sent_back, stor.share) == (12, 5, 41.7)
    assert stor.stood == SMALL  # one agreed by the caseworker
    assert stor.reasons == [SMALL, 5, SMALL, SMALL]  # wrong target group, other support first, …
    assert (liten.accepted, liten.sent_back, liten.share) == (SMALL, SMALL, HIDDEN)
    unsuppressed = {row.unit: row for row in send_back_rows(_scope(big), suppress=False)}
    assert unsuppressed["Jobbtorg Liten"].sent_back == 1
    assert unsuppressed["Jobbtorg Stor"].reasons == [0, 5, 0, 0]


def test_the_export_gives_the_same_rows(client):
    big = _unit("Jobbtorg Stor", accepted=12, sent_back=5)
    client.cookies["django_language"] = "en"
    client.force_login(UserFactory(analyst=True, municipality=big.municipality))
    response = client.get(reverse("reporting:export", args=["sent-back", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Unit", "Accepted", "Sent back", "Sent back (%)"]
    assert ["Jobbtorg Stor", "12", "5"] == rows[1][:3]
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Referrals sent back per unit and reason" in page
