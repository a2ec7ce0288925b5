from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from logs import access
from logs.models import Entry, Session, Upload


def _get_upload_for_user(user, key: str, extension: str) -> Upload:
    """The upload, if `user` owns it or may see an entry or session that shows it; else 404
    (never 403, which would confirm that a private picture exists)."""
    upload = Upload.objects.filter(key=key, extension=extension).first()
    if upload is None:
        raise Http404
    if user.is_authenticated and upload.owner_id == user.pk:
        return upload
    if Entry.objects.visible_to(user).filter(uploads=upload).exists():
        return upload
    if Session.objects.filter(access.session_visibility_q(user), uploads=upload).exists():
        return upload
    raise Http404


@require_GET
def serve_upload(request, key: str, extension: str):
    upload = _get_upload_for_user(request.user, key, extension)
    response = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    response["Content-Disposition"] = f'inline; filename="{upload.key}.{upload.extension}"'
    # Opened on its own, an image may run nothing and be framed by nobody.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
