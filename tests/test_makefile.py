"""The Makefile keeps the README's promises: `make help` lists every target, `.PHONY` names only
real targets, `make test` type-checks the pure packages."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
RULE = re.compile(r"^([A-Za-z0-9_.-]+):(?!=)", re.MULTILINE)


def _targets() -> set[str]:
    return {name for name in RULE.findall(MAKEFILE) if not name.startswith(".") and "$" not in name}


def _documented() -> set[str]:
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_-]+):.*## ", MAKEFILE, re.MULTILINE)}


def test_help_lists_every_documented_target():
    make = shutil.which("make") or "make"
    # A fixed command of our own Makefile; no outside input reaches it.
    out = subprocess.run([make, "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout  # noqa: S603
    listed = set(re.findall(r"^\s+make (\S+)", out, re.MULTILINE))
    assert "e2e" in listed
    assert listed == _documented()


def test_every_target_is_documented():
    assert _targets() - _documented() == set()


def test_phony_names_only_real_targets():
    phony = set(re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE).group(1).split())
    assert phony - _targets() == set()
    assert _documented() - phony == set()


def test_make_test_type_checks_the_pure_packages():
    recipe = MAKEFILE.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "typecheck" in recipe
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert set(config["files"]) >= {"kb/lib", "papers/ingest", "kb/search"}
    assert "mypy_django_plugin.main" in config["plugins"]


def test_make_run_loads_the_corpus_it_is_given():
    recipe = MAKEFILE.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "load_samples $(CORPUS)" in recipe
    assert re.search(r"^CORPUS \?= ", MAKEFILE, re.MULTILINE)
