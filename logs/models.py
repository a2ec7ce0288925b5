"""What learners write: entries (daily logs, weekly logs, notes), their team's sessions, comments
and notifications. Who may see what is decided in `logs.access`; the QuerySets here only
offer its rule as a word (`visible_to`)."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from accounts.models import Cohort, Membership, Stage, Team
from logs import access, locking
from logs.markdown import PIPELINE_VERSION, Rendered
from logs.rendering import render_into, render_short


class Visibility(models.TextChoices):
    # "visibility": the catalogue keeps these words apart from the same words as nouns.
    PRIVATE = "private", pgettext_lazy("visibility", "Only me")
    COHORT = "cohort", pgettext_lazy("visibility", "My cohort")
    PUBLIC = "public", pgettext_lazy("visibility", "Everyone")


class TaggedEntry(TaggedItemBase):
    content_object = models.ForeignKey("Entry", on_delete=models.CASCADE)

    class Meta:
        indexes = [models.Index(fields=["tag", "content_object"])]


class TaggedSession(TaggedItemBase):
    content_object = models.ForeignKey("Session", on_delete=models.CASCADE)

    class Meta:
        indexes = [models.Index(fields=["tag", "content_object"])]


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EntryQuerySet":
        return self.filter(access.entry_visibility_q(user))

    def published(self) -> "EntryQuerySet":
        return self.filter(status=Entry.Status.PUBLISHED)

    def for_list(self) -> "EntryQuerySet":
        """What a list row needs, without the big columns."""
        return self.for_links().select_related("cohort", "stage").prefetch_related("tags")

    def for_links(self) -> "EntryQuerySet":
        """What a link to an entry needs (title, status, author), without the big columns."""
        return self.select_related("author").defer(
            "body", "body_html", "toc", "front_matter", "search_tags"
        )

    def for_row(self) -> "EntryQuerySet":
        """What `logs/browse/_entry_row.html` shows, in one query with `with_tag_pairs()`:
        comment counts and the author's team included, the big columns left out."""
        return (
            self.select_related("author", "cohort", "stage")
            .defer("body", "body_html", "toc", "front_matter", "search_tags")
            .with_comment_count()
            .with_team_name()
        )

    def on_day(self, cohort: Cohort, day) -> "EntryQuerySet":
        return self.filter(cohort=cohort, learning_date=day)

    def tagged(self, tag) -> "EntryQuerySet":
        return self.filter(tags=tag)

    def with_team_name(self) -> "EntryQuerySet":
        """`team_name`: the author's team in the entry's cohort (None for mentors, operators)."""
        # One membership per user and cohort: no ordering (Membership's default joins the
        # cohort and the user to sort, for every row of the list).
        team = (
            Membership.objects.filter(user=OuterRef("author_id"), cohort=OuterRef("cohort_id"))
            .order_by()
            .values("team__name")[:1]
        )
        return self.annotate(team_name=Subquery(team))

    def with_tag_pairs(self) -> "EntryQuerySet":
        """`tag_pairs` in the row itself (see `tagging.attach_tags`): lists that must stay within a
        fixed number of queries read their tags without a prefetch query."""
        return self.annotate(tag_pairs=_tag_pairs(TaggedEntry))

    def with_comment_count(self) -> "EntryQuerySet":
        """`comment_count` per entry, as a correlated Count: no GROUP BY over the wide row, and
        no double counting when the query also joins tags."""
        return self.annotate(comment_count=_comment_count("entry"))

    def matching(self, tsquery: str) -> "EntryQuerySet":
        """Full-text match of `tsquery` (built by `logs.search.query`) against title, tags and body."""
        return self.filter(search_vector=search_query(tsquery))


def search_query(tsquery: str) -> SearchQuery:
    return SearchQuery(tsquery, search_type="raw", config="simple")


def _comment_count(field: str, top_level: bool = False):
    comments = Comment.objects.filter(**{field: OuterRef("pk")})
    if top_level:
        comments = comments.filter(parent__isnull=True)
    counts = comments.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts), 0)


def _tag_pairs(through):
    pairs = (
        through.objects.filter(content_object=OuterRef("pk"))
        .order_by("tag__name")
        .values(pair=JSONObject(name="tag__name", slug="tag__slug"))
    )
    return ArraySubquery(pairs)


def _search_vector(*weighted: tuple[str, str]) -> SearchVector:
    vector = None
    for column, weight in weighted:
        part = SearchVector(column, config="simple", weight=weight)
        vector = part if vector is None else vector + part
    return vector


