"""Placeholders for pages that are being built; each is replaced by its real view."""

from django.http import HttpResponse


def pending(request, *args, **kwargs):
    return HttpResponse("Coming soon", status=501, content_type="text/plain")
