from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_catalogue(sender, **kwargs):
    if sender.name != "jobbtorg.interventions":
        return
    from .catalogue import catalogue_ensure
    from .models import InterventionType

    catalogue_ensure(InterventionType)


class InterventionsConfig(AppConfig):
    name = "jobbtorg.interventions"
    verbose_name = _("Interventions")

    def ready(self):
        post_migrate.connect(_ensure_catalogue, sender=self, dispatch_uid="jobbtorg_intervention_catalogue")
        from . import receivers  # noqa: F401
