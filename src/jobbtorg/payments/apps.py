from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "jobbtorg.payments"
    verbose_name = _("Results-based compensation")
