"""`.ci/run` runs `make test`, and `make test` runs every test: the slow load and fault tests and
the browser journeys are marked, never deselected."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pytest_deselects_no_marker_by_default():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert not re.search(r"(^|\s)-m(\s|$)|--markers?=|not slow|not browser", options["addopts"])
    assert {m.split(":")[0] for m in options["markers"]} >= {"slow", "browser"}


def test_make_test_passes_no_marker_filter():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "pytest $(PYTEST_ARGS)" in recipe
    assert not re.search(r"^PYTEST_ARGS\s*\??=.*\S", makefile, re.M)
    assert not re.search(r"pytest .*(\s-m\s|--deselect|-k\s)", recipe)


def test_ci_runs_make_test_without_narrowing_it():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", script, re.M)
    assert "PYTEST_ARGS" not in script
    # The browser journeys fail rather than skip in CI: chromium is installed there.
    assert "apt-get install" in script and "chromium" in script
    assert re.search(r'^export CI="\$\{CI:-1\}"$', script, re.M)
