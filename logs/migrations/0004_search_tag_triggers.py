"""Keep `search_tags` (and through it the generated `search_vector`) in step with the tags.

A generated column may only read its own row, so the tag names are copied into `search_tags` by
triggers, whoever changes the tags (the editor, the importer, the admin, taggit's API, raw SQL):

- BEFORE INSERT OR UPDATE on the object recomputes `search_tags` from the tag tables, so a save
  from a stale Python object can never write old tags back;
- AFTER statement triggers on the through table, and a trigger on a tag's rename, "touch" the
  objects whose tags changed (`SET search_tags = ''`), which runs the first trigger.
"""

from django.db import migrations

TABLES = [
    # (object table, through table)
    ("logs_entry", "logs_taggedentry"),
    ("logs_session", "logs_taggedsession"),
]


def _forward(table: str, through: str) -> str:
    return f"""
CREATE FUNCTION {table}_search_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_tags := COALESCE(
        (SELECT string_agg(t.name, ' ' ORDER BY t.name)
           FROM {through} x JOIN taggit_tag t ON t.id = x.tag_id
          WHERE x.content_object_id = NEW.id),
        '');
    RETURN NEW;
END $$;
CREATE TRIGGER {table}_search_tags BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_search_tags();

CREATE FUNCTION {through}_touch_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET search_tags = '' WHERE id IN (SELECT content_object_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION {through}_touch_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET search_tags = '' WHERE id IN (SELECT content_object_id FROM old_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION {through}_touch_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET search_tags = ''
     WHERE id IN (SELECT content_object_id FROM new_rows
                  UNION SELECT content_object_id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER {through}_search_insert AFTER INSERT ON {through}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {through}_touch_new();
CREATE TRIGGER {through}_search_delete AFTER DELETE ON {through}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {through}_touch_old();
CREATE TRIGGER {through}_search_update AFTER UPDATE ON {through}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {through}_touch_both();

UPDATE {table} SET search_tags = '';
"""


def _backward(table: str, through: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {through}_search_insert ON {through};
DROP TRIGGER IF EXISTS {through}_search_delete ON {through};
DROP TRIGGER IF EXISTS {through}_search_update ON {through};
DROP FUNCTION IF EXISTS {through}_touch_new();
DROP FUNCTION IF EXISTS {through}_touch_old();
DROP FUNCTION IF EXISTS {through}_touch_both();
DROP TRIGGER IF EXISTS {table}_search_tags ON {table};
DROP FUNCTION IF EXISTS {table}_search_tags();
UPDATE {table} SET search_tags = '';
"""


RENAME_FORWARD = """
CREATE FUNCTION taggit_tag_search_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE logs_entry SET search_tags = ''
     WHERE id IN (SELECT content_object_id FROM logs_taggedentry WHERE tag_id = NEW.id);
    UPDATE logs_session SET search_tags = ''
     WHERE id IN (SELECT content_object_id FROM logs_taggedsession WHERE tag_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER taggit_tag_search_rename AFTER UPDATE OF name ON taggit_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION taggit_tag_search_rename();
"""

RENAME_BACKWARD = """
DROP TRIGGER IF EXISTS taggit_tag_search_rename ON taggit_tag;
DROP FUNCTION IF EXISTS taggit_tag_search_rename();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("logs", "0003_search_vectors"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        *(
            migrations.RunSQL(_forward(table, through), _backward(table, through))
            for table, through in TABLES
        ),
        migrations.RunSQL(RENAME_FORWARD, RENAME_BACKWARD),
    ]
