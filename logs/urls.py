from django.urls import path

from logs.views import board, pending, transfer, uploads

app_name = "logs"

urlpatterns = [
    # Writing
    path("write/", pending.pending, name="today"),
    path("entries/<int:pk>/", pending.pending, name="entry_detail"),
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
