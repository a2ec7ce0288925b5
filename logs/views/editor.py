"""The two endpoints the Markdown editor (static/js/markdown-editor.js) calls, at the paths and
names django-markdownx gave them: the live preview (`/markdownx/markdownify/`, with each top-level
block's source line for scroll sync) and image upload (`/markdownx/upload/`).

Both answer logged-in members of a cohort only (403 otherwise, also for anonymous requests: the
editor's script cannot follow a redirect to the login page), check the CSRF token like every POST,
and go through the same code as saved pages: the preview through `logs.rendering.markdownify`
(the one pipeline and sanitizer), uploads through `logs.uploads.store_image` (decoded by Pillow,
renamed, served only behind the access check).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logs import access, markdown
from logs.rendering import markdownify
from logs.uploads import MAX_UPLOAD_BYTES, store_image


def _refused() -> JsonResponse:
    return JsonResponse(
        {"error": _("Log in as a member of a cohort to use the editor.")}, status=403
    )


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    if not access.can_use_editor(request.user):
        return _refused()
    content = request.POST.get("content", "")
    if len(content.encode("utf-8")) > markdown.MAX_BODY_BYTES:
        message = _("The text is over %(limit)d KB, too long to preview or save.") % {
            "limit": markdown.MAX_BODY_BYTES // 1024
        }
        return HttpResponse(f'<p class="editor-preview-error">{escape(message)}</p>')
    return HttpResponse(markdownify(content))


@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    if not access.can_use_editor(request.user):
        return _refused()
    image = request.FILES.get("image")
    if image is None:
        return JsonResponse({"error": _("Choose an image to upload.")}, status=400)
    if image.size > MAX_UPLOAD_BYTES:
        return JsonResponse(
            {
                "error": _("The image is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD_BYTES // 2**20}
            },
            status=400,
        )
    try:
        stored = store_image(request.user, image.read(), image.name or "")
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    alt = (image.name or "image").rsplit(".", 1)[0].replace("[", "").replace("]", "")[:80]
    return JsonResponse({"image_code": f"![{alt}]({stored.url})", "url": stored.url, "name": alt})
