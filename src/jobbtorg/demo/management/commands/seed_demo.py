"""`manage.py seed_demo [--if-empty] [--seed N] [--participants 300]` — the demo municipality."""

from django.core.management.base import BaseCommand, CommandError

from jobbtorg.accounts.models import Municipality
from jobbtorg.demo import seed as demo


class Command(BaseCommand):
    help = (
        "Create the demo municipality (Stockholms stad (demo), five Jobbtorg, staff of every role and "
        "people in every stage of the flow), through the services. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any municipality exists (used by `make run`).",
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="Random seed (default 1).")
        parser.add_argument(
            "--participants",
            type=int,
            default=demo.DEFAULT_PARTICIPANTS,
            help="How many people to refer (default 300).",
        )

    def handle(self, *args, **options):
        seed, participants = options["seed"], options["participants"]
        if Municipality.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "The database already holds a municipality; the demo data is not loaded again."
                )
                return
            if Municipality.objects.filter(code=demo.MUNICIPALITY_CODE).exists():
                raise CommandError(
                    f"Municipality code {demo.MUNICIPALITY_CODE} exists already. Start from an empty "
                    "database (e.g. `make clean run`) to seed the demo again."
                )
        if participants < 0:
            raise CommandError("--participants must be zero or more.")
        result = demo.seed_demo(seed=seed, participants=participants)
        for line in result.summary_lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded (seed {seed}). All demo logins use the password "
                f'"{demo.PASSWORD}"; `manage.py demo_logins` lists them.'
            )
        )