class SearchDeferringManager(models.Manager):
    """Every query leaves the (large) search vector in the database; search filters on it in SQL
    and never needs it in Python."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class Entry(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("daily log")
        WEEKLY = "weekly", _("weekly log")
        NOTE = "note", _("note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DAILY)
    learning_date = models.DateField(_("learning date"))
    # Derived from the cohort calendar on save and stored, so weeks and days can be filtered by index.
    week = models.SmallIntegerField(_("week"), editable=False)
    day_number = models.SmallIntegerField(_("learning day"), null=True, editable=False)
    stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    body = MarkdownxField(_("body"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    excerpt = models.TextField(editable=False, blank=True)
    markdown_version = models.PositiveSmallIntegerField(editable=False, default=0)
    has_math = models.BooleanField(editable=False, default=False)
    tags = TaggableManager(_("tags"), through=TaggedEntry, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.COHORT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    # Optimistic locking: every save checks and bumps it, so two tabs never overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Import key and the front-matter keys Camplog has no field for, written back on export.
    source_name = models.CharField(max_length=255, blank=True, editable=False)
    front_matter = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Full-text search (see logs/search/). The tag names are copied here by a database trigger
    # (migration 0004) whenever tags change, because a generated column cannot read other tables.
    search_tags = models.TextField(editable=False, blank=True, default="")
    search_vector = models.GeneratedField(
        expression=_search_vector(("title", "A"), ("search_tags", "A"), ("body", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = SearchDeferringManager.from_queryset(EntryQuerySet)()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-learning_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "cohort", "learning_date"],
                condition=Q(kind="daily"),
                name="entry_one_daily_log_per_day",
            ),
            models.UniqueConstraint(
                fields=["author", "cohort", "week"],
                condition=Q(kind="weekly"),
                name="entry_one_weekly_log_per_week",
            ),
            models.UniqueConstraint(
                fields=["author", "source_name"],
                condition=~Q(source_name=""),
                name="entry_unique_import_source",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "learning_date"]),
            # With status, visibility and author, the counts of the cohort home and the week
            # are read from the index alone, for everyone and for an author with drafts.
            models.Index(
                fields=["cohort", "week", "kind"],
                include=["status", "visibility", "author"],
                name="entry_cohort_week_idx",
            ),
            models.Index(F("author"), F("learning_date").desc(), name="entry_author_date_idx"),
            models.Index(fields=["visibility", "status"]),
            # Search ranks the newest matches (logs/search/results.py): found in date order.
            models.Index(F("learning_date").desc(), F("id").desc(), name="entry_newest_idx"),
            GinIndex(fields=["search_vector"], name="entry_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("logs:entry_detail", args=[self.pk])

    def apply_calendar(self) -> None:
        """Store week, learning day and stage of `learning_date` from the cohort calendar."""
        calendar = self.cohort.calendar
        self.week = calendar.week_of(self.learning_date)
        self.day_number = calendar.day_number(self.learning_date)
        span = calendar.stage_of(self.learning_date)
        self.stage = (
            next((s for s in self.cohort.stages.all() if s.slug == span.slug), None)
            if span
            else None
        )

    def derive(self, rendered: Rendered | None = None) -> None:
        """Store what follows from the fields: the calendar's week, day and stage, and the body
        rendered (`rendered` when the importer rendered it in a worker process)."""
        self.apply_calendar()
        render_into(self, "body", rendered)

    def save(self, *args, rendered: Rendered | None = None, **kwargs):
        self.derive(rendered)
        super().save(*args, **kwargs)

    # What an edit may change; author, cohort and creation time stay as they were.
    EDITABLE_FIELDS = ("kind", "learning_date", "title", "body", "visibility", "status")

    def save_checked(self, expected_version: int) -> bool:
        """Write this entry over its row only if the row is still at `expected_version`.

        The version is checked in the UPDATE itself (`WHERE id = … AND version = …`), so of two
        tabs that loaded version 3, the first save wins and the second changes nothing and gets
        False: the caller shows a conflict instead of silently overwriting. Returns True and
        bumps `self.version` when the row was written.
        """
        self.derive()
        self.updated_at = timezone.now()
        derived = (
            *("week", "day_number", "stage"),
            *("body_html", "toc", "excerpt", "has_math", "markdown_version"),
        )
        names = (*self.EDITABLE_FIELDS, *derived, "updated_at")
        attnames = [self._meta.get_field(name).attname for name in names]
        written = locking.claim_version(
            self, expected_version, **{attname: getattr(self, attname) for attname in attnames}
        )
        if written:
            # An UPDATE sends no post_save: tell the cached pages (logs/caching/invalidation.py).
            from logs.caching import invalidation

            invalidation.entry_saved(self)
        return written


class Autosave(models.Model):
    """What an editor saved while the author typed, before they pressed save. Only its author
    ever reads it. `key` names what is edited (`entry:<pk>` for an existing entry,
    `new:<cohort>:<kind>:<date>` for a new one) and `device` the editor page it came from (a
    random id given to each opened editor), so two tabs or devices never overwrite each other's
    drafts and a save clears only its own editor's draft, never a newer one from elsewhere."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves"
    )
    key = models.CharField(max_length=80)
    device = models.CharField(max_length=32, blank=True, default="")
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The editor's fields as typed (title, body, tags, learning_date, visibility, status).
    data = models.JSONField(default=dict)
    # The entry's version when the editor was opened, to tell a stale draft from a fresh one.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    # Its editor has saved: an autosave from it that arrives late (sent just before the save)
    # is ignored instead of bringing back a "restore draft?" offer of what is already saved.
    saved = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "key", "device"], name="autosave_one_per_editor_and_device"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_id}:{self.key}:{self.device}"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SessionQuerySet":
        return self.filter(access.session_visibility_q(user))

    def for_list(self) -> "SessionQuerySet":
        return (
            self.select_related("cohort", "team", "host")
            .prefetch_related("tags")
            .defer("summary", "summary_html", "toc", "search_tags")
        )

    def for_row(self) -> "SessionQuerySet":
        """What `logs/browse/_session_row.html` shows, in one query with `with_tag_pairs()`."""
        return (
            self.select_related("cohort", "team", "host")
            .defer("summary", "summary_html", "toc", "search_tags")
            .with_comment_count()
        )

    def tagged(self, tag) -> "SessionQuerySet":
        return self.filter(tags=tag)

    def with_tag_pairs(self) -> "SessionQuerySet":
        return self.annotate(tag_pairs=_tag_pairs(TaggedSession))

    def with_comment_count(self) -> "SessionQuerySet":
        return self.annotate(comment_count=_comment_count("session"))

    def for_page(self) -> "SessionQuerySet":
        """What the session page lists beside the session, in the session's own row rather than
        a query each: `keyword_names` (in the order they were added), `problem_list` (title and
        url of each coding-test problem) and `thread_count`, its top-level comments."""
        keywords = TaggedSession.objects.filter(content_object=OuterRef("pk")).order_by("pk")
        problems = SessionProblem.objects.filter(session=OuterRef("pk")).order_by("position", "pk")
        return self.annotate(
            keyword_names=ArraySubquery(keywords.values("tag__name")),
            problem_list=ArraySubquery(problems.values(json=JSONObject(title="title", url="url"))),
            thread_count=_comment_count("session", top_level=True),
        )

    def matching(self, tsquery: str) -> "SessionQuerySet":
        return self.filter(search_vector=search_query(tsquery))

    def for_entry(self, entry: "Entry") -> "SessionQuerySet":
        """The sessions shown beside an entry: those of its author's team on its learning date,
        and the cohort-wide ones (office hours, lectures) of that date. Combine with
        `visible_to(viewer)`: a public entry's visitor may not see the cohort's sessions."""
        team_ids = Membership.objects.filter(
            user_id=entry.author_id, cohort_id=entry.cohort_id, team__isnull=False
        ).values("team_id")
        return self.filter(cohort_id=entry.cohort_id, date=entry.learning_date).filter(
            Q(team_id__in=team_ids) | Q(team__isnull=True)
        )

    def on_day(self, cohort_id: int, date) -> "SessionQuerySet":
        return self.filter(cohort_id=cohort_id, date=date)

    def of_teams(self, team_ids) -> "SessionQuerySet":
        return self.filter(team_id__in=team_ids)

    def of_viewers_teams(self, user) -> "SessionQuerySet":
        """The sessions of the teams `user` learns in or mentors, and the cohort-wide ones: what
        their own daily log may link to. Combine with `visible_to(user)`."""
        facts = access.roles(user)
        return self.filter(Q(team_id__in=facts.teams | facts.mentored_teams) | Q(team__isnull=True))

    def without_comment_by(self, user) -> "SessionQuerySet":
        return self.exclude(
            Exists(Comment.objects.filter(session_id=OuterRef("pk"), author=user, deleted_at=None))
        )


