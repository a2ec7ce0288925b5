from django.contrib import admin
from django.urls import include, path

from accounts.urls import auth_patterns
from config.views import healthz
from logs.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include(auth_patterns)),
    path("", include("logs.urls")),
]

# A database outage that surfaces outside a view still gets the friendly 503 (config/views.py).
handler500 = "config.views.server_error"
