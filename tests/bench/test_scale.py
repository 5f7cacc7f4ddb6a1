"""make bench-scale end to end on a tiny library: the benchmark itself runs on a fresh clone.

PostgreSQL only (the benchmark's database); its own database and folder, dropped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DB = "tanyuan_bench_ci"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="bench-scale runs on PostgreSQL"
    ),
]


def test_bench_scale_measures_every_page_and_the_load_time(tmp_path):
    figures = tmp_path / "scale.json"
    args = ["--sizes", "6", "--batch", "3", "--warm", "0", "--requests", "2", "--db", DB, "--fresh"]
    try:
        done = subprocess.run(  # noqa: S603 - our own script with fixed arguments
            [sys.executable, "bench/scale.py", *args, "--var", str(tmp_path / "var"), "--json", str(figures)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}", "postgres"],  # noqa: S607
            check=False,
            capture_output=True,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    [run] = json.loads(figures.read_text(encoding="utf-8"))
    assert run["papers"] == 6 and run["load_s_per_paper"] > 0
    pages = run["pages"]
    assert pages.pop("floor: 404 page")["status"] == [404]
    assert len(pages) == 12 and all(m["status"] == [200] for m in pages.values()), pages
    assert all(m["p95"] >= m["median"] > 0 for m in pages.values())
    assert "load time per paper (the last 3 added)" in done.stdout and "p95/floor" in done.stdout
