from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_taxonomy(sender, **kwargs):
    """The data migration loads the taxonomy; a flushed test database gets it back here."""
    if sender.name != "jobbtorg.taxonomy":
        return
    from django.apps import apps

    from .loading import load

    load(apps)


class TaxonomyConfig(AppConfig):
    name = "jobbtorg.taxonomy"
    verbose_name = _("Occupation taxonomy")

    def ready(self):
        post_migrate.connect(_ensure_taxonomy, sender=self, dispatch_uid="jobbtorg_taxonomy_load")
