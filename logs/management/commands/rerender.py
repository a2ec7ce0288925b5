"""Bring stored HTML up to the current Markdown pipeline (`logs.markdown.PIPELINE_VERSION`).

Rows remember the pipeline version that rendered them, so the command only touches rows behind
it, a batch at a time in primary-key order, each batch in its own transaction: stopped halfway,
it goes on where it stopped when run again. Cached pages are invalidated after every batch.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from logs.caching import versions
from logs.markdown import PIPELINE_VERSION
from logs.models import Comment, Entry, MentoringQuestion, Session
from logs.rendering import render_into, render_short

BATCH = 200


def _entry(entry: Entry) -> list[str]:
    render_into(entry, "body")
    return ["body_html", "toc", "excerpt", "has_math", "markdown_version"]


def _session(session: Session) -> list[str]:
    render_into(session, "summary")
    return ["summary_html", "toc", "excerpt", "has_math", "markdown_version"]


def _answer(question: MentoringQuestion) -> list[str]:
    question.answer_html = render_short(question.answer) if question.answer.strip() else ""
    question.markdown_version = PIPELINE_VERSION
    return ["answer_html", "markdown_version"]


def _comment(comment: Comment) -> list[str]:
    comment.body_html = render_short(comment.body) if comment.deleted_at is None else ""
    comment.markdown_version = PIPELINE_VERSION
    return ["body_html", "markdown_version"]


KINDS = [
    ("entries", Entry, _entry),
    ("sessions", Session, _session),
    ("mentoring answers", MentoringQuestion, _answer),
    ("comments", Comment, _comment),
]


class Command(BaseCommand):
    help = "Re-render stored Markdown made by an older pipeline (resumable; batches of 200)."

    def handle(self, *args, **options) -> None:
        total = 0
        for label, model, rerender in KINDS:
            stale = model.objects.filter(markdown_version__lt=PIPELINE_VERSION)
            left = stale.count()
            done, last = 0, 0
            while True:
                with transaction.atomic():
                    batch = list(stale.filter(pk__gt=last).order_by("pk")[:BATCH])
                    if not batch:
                        break
                    fields = sorted({f for row in batch for f in rerender(row)})
                    model.objects.bulk_update(batch, fields)
                    versions.bump(versions.SETUP)
                last = batch[-1].pk
                done += len(batch)
                self.stdout.write(f"\r{label}: {done}/{left} {_bar(done, left)}", ending="")
                self.stdout.flush()
            self.stdout.write(f"\r{label}: {done}/{left} {_bar(done, left)}")
            total += done
        self.stdout.write(f"{total} row(s) re-rendered with pipeline version {PIPELINE_VERSION}.")


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total if total else width
    return "[" + "#" * filled + "." * (width - filled) + "]"
