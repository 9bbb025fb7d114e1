"""`manage.py install_schedule [--reset]`: the default schedule of the chores (background/schedule.py) as
periodic tasks that celery beat runs and the administrator edits in the admin."""

from django.core.management.base import BaseCommand

from jobbtorg.background.schedule import DEFAULT_SCHEDULE, schedule_install


class Command(BaseCommand):
    help = "Create the default periodic tasks that are missing (--reset: put every one back to its default)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Overwrite the administrator's changes.")

    def handle(self, *args, reset: bool, **options):
        changed = schedule_install(reset=reset)
        done = "reset" if reset else "created"
        self.stdout.write(f"{changed} of {len(DEFAULT_SCHEDULE)} periodic tasks {done}.")
