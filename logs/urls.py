from django.urls import path

from logs.views import board, pending, uploads

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
    # Uploaded images, behind the permission check
    path("media/<str:key>.<str:extension>", uploads.serve_upload, name="upload"),
]
