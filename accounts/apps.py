from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_operator_group(sender, **kwargs) -> None:
    # Also after `flush` (which empties auth_group), so the group is always there.
    from accounts.operators import ensure_operator_group

    ensure_operator_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and cohorts")

    def ready(self) -> None:
        post_migrate.connect(_ensure_operator_group, sender=self)
