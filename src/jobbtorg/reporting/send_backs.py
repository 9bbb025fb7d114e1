"""Referrals sent back per unit and reason (återremittering, docs/indicators.md "Sent back"): among the
referrals a unit accepted in the period, the share it later sent back to the district — a Jobbtorg must not
pick the easy ones. Counts and shares withheld by the rule of utils.suppression."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Unit
from jobbtorg.referrals.constants import SEND_BACK_STANDS, SendBackReason
from jobbtorg.referrals.models import Referral, SendBack
from jobbtorg.utils import suppression
from jobbtorg.utils.numbers import percent

from .selectors import Scope


@dataclass
class SendBackRow:
    unit: str
    accepted: object  # a count, or a Withheld text
    sent_back: object
    share: object  # percent, None (no base) or a Withheld text
    stood: object  # sent back and closed (the caseworker agreed, or the unit heads upheld it)
    reasons: list  # one count per SendBackReason, in its order


def send_back_rows(scope: Scope, *, suppress: bool) -> list[SendBackRow]:
    accepted = Referral.objects.filter(accepted_at__date__gte=scope.start, accepted_at__date__lte=scope.end)
    units = Unit.objects.all()
    if scope.municipality_id:
        accepted = accepted.filter(unit__municipality_id=scope.municipality_id)
        units = units.filter(municipality_id=scope.municipality_id)
    if scope.unit_id:
        accepted = accepted.filter(unit_id=scope.unit_id)
        units = units.filter(pk=scope.unit_id)
    base = dict(accepted.values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    sent = SendBack.objects.filter(referral__in=accepted)

    def per_unit(queryset, *extra):
        rows = queryset.values("referral__unit_id", *extra).annotate(n=Count("referral_id", distinct=True))
        return {(row["referral__unit_id"], *(row[e] for e in extra)): row["n"] for row in rows}

    sent_total = per_unit(sent)
    stood = per_unit(sent.filter(status__in=SEND_BACK_STANDS))
    by_reason = per_unit(sent, "reason")
    reasons = list(SendBackReason.values)
    rows = []
    for unit in units.order_by("name"):
        if unit.pk not in base:
            continue
        cells = {("sent",): sent_total.get((unit.pk,), 0), ("stood",): stood.get((unit.pk,), 0)}
        cells |= {("reason", r): by_reason.get((unit.pk, r), 0) for r in reasons}
        withheld = (
            suppression.withhold(cells, [([("reason", r) for r in reasons], ("sent",))]) if suppress else {}
        )

        def shown(key, cells=cells, withheld=withheld):
            return withheld.get(key, cells[key])

        n, total = cells[("sent",)], base[unit.pk]
        share = percent(n / total) if total else None
        if suppress and not suppression.share_is_shown(n, total):
            share = suppression.HIDDEN
        rows.append(
            SendBackRow(
                unit=unit.name,
                accepted=suppression.count(total, suppress=suppress),
                sent_back=shown(("sent",)),
                share=share,
                stood=shown(("stood",)),
                reasons=[shown(("reason", r)) for r in reasons],
            )
        )
    return rows


def send_back_header() -> list[str]:
    return [
        _("Unit"),
        _("Accepted"),
        _("Sent back"),
        _("Sent back (%)"),
        _("Closed after sending back"),
        *[str(label) for label in SendBackReason.labels],
    ]


def send_back_table(rows: list[SendBackRow]) -> list[list]:
    return [[r.unit, r.accepted, r.sent_back, r.share, r.stood, *r.reasons] for r in rows]
