from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo municipality: `manage.py seed_demo` and `manage.py demo_logins`. No models."""

    name = "jobbtorg.demo"
    verbose_name = _("Demo data")
