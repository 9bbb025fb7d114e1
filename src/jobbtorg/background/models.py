"""Background work: a job started from a page (its status, progress and result) and the marks that make a
task's effect happen once however often the task is retried."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import JobKind, JobStatus
from .querysets import BackgroundJobQuerySet


class OnceMark(models.Model):
    """An effect that has happened: written in the same transaction as the effect (a payment line, an
    import, a sent reminder), so that a retried task finds it and does nothing (`background.once`)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("once mark")
        verbose_name_plural = _("once marks")


class BackgroundJob(models.Model):
    """Long work started from a page: queued → running → done / failed (with the reason). The page polls
    its status fragment; the result is a file to download or a short summary."""

    kind = models.CharField(_("kind"), max_length=40, choices=JobKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="background_jobs",
        verbose_name=_("started by"),
    )
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    reason = models.TextField(_("reason"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # An uploaded file the job works on (an import); removed when the job has finished.
    input_file = models.FileField(_("input file"), upload_to="background/input/", blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="background/result/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="background_progress_percent")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