class Session(models.Model):
    """A team's peer session or mentoring, or a cohort-wide office hour or special lecture."""

    class Kind(models.TextChoices):
        PEER = "peer", _("peer session")
        MENTORING = "mentoring", _("mentoring")
        OFFICE_HOURS = "office_hours", _("office hours")
        LECTURE = "lecture", _("special lecture")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("team"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PEER)
    date = models.DateField(_("date"))
    week = models.SmallIntegerField(_("week"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_sessions",
        verbose_name=_("moderator"),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="attended_sessions",
        verbose_name=_("attendees"),
    )
    summary = MarkdownxField(_("summary"), blank=True)
    summary_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    excerpt = models.TextField(editable=False, blank=True)
    markdown_version = models.PositiveSmallIntegerField(editable=False, default=0)
    has_math = models.BooleanField(editable=False, default=False)
    tags = TaggableManager(_("keywords"), through=TaggedSession, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_tags = models.TextField(editable=False, blank=True, default="")
    search_vector = models.GeneratedField(
        expression=_search_vector(("title", "A"), ("search_tags", "A"), ("summary", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = SearchDeferringManager.from_queryset(SessionQuerySet)()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "team__name"]
        constraints = [
            # Peer sessions and mentoring belong to a team; office hours and lectures to the cohort.
            models.CheckConstraint(
                condition=Q(kind__in=["peer", "mentoring"], team__isnull=False)
                | Q(kind__in=["office_hours", "lecture"], team__isnull=True),
                name="session_team_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "date"]),
            models.Index(fields=["cohort", "week"]),
            models.Index(fields=["team", "date"]),
            GinIndex(fields=["search_vector"], name="session_search_idx"),
            models.Index(F("date").desc(), F("id").desc(), name="session_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("logs:session_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.week = self.cohort.calendar.week_of(self.date)
        render_into(self, "summary")
        super().save(*args, **kwargs)


class SessionProblem(models.Model):
    """A coding-test problem the team studied, e.g. [BOJ] 원숭이 매달기."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="problems")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet):
    def open(self) -> "QuestionQuerySet":
        """Not yet answered, or answered by a learner and not yet confirmed by the mentor."""
        return self.filter(Q(answer="") | Q(answer_confirmed=False))


class MentoringQuestion(models.Model):
    class Status(models.TextChoices):
        UNANSWERED = "unanswered", _("unanswered")
        UNCONFIRMED = "unconfirmed", _("answer awaiting the mentor's confirmation")
        CONFIRMED = "confirmed", _("answered by the mentor")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    markdown_version = models.PositiveSmallIntegerField(editable=False, default=0)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A learner may write the mentor's answer down; the mentor confirms it.
    answer_confirmed = models.BooleanField(default=False)
    # Optimistic locking of the answer (logs/locking.py): a teammate's note never silently
    # replaces the mentor's confirmed answer.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="question_number_unique_per_session"
            )
        ]
        indexes = [
            # The mentor's page lists open questions; most questions end up confirmed.
            models.Index(
                fields=["session"], condition=Q(answer_confirmed=False), name="question_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.question[:60]}"

    @property
    def status(self) -> str:
        if not self.answer:
            return self.Status.UNANSWERED
        return self.Status.CONFIRMED if self.answer_confirmed else self.Status.UNCONFIRMED

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def get_absolute_url(self) -> str:
        return f"{reverse('logs:session_detail', args=[self.session_id])}#question-{self.number}"

    def save(self, *args, **kwargs):
        self.answer_html = render_short(self.answer) if self.answer.strip() else ""
        self.markdown_version = PIPELINE_VERSION
        super().save(*args, **kwargs)


class CommentQuerySet(models.QuerySet):
    def on(self, obj: "Entry | Session") -> "CommentQuerySet":
        return self.filter(entry=obj) if isinstance(obj, Entry) else self.filter(session=obj)

    def top_level(self) -> "CommentQuerySet":
        return self.filter(parent__isnull=True)

    def with_mentor_mark(self, cohort_id: int) -> "CommentQuerySet":
        """Annotate `author_is_mentor`: the author is a mentor of the commented object's cohort."""
        return self.annotate(
            author_is_mentor=Exists(
                Membership.objects.filter(
                    user_id=OuterRef("author_id"), cohort_id=cohort_id, role="mentor"
                )
            )
        )

    def for_thread(self, cohort_id: int) -> "CommentQuerySet":
        """Top-level comments with their authors and replies, in one query per level."""
        replies = (
            Comment.objects.select_related("author")
            .with_mentor_mark(cohort_id)
            .order_by("created_at", "pk")
        )
        return (
            self.top_level()
            .select_related("author")
            .with_mentor_mark(cohort_id)
            .prefetch_related(Prefetch("replies", queryset=replies))
            .order_by("created_at", "pk")
        )

    def visible_to(self, user) -> "CommentQuerySet":
        return self.filter(access.comment_visibility_q(user))

    def matching(self, tsquery: str) -> "CommentQuerySet":
        # A deleted comment stays as a thread placeholder, but its words are gone.
        return self.filter(search_vector=search_query(tsquery), deleted_at=None)


class Comment(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=10_000)
    body_html = models.TextField(editable=False, blank=True)
    markdown_version = models.PositiveSmallIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A deleted comment that has replies stays as a placeholder so the thread keeps its shape.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=_search_vector(("body", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = SearchDeferringManager.from_queryset(CommentQuerySet)()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, session__isnull=True)
                | Q(entry__isnull=True, session__isnull=False),
                name="comment_on_exactly_one_object",
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "created_at"]),
            models.Index(fields=["session", "created_at"]),
            GinIndex(fields=["search_vector"], name="comment_search_idx"),
            models.Index(F("created_at").desc(), F("id").desc(), name="comment_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def target(self) -> "Entry | Session":
        return self.entry if self.entry_id else self.session

    @property
    def is_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 60

    def get_absolute_url(self) -> str:
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    def save(self, *args, **kwargs):
        self.body_html = render_short(self.body) if self.deleted_at is None else ""
        self.markdown_version = PIPELINE_VERSION
        super().save(*args, **kwargs)


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        """The user's notifications about things they can still see (an entry may have turned
        private since)."""
        return self.filter(recipient=user).filter(
            Q(entry__isnull=True) | Q(entry__in=Entry.objects.visible_to(user).values("pk")),
            Q(session__isnull=True) | Q(session__in=Session.objects.visible_to(user).values("pk")),
        )

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_list(self) -> "NotificationQuerySet":
        return self.select_related(
            "actor", "entry", "session", "session__team", "comment", "question"
        ).defer(
            "entry__body",
            "entry__body_html",
            "entry__toc",
            "entry__front_matter",
            "session__summary",
            "session__summary_html",
            "session__toc",
            "comment__body_html",
            "question__answer",
            "question__answer_html",
        )


class Notification(models.Model):
    class Verb(models.TextChoices):
        COMMENT = "comment", _("commented")
        REPLY = "reply", _("replied")
        ANSWER = "answer", _("answered")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=16, choices=Verb.choices)
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        MentoringQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()}"

    @property
    def target(self) -> "Entry | Session | None":
        return self.entry or self.session

    def get_absolute_url(self) -> str:
        if self.question_id:
            return self.question.get_absolute_url()
        if self.comment_id:
            return self.comment.get_absolute_url()
        target = self.target
        return target.get_absolute_url() if target else reverse("logs:notifications")


def _upload_path(instance: "Upload", filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never in the path.
    return f"uploads/{instance.created_at:%Y/%m}/{instance.key}.{instance.extension}"


class Upload(models.Model):
    """An image a user uploaded. Served by `logs.views.uploads`, only to those who may see an
    entry or session it belongs to (or to its owner)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    key = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(upload_to=_upload_path, max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=32)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    entries = models.ManyToManyField(Entry, blank=True, related_name="uploads")
    sessions = models.ManyToManyField(Session, blank=True, related_name="uploads")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or self.key

    @property
    def url(self) -> str:
        return reverse("logs:upload", args=[self.key, self.extension])


class FragmentVersion(models.Model):
    """The current version of each cached-fragment name (`logs.caching.versions`). In the database, not in
    the cache, so that a per-process cache is invalidated across workers and hosts as surely as
    a shared one: every process reads the same row."""

    name = models.CharField(max_length=200, primary_key=True)
    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


class PendingImport(models.Model):
    """A blog uploaded in the browser and not imported yet (`logs.transfer.pending`): where its
    files are kept, and how far the import of its posts has come.

    Only `token` travels through the browser; the owner and the cohort live here, so nothing
    the client sends decides what is imported or where.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    # [[stored name (or the folder of its parts), uploaded name], …]
    files = models.JSONField(default=list)
    # Sent in parts only: each file's size, and the sizes of the parts received so far, in order.
    sizes = models.JSONField(null=True, blank=True)
    parts = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The confirmation, in batches: posts imported so far (in the import's order), of `total`,
    # and each file's result (`logs.transfer.importer.FileResult.as_json`).
    cursor = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    results = models.JSONField(default=list)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.token}"

    @property
    def in_parts(self) -> bool:
        return self.sizes is not None

    @property
    def started(self) -> bool:
        return self.total is not None

    @property
    def done(self) -> bool:
        return self.total is not None and self.cursor >= self.total
