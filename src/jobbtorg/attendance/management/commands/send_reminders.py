"""Remind people of their meetings (run by the scheduler, e.g. every hour): each meeting is reminded once."""

from django.core.management.base import BaseCommand

from jobbtorg.attendance.services import appointment_reminders_send


class Command(BaseCommand):
    help = "Send reminders (e-mail/SMS) for meetings starting within the next hours; each meeting once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours-ahead", type=int, default=24, help="Remind meetings starting within this many hours."
        )

    def handle(self, *args, hours_ahead: int, **options):
        sent = appointment_reminders_send(hours_ahead=hours_ahead)
        self.stdout.write(f"Reminders sent: {sent}")
