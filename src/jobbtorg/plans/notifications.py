"""E-mails about plans: a coach's overdue plans. Like every staff e-mail, no personal data, only a count and
a link; the facts are read after logging in."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobbtorg.referrals.constants import OPEN_STATUSES
from jobbtorg.referrals.deadline import past_due
from jobbtorg.referrals.models import Referral


def overdue_plan_reminders_send(*, claim: Callable[[str], bool], today: datetime.date | None = None) -> int:
    """Tell each coach with overdue plans (open referral, no approved plan, due date passed) how many, once
    a day: `claim(key)` (the task passes `background.once.once`) marks the coach's day before the e-mail
    goes out and says False when it was marked already, so a retry never sends twice. Returns how many
    e-mails were sent."""
    today = today or timezone.localdate()
    per_coach = (
        Referral.objects.filter(status__in=OPEN_STATUSES, coach__isnull=False, coach__is_active=True)
        .filter(Q(plan__isnull=True) | Q(plan__current_version__isnull=True))
        .filter(past_due(today))
        .exclude(coach__email="")
        .values("coach_id", "coach__email")
        .annotate(overdue=Count("pk"))
        .order_by("coach_id")
    )
    link = settings.JOBBTORG_BASE_URL.rstrip("/") + reverse("plans:worklist")
    sent = 0
    for row in per_coach:
        if not claim(f"plans-overdue:{row['coach_id']}:{today.isoformat()}"):
            continue
        count = row["overdue"]
        send_mail(
            _("Jobbtorg: overdue action plans"),
            ngettext(
                "%(count)d action plan of yours is past its due date and not approved.\n\n%(link)s",
                "%(count)d action plans of yours are past their due date and not approved.\n\n%(link)s",
                count,
            )
            % {"count": count, "link": link},
            None,
            [row["coach__email"]],
            fail_silently=True,
        )
        sent += 1
    return sent
