"""Load the demo: the seed's cohort, its calendar, a team and the five personas, the seed example
as `learner`'s daily log of 2022-02-09 and a few short logs around it. Idempotent: entries are
keyed by their `source_name` and created once."""

import datetime as dt
import io
import itertools
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Cohort, Invite, Membership, NonLearningDay, Stage, Team, User
from accounts.operators import grant_operator_access
from logs.management.commands.demo.entries import ENTRIES
from logs.management.commands.demo.sessions import seed_sessions
from logs.models import Entry
from logs.transfer import jekyll
from logs.uploads import link_uploads, store_image

SEED_FILE = Path(__file__).parent / "demo" / "2022-02-09-week04-day015.md"

PASSWORD = "camplog-demo-1234"

COHORT = {
    "slug": "ai-tech-3",
    "name": "부스트캠프 AI Tech 3기",
    "start_date": dt.date(2022, 1, 17),
    "end_date": dt.date(2022, 6, 10),
    "description": "네이버 부스트캠프 AI Tech 3기의 학습 기록.",
}
HOLIDAYS = [
    (dt.date(2022, 1, 31), "설날"),
    (dt.date(2022, 2, 1), "설날"),
    (dt.date(2022, 2, 2), "설날"),
]
STAGES = [
    ("Level 1 U-stage", "lv1-u-stage", dt.date(2022, 1, 17), dt.date(2022, 2, 11)),
    ("Level 1 P-stage", "lv1-p-stage", dt.date(2022, 2, 14), dt.date(2022, 3, 11)),
    ("Level 2", "lv2", dt.date(2022, 3, 14), dt.date(2022, 5, 13)),
    ("Level 3", "lv3", dt.date(2022, 5, 16), dt.date(2022, 6, 10)),
]
USERS = [
    # username, display name, role in the cohort (None: no cohort), staff
    ("learner", "이캠퍼", "learner", False),
    ("learner2", "박동료", "learner", False),
    ("mentor", "김멘토", "mentor", False),
    ("operator", "최운영", "operator", True),
    ("outsider", "정방문", None, False),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo cohort ai-tech-3 and its users; prints their password."

    @transaction.atomic
    def handle(self, *args, **options):
        cohort, _ = Cohort.objects.update_or_create(slug=COHORT["slug"], defaults=COHORT)
        for date, name in HOLIDAYS:
            NonLearningDay.objects.update_or_create(
                cohort=cohort, date=date, defaults={"name": name}
            )
        for name, slug, start, end in STAGES:
            Stage.objects.update_or_create(
                cohort=cohort,
                slug=slug,
                defaults={"name": name, "start_date": start, "end_date": end},
            )
        team, _ = Team.objects.get_or_create(cohort=cohort, name="7조")

        users = {}
        for username, display_name, role, staff in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": display_name,
                    "email": f"{username}@camplog.local",
                    "is_staff": staff,
                },
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            users[username] = user
            if role:
                Membership.objects.update_or_create(
                    user=user,
                    cohort=cohort,
                    defaults={"role": role, "team": team if role == "learner" else None},
                )
        team.mentors.add(users["mentor"])
        # The operator runs the cohort from the admin: staff in the Operators group.
        grant_operator_access(users["operator"])
        invite = Invite.objects.usable().filter(cohort=cohort, note="demo").first()
        if invite is None:
            invite = Invite.objects.create(
                cohort=cohort, team=team, note="demo", max_uses=100, created_by=users["operator"]
            )
        cohort = Cohort.objects.prefetch_related("non_learning_days", "stages").get(pk=cohort.pk)
        created = self.load_seed_example(cohort, users["learner"])
        created += self.load_entries(cohort, users)
        if created:
            self.stdout.write(f"Created {created} demo entries.")
        sessions = seed_sessions(cohort, team, users)

        self.stdout.write(self.style.SUCCESS(f"Demo cohort: {cohort.name} (/c/{cohort.slug}/)"))
        for session in sessions:
            self.stdout.write(f"  {session.get_kind_display()}: {session.get_absolute_url()}")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, display_name, role, _ in USERS:
            self.stdout.write(f"  {username:<10} {display_name} · {role or 'no cohort'}")
        self.stdout.write(f"Invite link (joins 7조): {invite.get_absolute_url()}")

    def load_seed_example(self, cohort: Cohort, author: User) -> int:
        """The canonical log, as `learner`'s daily log; its picture becomes a real upload."""
        source_name = SEED_FILE.name
        if Entry.objects.filter(author=author, source_name=source_name).exists():
            return 0
        post = jekyll.parse_post(source_name, SEED_FILE.read_bytes())
        body = post.body
        for path in jekyll.image_refs(body):
            upload = store_image(author, _diagram_png(), original_name=path.rsplit("/", 1)[-1])
            body = jekyll.rewrite_image_refs(body, {path: upload.url})
        entry = Entry(
            author=author,
            cohort=cohort,
            kind=Entry.Kind.DAILY,
            learning_date=cohort.calendar.learning_date(post.date),
            title=post.title or cohort.calendar.daily_title(post.date.date()),
            body=body,
            visibility=post.visibility or "cohort",
            status=Entry.Status.PUBLISHED if post.published else Entry.Status.DRAFT,
            source_name=source_name,
            front_matter={"categories": post.categories, "image": post.image, **post.extra},
        )
        entry.save()
        entry.tags.set(post.tags)
        link_uploads(entry, entry.body, author)
        return 1

    def load_entries(self, cohort: Cohort, users: dict[str, User]) -> int:
        created = 0
        for source_name, username, day, kind, visibility, tags, title, body in ENTRIES:
            author = users[username]
            if Entry.objects.filter(author=author, source_name=source_name).exists():
                continue
            entry = Entry.objects.create(
                author=author,
                cohort=cohort,
                kind=kind,
                learning_date=day,
                title=title or cohort.calendar.daily_title(day),
                body=body,
                visibility=visibility,
                source_name=source_name,
            )
            entry.tags.set(tags)
            created += 1
        return created


def _diagram_png() -> bytes:
    """A small drawing of the LSTM cell-state "highway" for the seed's image."""
    image = Image.new("RGB", (720, 220), "#f6f6f3")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    boxes = [(40, "c(t-1)"), (230, "x f(t)"), (420, "+ i*g"), (600, "c(t)")]
    for x, label in boxes:
        draw.rounded_rectangle(
            (x, 70, x + 90, 140), radius=12, outline="#176b4f", width=3, fill="#e6f2ec"
        )
        draw.text((x + 45, 105), label, fill="#1b1e22", font=font, anchor="mm")
    for (x1, _), (x2, _) in itertools.pairwise(boxes):
        draw.line((x1 + 92, 105, x2 - 4, 105), fill="#176b4f", width=4)
        draw.polygon([(x2 - 4, 105), (x2 - 16, 98), (x2 - 16, 112)], fill="#176b4f")
    draw.text((360, 30), "backprop through the cell state", fill="#5b6169", font=font, anchor="mm")
    draw.text((360, 185), "gradient highway", fill="#176b4f", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
