import datetime as dt

import pytest
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.payments.models import Dispute, PaymentLine
from jobbtorg.payments.services import payment_run

from .factories import assigned_person, authorised_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(nacka, finance):
    provider, staff, itype = authorised_provider(model=nacka)
    assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="B")
    other, other_staff, _ = authorised_provider(model=nacka)
    assigned_person(provider=other, itype=itype, start=dt.date(2025, 3, 3), tier="A")
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    return provider, staff, other, other_staff


def test_finance_sees_every_provider_and_exports(client, computed, finance):
    provider, _staff, other, _ = computed
    client.force_login(finance)
    page = client.get(reverse("payments:overview") + "?month=2025-03")
    assert (
        page.status_code == 200
        and provider.name in page.content.decode()
        and other.name in page.content.decode()
    )
    pdf = client.get(reverse("payments:provider_pdf", args=[provider.pk]) + "?month=2025-03")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv = client.get(reverse("payments:provider_csv", args=[provider.pk]) + "?month=2025-03").content.decode()
    assert (
        "4858,00" in csv and PaymentLine.objects.get(provider=provider).participant.personal_number not in csv
    )
    assert ReadLog.objects.filter(user=finance, view="payment_basis_pdf").exists()


def test_provider_sees_only_own_lines_and_disputes(client, computed):
    provider, staff, other, _other_staff = computed
    client.force_login(staff)
    own = client.get(reverse("payments:provider", args=[provider.pk]) + "?month=2025-03")
    assert own.status_code == 200 and "4" in own.content.decode()
    assert client.get(reverse("payments:provider", args=[other.pk]) + "?month=2025-03").status_code == 404
    assert client.get(reverse("payments:provider_pdf", args=[other.pk]) + "?month=2025-03").status_code == 404
    overview = client.get(reverse("payments:overview") + "?month=2025-03")
    assert overview.status_code == 302 and f"/anordnare/{provider.pk}/" in overview["Location"]
    line = PaymentLine.objects.get(provider=provider)
    client.post(reverse("payments:dispute", args=[line.pk]), {"comment": "Fel nivå"})
    assert Dispute.objects.get().line == line
    other_line = PaymentLine.objects.get(provider=other)
    assert client.post(reverse("payments:dispute", args=[other_line.pk]), {"comment": "x"}).status_code == 404


def test_who_may_not_see(client, computed, coach, analyst, caseworker):
    provider = computed[0]
    for user in (coach, analyst, caseworker):
        client.force_login(user)
        assert client.get(reverse("payments:overview")).status_code == 403
        assert (
            client.get(reverse("payments:provider", args=[provider.pk]) + "?month=2025-03").status_code == 404
        )


def test_a_provider_name_like_a_formula_stays_text_in_the_csv(client, computed, finance):
    """A provider registered as `=HYPERLINK(…)` became a live formula in the finance department's Excel."""
    import csv
    import io

    provider = computed[0]
    provider.name = '=HYPERLINK("http://evil.example","Klicka här")'
    provider.save(update_fields=["name"])
    client.force_login(finance)
    body = client.get(
        reverse("payments:provider_csv", args=[provider.pk]) + "?month=2025-03"
    ).content.decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == "'" + provider.name
    assert rows[1][8] == "4858,00"  # amounts stay numbers
