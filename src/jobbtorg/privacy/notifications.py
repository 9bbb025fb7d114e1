"""The retention report to the administrators: what a retention run would remove now (a dry run). Applying
it stays a decision: `manage.py apply_retention --apply` (docs/security.md)."""

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.constants import Role

from .retention import retention_plan


def retention_report_body(plan) -> str:
    lines = [
        _("Retention (dry run — nothing has been removed)."),
        _("Cases ended before %(date)s: %(count)d people.")
        % {"date": f"{plan.case_cutoff:%Y-%m-%d}", "count": len(plan.people)},
        "",
        _("Would remove:"),
        *(f"  {label}: {count}" for label, count in plan.counts().items()),
    ]
    detached = plan.detached_counts()
    if detached:
        lines += [_("Would clear references:"), *(f"  {label}: {count}" for label, count in detached.items())]
    lines += [
        _("Kept for the archive: %(count)d people.") % {"count": len(plan.archived)},
        _("Kept for payment records: %(count)d people.") % {"count": len(plan.kept_for_accounts)},
        "",
        _("To apply: manage.py apply_retention --apply (a decision, see docs/security.md)."),
    ]
    return "\n".join(lines)


def retention_report_send(*, claim: Callable[[str], bool], today: datetime.date | None = None) -> int:
    """E-mail the dry-run report to every active administrator with an e-mail address, once a day
    (`claim(key)`: the task passes `background.once.once`). Counts only, never a person. Returns how many
    were sent."""
    today = today or timezone.localdate()
    recipients = list(
        get_user_model()
        .objects.filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not recipients or not claim(f"retention-report:{today.isoformat()}"):
        return 0
    body = retention_report_body(retention_plan())
    send_mail(_("Jobbtorg: retention report (dry run)"), body, None, recipients, fail_silently=True)
    return len(recipients)
