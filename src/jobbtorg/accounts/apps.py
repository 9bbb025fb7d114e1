from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_groups(sender, **kwargs):
    # post_migrate is sent once per app, after that app's permissions exist: the last call has them all.
    from .services import role_groups_sync

    role_groups_sync(strict=False)


class AccountsConfig(AppConfig):
    name = "jobbtorg.accounts"
    verbose_name = _("Organisation and staff")

    def ready(self):
        # After the last app has migrated, so every permission exists.
        post_migrate.connect(_sync_groups, dispatch_uid="jobbtorg_role_groups")
