from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("logs", "0008_fragment_versions"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="entry", name="logs_entry_cohort__c509cb_idx"),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                fields=["cohort", "week", "kind"],
                include=("status", "visibility", "author"),
                name="entry_cohort_week_idx",
            ),
        ),
    ]
