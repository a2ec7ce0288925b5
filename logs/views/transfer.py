"""Bring a blog in, take it out: the browser side of `logs.importing` and `logs.exporting`.

Import is two steps. The upload is kept in storage (`PendingImport`) and previewed by a dry
run; the confirmation imports what was kept, for the cohort chosen at upload, so nothing the
browser sends back but a token decides what is written.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Cohort
from logs import permissions
from logs.exporting import export_entries, write_zip
from logs.importing import (
    CREATED,
    FAILED,
    SKIPPED,
    UPDATED,
    ImportReport,
    PendingImport,
    bundle_from_files,
    import_bundle,
)
from logs.models import Entry
from logs.transfer_forms import ImportForm

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


def _writable_cohorts(user) -> list[Cohort]:
    return list(
        Cohort.objects.filter(pk__in=permissions.writable_cohort_ids(user)).order_by("-start_date")
    )


def _get_cohort_for_user(user, pk: int) -> Cohort:
    """The cohort, if `user` may import into it; else 404."""
    if not permissions.can_write_in(user, pk):
        raise Http404
    cohort = Cohort.objects.filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


@login_required
def import_posts(request: HttpRequest) -> HttpResponse:
    cohorts = _writable_cohorts(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, cohorts=cohorts)
        if form.is_valid():
            cohort = form.cleaned_data["cohort"]
            uploads = form.cleaned_data["files"]
            previous = PendingImport.from_session(request.session, request.user)
            if previous is not None:
                previous.discard(request.session)
            pending = PendingImport.save(request.user, cohort.pk, uploads)
            pending.to_session(request.session)
            for upload in uploads:
                upload.seek(0)
            with bundle_from_files((upload.name, upload) for upload in uploads) as bundle:
                report = import_bundle(bundle, author=request.user, cohort=cohort, dry_run=True)
            return render(
                request,
                "logs/import_preview.html",
                {
                    "report": report,
                    "rows": _rows(report),
                    "cohort": cohort,
                    "token": pending.token,
                    "nav_section": "import",
                },
            )
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


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = PendingImport.from_session(request.session, request.user)
    if pending is None or request.POST.get("token") != pending.token:
        messages.error(
            request,
            _(
                "There is nothing to import: those files were imported already or the upload "
                "has expired. Choose the files again."
            ),
        )
        return redirect("logs:import")
    cohort = _get_cohort_for_user(request.user, pending.cohort_id)
    with pending.bundle() as bundle:
        report = import_bundle(bundle, author=request.user, cohort=cohort)
    pending.discard(request.session)
    return render(
        request,
        "logs/import_result.html",
        {"report": report, "rows": _rows(report), "cohort": cohort, "nav_section": "import"},
    )


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
