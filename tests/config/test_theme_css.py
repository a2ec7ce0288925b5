"""The dark palette is written twice in the stylesheets: once for the system's dark mode
(`@media (prefers-color-scheme: dark)`, unless the light theme was chosen) and once for a dark
theme chosen in the header (`[data-theme="dark"]`, logs/theme.py). CSS cannot say "this media
query or that attribute" in one rule without a build step, so this test keeps the two copies in
step: every system-dark rule has an explicit-dark twin with the same declarations, and back."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css"
SYSTEM = ':root:not([data-theme="light"])'
CHOSEN = ':root[data-theme="dark"]'
_MEDIA = "@media (prefers-color-scheme: dark) {"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _blocks(css: str) -> tuple[list[str], str]:
    """The bodies of the dark media blocks, and the stylesheet without them."""
    inside, outside, position = [], [], 0
    while (start := css.find(_MEDIA, position)) != -1:
        outside.append(css[position:start])
        depth, i = 1, start + len(_MEDIA)
        while depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        inside.append(css[start + len(_MEDIA) : i - 1])
        position = i
    outside.append(css[position:])
    return inside, "".join(outside)


def _rules(css: str, root: str) -> dict[str, str]:
    """Selector (without the theme's root) -> declarations, for the rules under `root`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = {}
    for selectors, body in _RULE.findall(css):
        parts = [" ".join(p.split()) for p in selectors.split(",")]
        themed = [p for p in parts if root in p]
        if not themed:
            continue
        assert len(themed) == len(parts), f"a rule mixes themed and plain selectors: {parts}"
        key = ", ".join(
            p.replace(f":where({root})", "").replace(root, ":root").strip() for p in parts
        )
        found[key] = f"{found.get(key, '')} {' '.join(body.split())}".strip()
    return found


@pytest.mark.parametrize("name", ["camplog.css", "pygments.css"])
def test_the_chosen_dark_theme_is_the_systems_dark_theme(name):
    media, rest = _blocks((CSS / name).read_text())
    system = {}
    for block in media:
        system.update(_rules(block, SYSTEM))
        assert _rules(block, CHOSEN) == {}
    chosen = _rules(rest, CHOSEN)
    assert system, f"{name} has no dark rules"
    assert system == chosen


def test_every_rule_of_the_system_dark_mode_yields_to_a_chosen_light_theme():
    for name in ("camplog.css", "pygments.css"):
        media, _ = _blocks((CSS / name).read_text())
        for block in media:
            css = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
            for selectors, _ in _RULE.findall(css):
                for selector in selectors.split(","):
                    assert SYSTEM in selector, f"{name}: {selector.strip()} ignores the choice"
