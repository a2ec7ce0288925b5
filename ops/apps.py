from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating the site: backups and restores (`make backup`, `make restore`). It sits above
    `logs` and `accounts`: a restore invalidates the page cache."""

    name = "ops"
    verbose_name = "Operations"
