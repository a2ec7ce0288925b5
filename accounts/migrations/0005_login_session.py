import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def keep_logged_in(apps, schema_editor):
    """Copy the sessions Django's own store holds, so nobody is logged out by the switch."""
    from django.contrib.auth import SESSION_KEY
    # Django's store: its class name salts the signature (as does accounts.sessions.SessionStore's,
    # the same name), so the copied data stays readable.
    from django.contrib.sessions.backends.db import SessionStore

    OldSession = apps.get_model("sessions", "Session")
    LoginSession = apps.get_model("accounts", "LoginSession")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    decoder = SessionStore()
    rows = OldSession.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000)
    batch = []
    for row in rows:
        user_id = decoder.decode(row.session_data).get(SESSION_KEY)
        batch.append(
            LoginSession(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=int(user_id) if user_id and str(user_id).isdigit() else None,
            )
        )
        if len(batch) == 2000:
            _insert(LoginSession, User, batch)
            batch = []
    _insert(LoginSession, User, batch)


def _insert(LoginSession, User, batch):
    # A session of a user deleted since is not worth keeping.
    known = set(User.objects.filter(pk__in={r.user_id for r in batch}).values_list("pk", flat=True))
    for row in batch:
        if row.user_id not in known:
            row.user_id = None
    LoginSession.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_operators_group"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoginSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "accounts_login_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(keep_logged_in, migrations.RunPython.noop, elidable=True),
    ]
