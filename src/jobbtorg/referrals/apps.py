from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "jobbtorg.referrals"

    def ready(self):
        from . import receivers  # noqa: F401
