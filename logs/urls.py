from datetime import date

from django.urls import path, register_converter

from logs import feeds
from logs.views import board, browse, editor, entries, pending, transfer, uploads
from logs.views.search import search_page


class IsoDateConverter:
    """yyyy-mm-dd; an impossible date (2022-02-30) does not match, so it is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError means "no match"

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


register_converter(IsoDateConverter, "isodate")

app_name = "logs"

urlpatterns = [
    # Writing
    path("write/", entries.today, name="today"),
    path("entries/new/", entries.entry_new, name="entry_new"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", entries.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", entries.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/markdown/", entries.entry_markdown, name="entry_markdown"),
    path("entries/<int:pk>/tasks/", entries.entry_toggle_task, name="entry_toggle_task"),
    path("drafts/save/", entries.draft_save, name="draft_save"),
    path("drafts/discard/", entries.draft_discard, name="draft_discard"),
    # The editor's preview and upload, at the paths django-markdownx's script posts to.
    path("markdownx/markdownify/", editor.preview, name="markdownx_preview"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    # Sessions
    path("sessions/<int:pk>/", pending.pending, name="session_detail"),
    path("notifications/", pending.pending, name="notifications"),
    # Browsing
    path("c/<slug:slug>/", browse.cohort_home, name="cohort_home"),
    path("c/<slug:slug>/weeks/<int:n>/", browse.week, name="week"),
    path("c/<slug:slug>/days/<isodate:day>/", browse.day, name="day"),
    path("c/<slug:slug>/insights/", browse.insights, name="insights"),
    path("c/<slug:slug>/board/", board.board, name="board"),
    path("c/<slug:slug>/board.csv", board.board_csv, name="board_csv"),
    path("tags/", browse.tag_list, name="tag_list"),
    path("tags/<str:slug>/", browse.tag_detail, name="tag_detail"),
    path("u/<str:username>/", browse.learner, name="learner"),
    path("search/", search_page, name="search"),
    # Atom feeds of public entries
    path("feeds/u/<str:username>/", feeds.LearnerFeed(), name="feed_learner"),
    path("feeds/c/<slug:slug>/", feeds.CohortFeed(), name="feed_cohort"),
    path("feeds/tags/<str:slug>/", feeds.TagFeed(), name="feed_tag"),
    # Bring a blog in, take it out
    path("import/", transfer.import_posts, name="import"),
    path("import/confirm/", transfer.import_confirm, name="import_confirm"),
    path("export/", transfer.export_posts, name="export"),
    # Uploaded images, behind the permission check
    path("media/<str:key>.<str:extension>", uploads.serve_upload, name="upload"),
]
