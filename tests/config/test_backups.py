"""`backup` and `restore` (make backup / make restore): a backup restored into a fresh
database holds the same rows, the same values and the same uploaded files."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from logs.models import Comment
from logs.uploads import store_image
from ops import postgres
from ops.postgres import Tool, choose
from tests import factories
from tests.scale.servers import database_url


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restore"
    admin = {**settings_dict, "NAME": "postgres"}
    with postgres.connect(admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**settings_dict, "NAME": name}
    with postgres.connect(admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _only_child(folder):
    children = list(folder.iterdir())
    assert len(children) == 1, children
    return children[0]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_everything(
    tmp_path, settings, fresh_database, learner, teammate, mentor, team, cohort
):
    settings.MEDIA_ROOT = tmp_path / "media"
    entry = factories.make_entry(
        learner,
        cohort,
        body="## 오늘 한 일\n- [x] 트랜스포머의 어텐션 $c_0$\n",
        tags=["부스트캠프AITech"],
    )
    session = factories.make_session(team)
    Comment.objects.create(author=mentor, entry=entry, body="좋아요 👍")
    image = _png()
    upload = store_image(learner, image, "그림.png")

    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=io.StringIO())
    backup = _only_child(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["logs_entry"] == 1
    assert manifest["media_file"] == "media.tar.gz"
    assert manifest["server_major"] == connection.pg_version // 10000

    out = io.StringIO()
    call_command(
        "restore",
        str(backup),
        database_url=database_url(fresh_database),
        media_root=str(tmp_path / "restored-media"),
        no_input=True,
        stdout=out,
    )
    assert "every row count matches" in out.getvalue()

    # Every table has the same number of rows as the original...
    assert postgres.table_counts(fresh_database) == postgres.table_counts(connection.settings_dict)
    # ...and the rows hold the same values, Korean text, rendered HTML and password hashes too.
    with postgres.connect(fresh_database) as conn:
        title, body, html = conn.execute(
            "SELECT title, body, body_html FROM logs_entry WHERE id = %s", [entry.pk]
        ).fetchone()
        assert (title, body) == (entry.title, entry.body)
        assert "<math" in html
        assert conn.execute(
            "SELECT display_name, password FROM accounts_user WHERE username = 'learner'"
        ).fetchone() == ("이캠퍼", learner.password)
        assert conn.execute(
            "SELECT name FROM taggit_tag JOIN logs_taggedentry ON tag_id = taggit_tag.id"
        ).fetchone() == ("부스트캠프AITech",)
        assert conn.execute("SELECT body FROM logs_comment").fetchone() == ("좋아요 👍",)
        assert conn.execute(
            "SELECT title FROM logs_session WHERE id = %s", [session.pk]
        ).fetchone() == (session.title,)
        # Sequences follow: the next row does not collide with a restored one.
        next_id = conn.execute("SELECT nextval('logs_entry_id_seq')").fetchone()[0]
        assert next_id > entry.pk
    # The uploaded file came back byte for byte.
    assert (tmp_path / "restored-media" / upload.file.name).read_bytes() == image


@pytest.mark.django_db(transaction=True)
def test_restoring_over_a_database_replaces_its_rows(
    tmp_path, settings, fresh_database, learner, cohort
):
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.make_entry(learner, cohort, title="백업할 때의 제목")
    call_command("backup", output_dir=str(tmp_path / "b"), no_media=True, stdout=io.StringIO())
    backup = _only_child(tmp_path / "b")
    url = database_url(fresh_database)
    call_command("restore", str(backup), database_url=url, no_input=True, stdout=io.StringIO())
    with postgres.connect(fresh_database) as conn:
        conn.execute("UPDATE logs_entry SET title = '나중에 바꾼 제목'")
        conn.execute("DELETE FROM logs_comment")

    call_command("restore", str(backup), database_url=url, no_input=True, stdout=io.StringIO())
    with postgres.connect(fresh_database) as conn:
        assert conn.execute("SELECT title FROM logs_entry").fetchall() == [("백업할 때의 제목",)]


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path), no_input=True)


@pytest.mark.django_db
def test_restore_asks_before_replacing_the_database(tmp_path, monkeypatch):
    (tmp_path / "manifest.json").write_text(
        json.dumps({"database_file": "database.dump", "created_at": "2026-01-01T00:00:00"})
    )
    (tmp_path / "database.dump").write_bytes(b"")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_half_folder(tmp_path, monkeypatch):
    def no_tool(name, major, at_least=0):
        raise CommandError(f"No {name} for PostgreSQL {major} or newer")

    monkeypatch.setattr(postgres, "find_tool", no_tool)
    with pytest.raises(CommandError, match="No pg_dump"):
        call_command("backup", output_dir=str(tmp_path / "b"), stdout=io.StringIO())
    assert list((tmp_path / "b").iterdir()) == []


# --- Which pg_dump / pg_restore -----------------------------------------------------------------

TOOLS = [Tool("/wheel/16/pg_dump", 16), Tool("/wheel/18/pg_dump", 18), Tool("/debian/15", 15)]


def test_it_prefers_the_tool_of_the_servers_major_version():
    assert choose("pg_dump", TOOLS, 15).major == 15
    assert choose("pg_dump", TOOLS, 18).major == 18


def test_without_an_exact_match_it_takes_the_oldest_newer_tool():
    assert choose("pg_dump", TOOLS, 14).major == 15
    assert choose("pg_dump", TOOLS, 17).major == 18


def test_a_restore_needs_a_tool_that_can_read_the_archive():
    # A dump made by pg_dump 18 is not read by pg_restore 15, even into a 15 server.
    assert choose("pg_restore", TOOLS, 15, at_least=16).major == 16


def test_it_says_what_to_install_when_no_tool_is_new_enough():
    with pytest.raises(CommandError, match="postgresql-client-19"):
        choose("pg_dump", TOOLS, 19)


def test_it_finds_real_binaries_for_the_test_server(db):
    major = connection.pg_version // 10000
    tool = postgres.find_tool("pg_dump", major)
    assert tool.major >= major
