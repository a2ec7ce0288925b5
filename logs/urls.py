from datetime import date

from django.urls import path, register_converter

from logs import feeds
from logs.views import (
    board,
    browse,
    comments,
    editor,
    entries,
    mentor,
    notifications,
    preferences,
    sessions,
    transfer,
    uploads,
)
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
    path("write/missed/", entries.missed, name="missed_days"),
    path("entries/new/", entries.entry_new, name="entry_new"),
    path("entries/<int:pk>/", entries.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", entries.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", entries.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/markdown/", entries.entry_markdown, name="entry_markdown"),
    path("entries/<int:pk>/tasks/", entries.entry_toggle_task, name="entry_toggle_task"),
    path("drafts/save/", entries.draft_save, name="draft_save"),
    path("drafts/discard/", entries.draft_discard, name="draft_discard"),
    # The editor's preview and upload (static/js/markdown-editor.js), at markdownx's paths.
    path("markdownx/markdownify/", editor.preview, name="markdownx_preview"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    # Sessions
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/snippet/", sessions.day_sessions_snippet, name="day_sessions_snippet"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path("questions/<int:pk>/answer/", sessions.question_answer, name="question_answer"),
    # Comments and notifications
    path("comments/add/", comments.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", comments.comment_delete, name="comment_delete"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("mentor/", mentor.mentor, name="mentor"),
    path("theme/", preferences.set_theme, name="set_theme"),
    path("cohort/", preferences.switch_cohort, name="switch_cohort"),
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
    path("import/upload/", transfer.import_upload_start, name="import_upload_start"),
    path(
        "import/upload/<str:token>/<int:index>/",
        transfer.import_upload_part,
        name="import_upload_part",
    ),
    path("export/", transfer.export_posts, name="export"),
    # Uploaded images, behind the permission check
    path("media/<str:key>.<str:extension>", uploads.serve_upload, name="upload"),
]
