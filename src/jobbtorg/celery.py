"""The Celery app: background and scheduled work (docs/operations.md, "Processes" and "Schedule").

`celery -A jobbtorg worker` runs the tasks, `celery -A jobbtorg beat` sends the scheduled ones (the schedule
lives in the database, django-celery-beat, editable in the admin). Settings come from Django's, prefixed
`CELERY_`; without `CELERY_BROKER_URL` (development, the demo, the tests) tasks run eagerly in the caller."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings.dev")

app = Celery("jobbtorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
