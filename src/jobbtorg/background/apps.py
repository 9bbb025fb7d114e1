from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from jobbtorg.utils.metrics import add_collector


class BackgroundConfig(AppConfig):
    name = "jobbtorg.background"
    verbose_name = _("Background work")

    def ready(self):
        from celery.signals import task_failure, task_retry

        from .metrics import BackgroundCollector, count_failure, count_retry

        add_collector(BackgroundCollector())
        task_failure.connect(count_failure, dispatch_uid="jobbtorg_task_failures")
        task_retry.connect(count_retry, dispatch_uid="jobbtorg_task_retries")
