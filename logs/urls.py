from django.urls import path

from logs.views import board, comments, mentor, notifications, pending, sessions, uploads

app_name = "logs"

urlpatterns = [
    # Writing
    path("write/", pending.pending, name="today"),
    path("entries/<int:pk>/", pending.pending, name="entry_detail"),
    # Sessions
    path("sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/snippet/", sessions.day_sessions_snippet, name="day_sessions_snippet"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("questions/<int:pk>/answer/", sessions.question_answer, name="question_answer"),
    # Comments and notifications
    path("comments/add/", comments.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", comments.comment_delete, name="comment_delete"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("mentor/", mentor.mentor, name="mentor"),
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
