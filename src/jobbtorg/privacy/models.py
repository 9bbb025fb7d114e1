"""What was thinned (gallrat) and when — metadata only: record type, how many, the rule and the run. Never a
name, an identity number or any content of what was removed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.audit.models import AppendOnly


class DeletionLog(AppendOnly):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    run_id = models.UUIDField(_("run"), db_index=True)
    rule = models.CharField(_("rule"), max_length=60)
    record_type = models.CharField(_("record type"), max_length=100)
    count = models.PositiveIntegerField(_("count"))
    cutoff = models.DateTimeField(_("ended before"))
    ran_by = models.CharField(_("run by"), max_length=150, help_text=_("The operator or the scheduler."))

    class Meta:
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")
        ordering = ["-at", "record_type"]
