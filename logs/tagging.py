"""Tag counts over what a viewer may see: a cohort's or a week's keywords, the tag list, the tags
that appear together with another. Each function runs a fixed number of aggregate queries; the
entries and sessions passed in are already filtered by `visible_to(user)`."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag

from logs import access
from logs.models import TaggedEntry, TaggedSession


def attach_tags(objects: Iterable) -> list:
    """Make `obj.tags.all()` answer from the `tag_pairs` each object was loaded with
    (`with_tag_pairs()`), as if the tags had been prefetched."""
    objects = list(objects)
    for obj in objects:
        tags = [Tag(name=pair["name"], slug=pair["slug"]) for pair in obj.tag_pairs or ()]
        obj._prefetched_objects_cache = {
            **getattr(obj, "_prefetched_objects_cache", {}),
            "tags": tags,
        }
    return objects


@dataclass(frozen=True)
class TagCount:
    name: str
    slug: str
    count: int


def _grouped(through, objects: QuerySet, exclude_tag: Tag | None = None) -> QuerySet:
    rows = through.objects.filter(content_object__in=objects.order_by().values("pk"))
    if exclude_tag is not None:
        rows = rows.exclude(tag=exclude_tag)
    return rows.values("tag__name", "tag__slug").annotate(n=Count("pk")).order_by()


def _merge(*groups: Iterable[dict], limit: int | None) -> list[TagCount]:
    counts: Counter[tuple[str, str]] = Counter()
    for group in groups:
        for row in group:
            counts[(row["tag__name"], row["tag__slug"])] += row["n"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].lower()))
    return [TagCount(name, slug, n) for (name, slug), n in ranked[:limit]]


def tag_counts(entries: QuerySet, sessions: QuerySet, limit: int | None = 20) -> list[TagCount]:
    """The most used tags on `entries` and `sessions` (two queries)."""
    return _merge(_grouped(TaggedEntry, entries), _grouped(TaggedSession, sessions), limit=limit)


def related_tags(
    tag: Tag, entries: QuerySet, sessions: QuerySet, limit: int = 15
) -> list[TagCount]:
    """Tags that appear on the same entries and sessions as `tag` (two queries)."""
    return _merge(
        _grouped(TaggedEntry, entries.filter(tags=tag), exclude_tag=tag),
        _grouped(TaggedSession, sessions.filter(tags=tag), exclude_tag=tag),
        limit=limit,
    )


def _count_for(through, visibility: Q) -> Coalesce:
    counts = (
        through.objects.filter(visibility, tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def visible_tags(user) -> QuerySet:
    """Every tag `user` can see something under, with `entry_count`, `session_count` and
    `total`, most used first (one query per page, plus the count)."""
    if access.roles(user).cohorts:
        session_count = _count_for(
            TaggedSession, access.session_visibility_q(user, "content_object__")
        )
    else:
        session_count = Value(0, output_field=IntegerField())
    return (
        Tag.objects.annotate(
            entry_count=_count_for(
                TaggedEntry, access.entry_visibility_q(user, "content_object__")
            ),
            session_count=session_count,
        )
        .annotate(total=F("entry_count") + F("session_count"))
        .filter(total__gt=0)
        .order_by("-total", "name")
    )
