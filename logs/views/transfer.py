"""Bring a blog in, take it out: the browser side of `logs.transfer`.

Import is two steps. The upload is kept (`logs.transfer.pending`) and previewed by a dry run;
the confirmation imports what was kept, in batches, for the cohort chosen at upload, so nothing
the browser sends back but a token (and where it thinks the import stands) decides what is
written.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Cohort
from logs.access import lookups
from logs.forms.transfer import ImportForm
from logs.models import Entry, PendingImport
from logs.params import parse_int
from logs.transfer import pending
from logs.transfer.exporter import export_entries, write_zip
from logs.transfer.importer import CREATED, FAILED, SKIPPED, UPDATED, ImportReport, import_bundle
from logs.transfer.limits import PART_BYTES, upload_problem
from logs.transfer.pending import PartError
from logs.transfer.sources import bundle_from_files

_PREVIEW_LABELS = {
    CREATED: gettext_lazy("New"),
    UPDATED: gettext_lazy("Update"),
    SKIPPED: gettext_lazy("Unchanged"),
    FAILED: gettext_lazy("Failed"),
}
_RESULT_LABELS = {
    CREATED: gettext_lazy("Created"),
    UPDATED: gettext_lazy("Updated"),
    SKIPPED: gettext_lazy("Unchanged"),
    FAILED: gettext_lazy("Failed"),
}
# A skipped file that is not a post: a page of the site, left out on purpose.
_LEFT_OUT = gettext_lazy("Left out")
_UPLOAD_GONE = gettext_lazy("The uploaded files are no longer here; choose them again.")
_NOTHING_TO_IMPORT = gettext_lazy(
    "There is nothing to import: those files were imported already or the upload has expired. "
    "Choose the files again."
)
_BADGES = {CREATED: "badge-success", UPDATED: "badge-cohort", SKIPPED: "", FAILED: "badge-danger"}


def _rows(report: ImportReport) -> list[dict]:
    """The report's files with their labels, for `logs/_import_row.html`."""
    labels = _PREVIEW_LABELS if report.dry_run else _RESULT_LABELS
    kinds = dict(Entry.Kind.choices)
    rows = []
    for result in report.results:
        folder, _slash, file_name = result.name.rpartition("/")
        rows.append(
            {
                "result": result,
                "file_name": file_name,
                "folder": folder,
                "action_label": _LEFT_OUT
                if result.action == SKIPPED and not result.kind
                else labels[result.action],
                "badge": _BADGES[result.action],
                "kind_label": kinds.get(result.kind, ""),
            }
        )
    return rows


@login_required
def import_posts(request: HttpRequest) -> HttpResponse:
    cohorts = lookups.importable_cohorts(request.user)
    if request.method == "POST" and request.POST.get("token"):
        return _preview_parts(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, cohorts=cohorts)
        if form.is_valid():
            cohort = form.cleaned_data["cohort"]
            uploads = form.cleaned_data["files"]
            kept = pending.keep(request.user, cohort.pk, uploads)
            for upload in uploads:
                upload.seek(0)
            with bundle_from_files((upload.name, upload) for upload in uploads) as bundle:
                return _preview(request, bundle, cohort, kept)
    else:
        form = ImportForm(cohorts=cohorts)
    return render(
        request,
        "logs/import.html",
        {
            "form": form,
            "can_import": bool(cohorts),
            "nav_section": "import",
        },
    )


def _preview(request: HttpRequest, bundle, cohort: Cohort, kept: PendingImport) -> HttpResponse:
    report = import_bundle(bundle, author=request.user, cohort=cohort, dry_run=True)
    return render(
        request,
        "logs/import_preview.html",
        {
            "report": report,
            "rows": _rows(report),
            "cohort": cohort,
            "token": kept.token,
            "nav_section": "import",
        },
    )


def _preview_parts(request: HttpRequest) -> HttpResponse:
    """The preview of a blog sent in parts (`import_upload_part`), once every part is here."""
    kept = lookups.own_pending_import_or_404(
        request.user, request.POST.get("token", ""), in_parts=True
    )
    if not pending.complete(kept):
        messages.error(request, _("The upload did not finish; choose the files again."))
        return redirect("logs:import")
    cohort = lookups.importable_cohort_or_404(request.user, kept.cohort_id)
    try:
        with pending.bundle(kept) as bundle:
            return _preview(request, bundle, cohort, kept)
    except pending.Gone:
        pending.discard(kept)
        messages.error(request, _UPLOAD_GONE)
        return redirect("logs:import")


