"""What a new entry starts from: the cohort's template, with yesterday's open tasks carried over.

Pure: text in, text out. It imports no model, so the editor view, the tests and anything else that
prepares a log share this one definition.

Sections
    A section is a Markdown heading (ATX, `#` to `######`) and the lines up to the next heading of
    the same or a higher level. Headings inside fenced code blocks are not headings. A section is
    found by a keyword in its heading text, whatever the decoration around it
    (`## **📝 오늘 한 일**` and `## 오늘 한 일` both match "오늘 한 일").

Carry-over
    The open (unchecked) top-level task items of the previous log's "오늘 한 일" section (what was
    not finished) and then of its "내일 할 일" section (what was planned) are moved into the new
    log's "오늘 한 일" section, each with everything nested under it (sub-items, continuation
    lines). A task that is in both comes over once, from where it is first: tasks are the same
    when their text is, whatever the white space. Checked items stay behind, and so do empty
    placeholders (`- [ ] ` with nothing after it). In the template, the carried items replace the
    empty placeholder items of "오늘 한 일"; if there are none, they go right under its heading; if
    the template has no such section, they are added as one at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TODAY_KEYWORDS = ("오늘 한 일", "What I did today")
TOMORROW_KEYWORDS = ("내일 할 일", "To do tomorrow")
TODAY_HEADING = "## **📝 오늘 한 일**"

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])[ \t]+\[([ xX])\](?:[ \t]+(.*))?$")
_ANY_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_DECORATION = re.compile(r"[*_`~]+")


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    start: int  # index of the heading line
    end: int  # index one past the section's last line


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def sections(lines: list[str]) -> list[Section]:
    """The sections of a document, in order (nested ones included)."""
    headings: list[tuple[int, int, str]] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        match = _HEADING.match(line)
        if match:
            title = _DECORATION.sub("", match.group(2) or "").strip()
            headings.append((i, len(match.group(1)), title))
    result = []
    for n, (index, level, title) in enumerate(headings):
        end = len(lines)
        for later_index, later_level, _ in headings[n + 1 :]:
            if later_level <= level:
                end = later_index
                break
        result.append(Section(level=level, title=title, start=index, end=end))
    return result


def find_section(lines: list[str], keywords: tuple[str, ...]) -> Section | None:
    for section in sections(lines):
        if any(keyword in section.title for keyword in keywords):
            return section
    return None


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _items(lines: list[str]) -> list[tuple[re.Match[str] | None, list[str]]]:
    """Split a section body into top-level list items, each with the lines nested under it.

    Lines that belong to no top-level item come back with `None` as their match.
    """
    items: list[tuple[re.Match[str] | None, list[str]]] = []
    current: list[str] | None = None
    current_indent = 0
    for line in lines:
        is_item = _ANY_ITEM.match(line)
        if is_item and _indent(line) <= 3:
            current = [line]
            current_indent = _indent(line)
            items.append((_ITEM.match(line), current))
            continue
        if current is not None and (not line.strip() or _indent(line) > current_indent):
            current.append(line)
            continue
        current = None
        items.append((None, [line]))
    return items


def _trim(block: list[str]) -> list[str]:
    """Drop trailing blank lines and the `<br>` spacers learners put between sections."""
    block = list(block)
    while block and (
        not block[-1].strip() or block[-1].strip().lower() in {"<br>", "<br/>", "<br />"}
    ):
        block.pop()
    return block


@dataclass(frozen=True)
class Task:
    text: str  # the item's own text, as typed after `- [ ] `
    lines: tuple[str, ...]  # the item with what is nested under it, re-indented to column 0


def _same(text: str) -> str:
    return " ".join(text.split())


def _open_tasks_of(lines: list[str], keywords: tuple[str, ...]) -> list[Task]:
    section = find_section(lines, keywords)
    if section is None:
        return []
    tasks = []
    for match, block in _items(lines[section.start + 1 : section.end]):
        if match is None or match.group(3) != " " or not (match.group(4) or "").strip():
            continue
        block = _trim(block)
        base = _indent(block[0])
        text = match.group(4).strip()
        tasks.append(
            Task(text, tuple(line[base:] if _indent(line) >= base else line for line in block))
        )
    return tasks


def carried_tasks(previous_body: str | None) -> list[Task]:
    """The open tasks of `previous_body` a new log takes over, "오늘 한 일" first, each once."""
    lines = _lines(previous_body or "")
    seen: set[str] = set()
    carried = []
    for task in (*_open_tasks_of(lines, TODAY_KEYWORDS), *_open_tasks_of(lines, TOMORROW_KEYWORDS)):
        if _same(task.text) not in seen:
            seen.add(_same(task.text))
            carried.append(task)
    return carried


def open_tasks(previous_body: str | None) -> list[str]:
    """The lines of the tasks `carried_tasks` finds, sub-items included."""
    return [line for task in carried_tasks(previous_body) for line in task.lines]


def _is_placeholder(match: re.Match[str] | None, block: list[str]) -> bool:
    return match is not None and not (match.group(4) or "").strip() and len(_trim(block)) == 1


def carry_over(template: str, previous_body: str | None) -> str:
    """`template` with the open tasks of `previous_body` (`carried_tasks`) put into "오늘 한 일"."""
    tasks = open_tasks(previous_body or "")
    if not tasks:
        return template
    lines = _lines(template)
    section = find_section(lines, TODAY_KEYWORDS)
    if section is None:
        return "\n".join([TODAY_HEADING, *tasks, "", *lines])
    body = lines[section.start + 1 : section.end]
    kept: list[str] = []
    inserted = False
    for match, block in _items(body):
        if _is_placeholder(match, block):
            if not inserted:
                kept.extend(tasks)
                kept.extend(block[1:])
                inserted = True
            continue
        kept.extend(block)
    if not inserted:
        # No placeholder: the carried tasks go first, right under the heading, and the blank
        # lines that separated it from the next section now follow them.
        kept = tasks + kept
    return "\n".join(lines[: section.start + 1] + kept + lines[section.end :])
