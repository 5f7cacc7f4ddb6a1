"""Layering: papers (what was published) never imports the knowledge layer."""

import ast
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
