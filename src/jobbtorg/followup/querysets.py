"""Who sees which exits and assistance deliveries (the one place for each rule)."""

from django.db import models
from django.utils import timezone

from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.dates import add_months

from .constants import ExitReason


def _imports_assistance(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and municipality_id_of(user)
        and user.has_perm("followup.import_assistance")
    )


class ExitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExitQuerySet":
        """Exits of the referrals the user sees (`Referral.objects.visible_to`: the receiving unit's staff,
        the referring district's caseworker), for roles with `followup.view_exit`; nobody else."""
        if not (user.is_authenticated and user.is_active and user.has_perm("followup.view_exit")):
            return self.none()
        return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))

    def work_followup_due(self, today) -> "ExitQuerySet":
        """Exits to work whose one-month follow-up (Kolada: has the work lasted a continuous month?) can be
        answered and is not yet: the work started a month or more ago (`Exit.one_month_due`)."""
        return self.filter(
            reason=ExitReason.WORK,
            work_lasted_one_month__isnull=True,
            work_start_date__lte=add_months(today, -1),
        )


class JobSupportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobSupportQuerySet":
        """Support in the first time in a job is seen with its exit (`Exit.objects.visible_to`)."""
        Exit = self.model._meta.get_field("exit").related_model
        return self.filter(exit__in=Exit.objects.visible_to(user).values("pk"))

    def active(self, on=None) -> "JobSupportQuerySet":
        """Periods running on `on` (today by default): started, and not yet at their end day. A period ends
        by itself when the day comes — no job needs to run."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gt=on)


class AssistanceImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssistanceImportQuerySet":
        """The deliveries of the user's municipality, for those who may import (finance, unit heads)."""
        if not _imports_assistance(user):
            return self.none()
        return self.filter(municipality_id=municipality_id_of(user))


class AssistanceMonthQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssistanceMonthQuerySet":
        """A person's monthly assistance status (rows of the deliveries): the rows of the people of the user's
        municipality, for those who import the deliveries (finance, unit heads); nobody else — the case
        pages and the indicators read them only as aggregates."""
        if not _imports_assistance(user):
            return self.none()
        return self.filter(participant__municipality_id=municipality_id_of(user))
