"""Layering: papers (what was published) never imports the knowledge layer."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_papers_imports_only_pure_helpers_from_kb():
    offenders = []
    for path in (ROOT / "papers").rglob("*.py"):
        for name in _imports(path):
            if (name == "kb" or name.startswith("kb.")) and not name.startswith("kb.lib"):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_ingest_pipeline_touches_no_database():
    offenders = []
    for path in (ROOT / "papers" / "ingest").rglob("*.py"):
        for name in _imports(path):
            if name.startswith(("django.db", "papers.models", "kb")):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_pure_helpers_define_no_models():
    for path in (ROOT / "kb" / "lib").rglob("*.py"):
        assert "django.db" not in " ".join(_imports(path)), path


def _sources(*folders: str) -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    }


def test_every_service_and_selector_is_used():
    """A write or read path nobody calls is dead weight that drifts from the live one."""
    code = _sources("kb", "papers", "bench")
    templates = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html"))
    unused = []
    for path, text in code.items():
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith(("kb/services/", "kb/selectors/", "papers/services/", "papers/selectors")):
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                uses = sum(other.count(node.name) for p, other in code.items() if p != path)
                uses += text.count(node.name) - 1 + templates.count(node.name)
                if not uses:
                    unused.append(f"{rel}: {node.name}")
    assert unused == []


def test_a_visible_paper_or_404_is_written_once():
    lookup = re.compile(r"Paper\.objects\.visible_to\(user\)(?:[^\n]*\n){0,3}?[^\n]*\.filter\(pk=paper_id\)")
    code = _sources("kb", "papers")
    places = [p.relative_to(ROOT).as_posix() for p, text in code.items() if len(lookup.findall(text))]
    assert places == ["papers/selectors.py"]
    assert len(lookup.findall(code[ROOT / "papers" / "selectors.py"])) == 1


def test_cross_reference_history_is_registered_beside_the_model():
    code = _sources("kb")
    places = [
        p.relative_to(ROOT).as_posix() for p, text in code.items() if "register(CrossReference, app=" in text
    ]
    assert places == ["kb/models/crossrefs.py"]


def test_no_htmx_branch_without_an_htmx_client():
    code = _sources("kb", "papers")
    assert [p.name for p, text in code.items() if "HX-Request" in text] == []


def test_one_selection_module_for_every_reader_tool():
    """Offsets within a passage are counted in one place (static/js/selection.js): code points,
    the ¶ anchor left out, on any selection change (mouse or keyboard)."""
    # Walking a passage's text nodes (skipping the anchors) or reading the selection as it
    # changes is counting offsets; removing anchors from a copy shown in a popover is not.
    owners = {
        path.name
        for path in (ROOT / "static" / "js").glob("*.js")
        if re.search(
            r"createTreeWalker|selectionchange|mouseup|toString\(\)\.length", path.read_text("utf-8")
        )
    }
    assert owners == {"selection.js"}
