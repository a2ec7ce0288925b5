"""Atom feeds of public entries: a learner's, a cohort's, a tag's.

Feeds are read by feed readers without a session, so they list only what an anonymous visitor
may see (`visible_to(AnonymousUser())`: published and public), whoever asks. Each entry carries
its stored, sanitized HTML as Atom <content type="html">, with xml:base set so relative links
and images resolve; the excerpt is the <summary>.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import Cohort
from logs.models import Entry

ITEMS = 30


class AtomWithContent(Atom1Feed):
    """Atom 1.0 with each entry's full HTML in <content> and xml:base on the feed."""

    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xml:base"] = self.feed["link"]
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class _EntryFeed(Feed):
    feed_type = AtomWithContent

    def public_entries(self):
        return (
            Entry.objects.visible_to(AnonymousUser())
            .select_related("author", "cohort")
            .prefetch_related("tags")
            .defer("body", "toc", "front_matter", "search_tags")
            .order_by("-created_at")
        )

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        # Atom's <summary type="html"> is read as HTML: the plain-text excerpt (which may quote
        # `<script>` from a code span) is escaped so a reader shows it as text.
        return escape(item.excerpt)

    def item_extra_kwargs(self, item: Entry) -> dict:
        return {"content": item.body_html}

    def item_link(self, item: Entry) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Entry):
        return item.created_at

    def item_updateddate(self, item: Entry):
        return item.updated_at

    def item_author_name(self, item: Entry) -> str:
        return item.author.name

    def item_author_link(self, item: Entry) -> str:
        # Relative: resolved against the feed's xml:base.
        return reverse("logs:learner", args=[item.author.username])

    def item_categories(self, item: Entry) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LearnerFeed(_EntryFeed):
    def get_object(self, request, username: str):
        return get_object_or_404(get_user_model(), username=username, is_active=True)

    def title(self, obj) -> str:
        return _("%(name)s's public logs · Camplog") % {"name": obj.name}

    def subtitle(self, obj) -> str:
        return obj.bio[:200] or _("Public study logs on Camplog")

    def link(self, obj) -> str:
        return reverse("logs:learner", args=[obj.username])

    def author_name(self, obj) -> str:
        return obj.name

    def items(self, obj):
        return self.public_entries().filter(author=obj)[:ITEMS]


class CohortFeed(_EntryFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Cohort, slug=slug)

    def title(self, obj) -> str:
        return _("%(cohort)s · public logs · Camplog") % {"cohort": obj.name}

    def subtitle(self, obj) -> str:
        return obj.description[:200] or _("Public study logs on Camplog")

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def author_name(self, obj) -> str:
        return obj.name

    def items(self, obj):
        return self.public_entries().filter(cohort=obj)[:ITEMS]


class TagFeed(_EntryFeed):
    def get_object(self, request, slug: str):
        # A tag that no public entry carries is a 404, as on its page: its name alone would tell
        # a stranger what someone wrote privately or has not published yet.
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None or not self.public_entries().filter(tags=tag).exists():
            raise Http404
        return tag

    def title(self, obj) -> str:
        return _("#%(tag)s · public logs · Camplog") % {"tag": obj.name}

    def subtitle(self, obj) -> str:
        return _("Public study logs on Camplog")

    def link(self, obj) -> str:
        return reverse("logs:tag_detail", args=[obj.slug])

    def author_name(self, obj) -> str:
        return "Camplog"

    def items(self, obj):
        return self.public_entries().filter(tags=obj)[:ITEMS]
