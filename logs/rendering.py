"""Where models meet the Markdown pipeline (`logs.markdown`, which stays pure).

HTML is rendered once, on save, and stored; pages never render Markdown per request.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.utils.safestring import SafeString, mark_safe

from logs import markdown


def render_into(obj, field: str, rendered: markdown.Rendered | None = None) -> None:
    """Render `obj.<field>` into `<field>_html`, `toc`, `excerpt` and `has_math`, or store
    `rendered` when it was rendered elsewhere (`RenderAhead`)."""
    if rendered is None:
        rendered = markdown.render(getattr(obj, field) or "")
    setattr(obj, f"{field}_html", with_image_sizes(rendered.html))
    obj.toc = [{"level": t.level, "id": t.id, "title": t.title} for t in rendered.toc]
    obj.excerpt = rendered.excerpt
    obj.has_math = rendered.has_math
    obj.markdown_version = markdown.PIPELINE_VERSION


# An uploaded image as the pipeline writes it: `<img src="/media/<key>.<ext>" …>`.
_UPLOADED_IMAGE = re.compile(r'<img\b[^>]*?\bsrc="/media/([0-9a-f]{32})\.[a-z0-9]+"[^>]*>')


def with_image_sizes(html: str, uploads=None) -> str:
    """Give uploaded images their width and height (one query on `uploads`, by default every
    Upload), so the page keeps its layout while they load. Sizes written in the Markdown
    (`{: width="400px" }`) stay."""
    keys = {match.group(1) for match in _UPLOADED_IMAGE.finditer(html)}
    if not keys:
        return html
    if uploads is None:
        from logs.models import Upload

        uploads = Upload.objects
    rows = uploads.filter(key__in=keys).values_list("key", "width", "height")
    sizes = {key: (width, height) for key, width, height in rows}

    def sized(match: re.Match) -> str:
        tag, size = match.group(0), sizes.get(match.group(1))
        if size is None or " width=" in tag or " height=" in tag:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} width="{size[0]}" height="{size[1]}"{tag[end:]}'

    return _UPLOADED_IMAGE.sub(sized, html)


def markdownify(text: str) -> SafeString:
    """The editor's preview: the same pipeline and sanitizer as saved pages, with the source line
    of every top-level block (for scroll sync) and uploaded images sized as on the saved page."""
    return mark_safe(with_image_sizes(markdown.render(text, source_lines=True).html))


def render_short(text: str) -> str:
    """Comments and mentoring answers: the comment flavour of the pipeline (no TOC, same sanitizer)."""
    return markdown.render_comment(text or "")


class RenderAhead:
    """Bodies rendered in worker processes ahead of the saves that store them.

    The pipeline is pure and CPU-bound (about 7 ms for a 4 KB log, most of an import's time), so
    a large import renders on every core while its own process plans and writes. `get()` gives
    what to pass to `render_into`: the very `Rendered` the save would compute, or None (no
    workers, or a worker failed), and then the save renders it itself. With `workers` under 2
    it does nothing. The workers are spawned, not forked, so they share no database connection
    or lock with this process (the main module must guard its work with
    `if __name__ == "__main__"`, as `manage.py` does); they start on the first `submit()` and
    stop at `close()`.
    """

    GROUP = 8  # texts sent to a worker at once: fewer, larger messages

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._queued: list[str] = []
        self._sent: dict[str, tuple[Future[list[markdown.Rendered]], int]] = {}

    def submit(self, text: str) -> None:
        if self.workers < 2 or text in self._sent or text in self._queued:
            return
        self._queued.append(text)
        if len(self._queued) >= self.GROUP:
            self._send()

    def _send(self) -> None:
        texts, self._queued = self._queued, []
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        try:
            future = self._pool.submit(_render_all, texts)
        except BrokenProcessPool:  # a worker was killed: render the rest here
            self.workers = 0
            return
        for index, text in enumerate(texts):
            self._sent[text] = (future, index)

    def get(self, text: str) -> markdown.Rendered | None:
        if text in self._queued:
            self._send()
        if text not in self._sent:
            return None
        future, index = self._sent[text]
        try:
            return future.result()[index]
        except Exception:  # a worker that died: rendering here gives the same HTML (or error)
            return None

    def forget(self, text: str) -> None:
        self._sent.pop(text, None)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._queued.clear()
        self._sent.clear()


def _render_all(texts: list[str]) -> list[markdown.Rendered]:
    return [markdown.render(text) for text in texts]
