"""The Celery app: background and scheduled work (docs/operations.md, "Processes" and "Schedule").

`celery -A jobbtorg worker` runs the tasks, `celery -A jobbtorg beat` sends the scheduled ones (the schedule
lives in the database, django-celery-beat, editable in the admin). Settings come from Django's, prefixed
`CELERY_`; without `CELERY_BROKER_URL` (development, the demo, the tests) tasks run eagerly in the caller."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from jobbtorg.utils import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings.dev")

app = Celery("jobbtorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A task's log records carry its id as their request id (`task-` and the first 8 characters), as a web
# request's do (utils.request_id); eagerly in a request, the request's id comes back when the task ends.
_bound: dict[str, object] = {}


@task_prerun.connect
def _bind_task_id(task_id=None, **kwargs):
    if task_id:
        _bound[task_id] = request_id.bind(f"task-{task_id[:8]}")


@task_postrun.connect
def _unbind_task_id(task_id=None, **kwargs):
    token = _bound.pop(task_id, None)
    if token is not None:
        request_id.unbind(token)
