from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark (`manage.py bench`): installed in development and by `make bench` only
    (`CAMPLOG_BENCH`), so production never imports it."""

    name = "bench"
    verbose_name = "Benchmark"
