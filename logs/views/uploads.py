from django.http import FileResponse
from django.views.decorators.http import require_GET

from logs.access import lookups


@require_GET
def serve_upload(request, key: str, extension: str):
    upload = lookups.upload_or_404(request.user, key, extension)
    response = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    response["Content-Disposition"] = f'inline; filename="{upload.key}.{upload.extension}"'
    # Opened on its own, an image may run nothing and be framed by nobody.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
