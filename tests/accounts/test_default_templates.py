"""The cohorts' default log templates: they render without lone bullets or gaps, and cohorts that
still hold the old default get the new one (migration 0006); a template of one's own stays."""

import importlib
import re

import pytest
from django.apps import apps

from accounts.models import DEFAULT_DAILY_TEMPLATE, DEFAULT_WEEKLY_TEMPLATE, Cohort
from logs.rendering import markdownify
from tests import factories

migration = importlib.import_module("accounts.migrations.0006_templates_without_placeholders")


@pytest.mark.parametrize("template", [DEFAULT_DAILY_TEMPLATE, DEFAULT_WEEKLY_TEMPLATE])
def test_an_untouched_template_renders_as_headings_only(template):
    html = str(markdownify(template))
    assert "<br" not in html
    assert "<li" not in html and "<ul" not in html and 'type="checkbox"' not in html
    assert re.sub(r"<h[23][^>]*>.*?</h[23]>", "", html, flags=re.S).strip() == ""


def test_the_old_template_did_show_lone_bullets_and_gaps():
    """What the migration is for: the old default's placeholders rendered."""
    html = str(markdownify(migration.OLD_DAILY))
    assert "<br" in html and "<li" in html


@pytest.mark.django_db
def test_the_migration_updates_only_cohorts_still_holding_the_old_default():
    old = factories.make_cohort(
        "old", daily_template=migration.OLD_DAILY, weekly_template=migration.OLD_WEEKLY
    )
    own = factories.make_cohort(
        "own", daily_template="## 나만의 템플릿\n- \n", weekly_template=migration.OLD_WEEKLY
    )
    migration.forwards(apps, None)
    old.refresh_from_db()
    own.refresh_from_db()
    assert (old.daily_template, old.weekly_template) == (migration.NEW_DAILY, migration.NEW_WEEKLY)
    assert own.daily_template == "## 나만의 템플릿\n- \n"
    assert own.weekly_template == migration.NEW_WEEKLY
    migration.backwards(apps, None)
    assert Cohort.objects.get(slug="old").daily_template == migration.OLD_DAILY
