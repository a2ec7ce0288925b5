"""The "Operators" group with its model permissions (see accounts/operators.py)."""

from django.db import migrations


def create_group(apps, schema_editor):
    from accounts.operators import ensure_operator_group

    ensure_operator_group(apps)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Operators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_calendar_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
