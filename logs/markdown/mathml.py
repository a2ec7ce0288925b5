"""TeX to MathML on the server, rebuilt through a strict MathML allowlist with all text escaped.

latex2mathml's output is parsed and serialized again element by element, so nothing it copies
from the TeX (`\\text{<script>}`, `\\href{javascript:…}`) reaches the page as markup.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from latex2mathml.converter import convert as latex_to_mathml

_MATHML = "{http://www.w3.org/1998/Math/MathML}"
# fmt: off
_TAGS = frozenset({
    "math", "semantics", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup",
    "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none",
})
_ATTRIBUTES = frozenset({
    "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "minsize", "maxsize",
    "movablelimits", "accent", "accentunder", "linethickness", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "framespacing", "width",
    "height", "depth", "voffset", "scriptlevel", "displaystyle", "notation", "form", "symmetric",
    "largeop", "mathcolor", "mathbackground", "mathsize",
})
# fmt: on
_VALUE = re.compile(r"^[\w .%#+-]*$")  # no quotes, parentheses or colons: no url()/js:
# latex2mathml copies `\text{…}` verbatim: escape what is not markup it could have produced.
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
_BARE_LT = re.compile(rf"<(?!/?(?:{'|'.join(_TAGS)})[\s>/])")

# Environments latex2mathml lacks, as ones it has (`aligned` is all over study notes).
_ENVIRONMENTS = {
    "aligned": ("align*", ""),
    "gathered": ("array", "{c}"),
    "gather": ("array", "{c}"),
    "gather*": ("array", "{c}"),
    "eqnarray": ("array", "{rcl}"),
    "eqnarray*": ("array", "{rcl}"),
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|gathered|gather\*?|eqnarray\*?)\}")


def _alias_environment(m: re.Match[str]) -> str:
    name, columns = _ENVIRONMENTS[m.group(2)]
    return f"\\{m.group(1)}{{{name}}}" + (columns if m.group(1) == "begin" else "")


def _serialize(el: ET.Element, out: list[str]) -> None:
    tag = el.tag.removeprefix(_MATHML)
    if tag in _TAGS:
        attrs = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in sorted(el.attrib.items())
            if name in _ATTRIBUTES and _VALUE.match(value)
        )
        out.append(f"<{tag}{attrs}>{html.escape(el.text or '')}")
        for child in el:
            _serialize(child, out)
        out.append(f"</{tag}>")
    out.append(html.escape(el.tail or ""))  # an unknown element is dropped with its content


def error(tex: str, display: bool) -> str:
    """A formula that cannot be shown as math: its source, as code."""
    source = f"$${tex}$$" if display else f"${tex}$"
    return f'<code class="math-error">{html.escape(source)}</code>'


@lru_cache(maxsize=4096)
def mathml(tex: str, display: bool) -> str:
    """The formula as allowlisted MathML, or as code when latex2mathml cannot read it."""
    try:
        converted = latex_to_mathml(_ENVIRONMENT.sub(_alias_environment, tex))
        xml = _BARE_LT.sub("&lt;", _BARE_AMPERSAND.sub("&amp;", converted))
        root = ET.fromstring(xml)
        if root.tag != f"{_MATHML}math":
            raise ValueError(root.tag)
        out = [f'<math display="{"block" if display else "inline"}">']
        for child in root:
            _serialize(child, out)
        return "".join([*out, "</math>"])
    except Exception:  # latex2mathml raises many kinds; a formula must never break a page
        return error(tex, display)
