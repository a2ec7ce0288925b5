from django.db import migrations

from logs.rendering import with_image_sizes


def size_the_images(apps, schema_editor):
    """Logs and sessions saved before uploaded images got their width and height."""
    uploads = apps.get_model("logs", "Upload").objects
    for model, field in (("Entry", "body_html"), ("Session", "summary_html")):
        rows = apps.get_model("logs", model).objects.filter(**{f"{field}__contains": "/media/"})
        for row in rows.only("pk", field).iterator(chunk_size=500):
            html = with_image_sizes(getattr(row, field), uploads)
            if html != getattr(row, field):
                rows.model.objects.filter(pk=row.pk).update(**{field: html})


class Migration(migrations.Migration):
    dependencies = [("logs", "0009_entry_week_counts_from_the_index")]

    operations = [migrations.RunPython(size_the_images, migrations.RunPython.noop, elidable=True)]
