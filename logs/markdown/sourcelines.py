"""Source lines for the editor's preview: each top-level block is marked with the line of the
author's text it starts on (`data-source-line`, 1-based), so that the editor and the preview can
scroll together. Only the preview asks for them; stored HTML never has them.

cmark-gfm writes every block's position (`data-sourcepos`) when asked. Right after parsing, the
positions are taken out again, so that the rest of the pipeline sees the very HTML it always sees,
and each top-level block is preceded by a token of this render instead (text: every later step and
nh3 leave it alone). After the last step each token becomes an attribute of the tag that follows
it, a number written here and never anything from the text, so the sanitizer's allowlist does not
change.
"""

from __future__ import annotations

import re

from logs.markdown.source import Prepared

_SOURCEPOS = re.compile(r' data-sourcepos="(\d+):(\d+)-(\d+):(\d+)"')
KIND = "l"


def mark(body: str, prepared: Prepared) -> str:
    """cmark's HTML with positions → the same HTML without them, a token before each top-level
    block (a block that does not start inside the previous top-level block's range)."""
    marks: list[tuple[int, int]] = []  # (where its tag starts, source line)
    top_end = (0, 0)
    lines = len(prepared.origins)
    for m in _SOURCEPOS.finditer(body):
        start = (int(m.group(1)), int(m.group(2)))
        end = (int(m.group(3)), int(m.group(4)))
        if start <= top_end or end[0] > lines + 1:
            continue  # nested in the block before, or raw HTML's own attribute out of range
        top_end = end
        line = start[0] - 1
        origin = prepared.origins[line] if line < len(prepared.origins) else line
        marks.append((body.rfind("<", 0, m.start()), origin + 1))
    parts, position = [], 0
    for at, line in marks:
        parts += [_SOURCEPOS.sub("", body[position:at]), prepared.token(KIND, line)]
        position = at
    parts.append(_SOURCEPOS.sub("", body[position:]))
    return "".join(parts)


def _tokens(prepared: Prepared) -> re.Pattern[str]:
    return re.compile(rf"{prepared.nonce}{KIND}(\d+)x(\s*)(<[a-zA-Z][\w-]*)?")


def place(body: str, prepared: Prepared) -> str:
    """Each token becomes `data-source-line` on the tag right after it (or nothing)."""

    def attach(m: re.Match[str]) -> str:
        if m.group(3) is None:
            return m.group(2)
        return f'{m.group(2)}{m.group(3)} data-source-line="{m.group(1)}"'

    return _tokens(prepared).sub(attach, body)


def drop(body: str, prepared: Prepared) -> str:
    """The body without the tokens (for what is computed from its text, like the excerpt)."""
    return _tokens(prepared).sub(lambda m: m.group(2) + (m.group(3) or ""), body)
