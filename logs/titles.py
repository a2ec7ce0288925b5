"""Titles are one line. They go into email subjects (where a line break is refused as a header
injection), Atom titles, page titles and exported front matter, so a line break typed or
imported into one becomes a space."""

import re

_LINE_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+\s*")


def one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()
