from django.urls import path

from logs.views import board, editor, entries, pending, transfer, uploads

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
    path("c/<slug:slug>/", pending.pending, name="cohort_home"),
    path("c/<slug:slug>/board/", board.board, name="board"),
    path("c/<slug:slug>/board.csv", board.board_csv, name="board_csv"),
    path("tags/", pending.pending, name="tag_list"),
    path("search/", pending.pending, name="search"),
    path("u/<str:username>/", pending.pending, name="learner"),
    # Bring a blog in, take it out
    path("import/", transfer.import_posts, name="import"),
    path("import/confirm/", transfer.import_confirm, name="import_confirm"),
    path("export/", transfer.export_posts, name="export"),
    # Uploaded images, behind the permission check
    path("media/<str:key>.<str:extension>", uploads.serve_upload, name="upload"),
]