@login_required
@require_POST
def import_upload_start(request: HttpRequest) -> JsonResponse:
    """Begin sending a blog in parts: the files' names and sizes, and the cohort. With the token
    of an upload of the same files that a reload interrupted, go on with it: the answer says how
    much of each file is here already."""
    names = request.POST.getlist("names")
    try:
        sizes = [int(size) for size in request.POST.getlist("sizes")]
        cohort_id = int(request.POST.get("cohort", ""))
    except ValueError:
        return JsonResponse({"error": _("The upload could not be read.")}, status=400)
    lookups.importable_cohort_or_404(request.user, cohort_id)
    if not names or len(names) != len(sizes) or any(size < 0 for size in sizes):
        error = _("The upload could not be read.")
    else:
        error = upload_problem(list(zip(names, sizes, strict=True)), in_parts=True)
    if error:
        return JsonResponse({"error": error}, status=400)
    files = list(zip(names, sizes, strict=True))
    kept = pending.resumable(request.user, request.POST.get("token", ""), cohort_id, files)
    if kept is None:
        kept = pending.start(request.user, cohort_id, files)
    return JsonResponse(
        {
            "token": kept.token,
            "part_bytes": PART_BYTES,
            "received": [pending.received(kept, index) for index in range(len(files))],
        }
    )


@login_required
@require_POST
def import_upload_part(request: HttpRequest, token: str, index: int) -> JsonResponse:
    """One part of one file; 409 with where the file stands when it does not continue it, so
    the browser sends again from there (after a lost request, or a retry)."""
    kept = lookups.own_pending_import_or_404(request.user, token, in_parts=True)
    part = request.FILES.get("part")
    offset = parse_int(request.POST.get("offset"))
    if index >= len(kept.files) or part is None or part.size > PART_BYTES or offset is None:
        return JsonResponse({"error": _("The upload could not be read.")}, status=400)
    try:
        received = pending.receive(kept, index, offset, part)
    except PartError as exc:
        return JsonResponse({"received": exc.received}, status=409)
    return JsonResponse({"received": received})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """The next batch of the confirmed import (`logs.transfer.pending.import_next`): JSON for
    the page's script, which posts until it is done; without it, a page with the progress and
    a button for the next batch. Once done, the summary."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    kept = lookups.own_pending_import(request.user, request.POST.get("token", ""))
    if kept is None:
        if wants_json:
            return JsonResponse({"error": _NOTHING_TO_IMPORT}, status=404)
        messages.error(request, _NOTHING_TO_IMPORT)
        return redirect("logs:import")
    cohort = lookups.importable_cohort_or_404(request.user, kept.cohort_id)
    cursor = parse_int(request.POST.get("cursor"))
    try:
        kept = pending.import_next(kept, kept.cursor if cursor is None else cursor)
    except pending.Gone:
        pending.discard(kept)
        if wants_json:
            return JsonResponse({"error": _UPLOAD_GONE}, status=410)
        messages.error(request, _UPLOAD_GONE)
        return redirect("logs:import")
    if wants_json:
        return JsonResponse(pending.progress(kept))
    report = pending.report(kept)
    context = {"report": report, "rows": _rows(report), "cohort": cohort, "nav_section": "import"}
    if not kept.done:
        return render(request, "logs/import_progress.html", {**context, "pending": kept})
    pending.discard(kept)
    return render(request, "logs/import_result.html", context)


@login_required
@require_GET
def export_posts(request: HttpRequest) -> HttpResponse:
    export = export_entries(request.user, with_sessions=request.GET.get("sessions") == "1")
    if not export.posts:
        messages.info(request, _("You have no entries to export yet."))
        return redirect("logs:import")
    # FileResponse closes it once sent; it spills to disk past 32 MB of images.
    archive = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    write_zip(export, archive)
    name = f"camplog-{request.user.get_username()}-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
