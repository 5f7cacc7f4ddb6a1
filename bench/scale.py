"""make bench-scale: page latency and load time per paper at growing library sizes, on PostgreSQL.

For each size in ``--sizes`` (default 100 and 1,000; ``--sizes 100 1000 10000`` for the large
run) the library grows, through the real load path (``manage.py generate_papers``: save,
mentions, profiles and cross-reference suggestions, search index), to that many distinct papers
(the sample corpus with textual variation). Then one gunicorn worker (DEBUG off) serves it and
every page is requested as a signed-in editor: ``--warm`` untimed requests, then ``--requests``
timed ones, after ``VACUUM ANALYZE``. Each page's median and p95 are set against the floor, a
404 page, measured in the same run. The load time per paper is that of the papers added last
(``--batch`` of them, loaded and then indexed, one process after the other), so that it shows
whether loading stays flat as the library grows; the growth before them runs a task worker
alongside the loader, as a deployment does. The
database and search-index sizes are printed too. It asserts nothing.

The database (``--db``, default ``tanyuan_bench_scale``) is dropped and created when
``--fresh`` is given, else grown; files and the index live in ``--var`` (var/bench-scale/).
Run from the repository root: ``.venv/bin/python bench/scale.py [--sizes N ...]`` (``make bench-scale``).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"


def _env(db: str, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        KB_SECURE="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=f"{PG}/{db}",
        KB_VAR_DIR=str(var),
    )
    return env


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    # Fixed commands of this project with arguments from this script; no outside input.
    done = subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else ""


def _shell(env: dict[str, str], code: str) -> str:
    return _manage(env, "shell", "--no-imports", "-c", code, capture=True).strip()


def _psql(sql: str, db: str = "postgres") -> str:
    done = subprocess.run(  # noqa: S603
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atqc", sql],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _papers(env: dict[str, str]) -> int:
    return int(_shell(env, "from papers.models import Paper; print(Paper.objects.count())"))


def _load(
    env: dict[str, str], count: int, start: int, corpus: str, *, worker_alongside: bool = False
) -> None:
    """Load ``count`` papers through the real path, then index them (the worker drains its queue).

    ``worker_alongside``: a task worker indexes while the papers load, as in production (the bulk
    growth before the timed batch: the loader leaves the other core idle)."""
    worker = (
        subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            [PY, "manage.py", "db_worker", "--queue-name", "indexing,default", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        if worker_alongside
        else None
    )
    try:
        _manage(env, "generate_papers", str(count), "--corpus", corpus, "--start", str(start), "-v0")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait()
    _manage(env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", "indexing,default", "-v0")


def _grow(env: dict[str, str], size: int, batch: int, corpus: str) -> float | None:
    """Grow the library to ``size`` papers; seconds per paper of the last ``batch`` added."""
    have = _papers(env)
    if have >= size:
        return None
    if size - have > batch:
        _load(env, size - have - batch, have, corpus, worker_alongside=True)
        have = size - batch
    started = time.monotonic()
    _load(env, size - have, have, corpus)
    return (time.monotonic() - started) / (size - have)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A tiny cookie-keeping HTTP client (urllib) signed in as the demo editor."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, float, int]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=600) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        return status, (time.perf_counter() - started) * 1000, len(body)

    def login(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - a loopback URL of our own server
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/accounts/login/"}
        )
        with self.opener.open(request, timeout=60) as response:
            if "/accounts/login/" in response.url:
                raise SystemExit("bench-scale: could not sign in as the demo editor")


def _pages(env: dict[str, str]) -> list[tuple[str, str]]:
    found = json.loads(
        _shell(
            env,
            "import json\n"
            "from kb.models import Concept\n"
            "from kb.models.aggregates import ConceptStat\n"
            "from papers.models import Paper\n"
            "divide = Concept.objects.filter(label_zh='数字鸿沟').values_list('slug', flat=True).first()\n"
            "top = ConceptStat.objects.order_by('-mentions').values_list('concept__slug', flat=True).first()\n"
            "paper = Paper.objects.order_by('pk').values_list('pk', flat=True).first()\n"
            "print(json.dumps({'divide': divide, 'top': top, 'paper': paper}))",
        )
    )
    q = urllib.parse.quote
    return [
        ("floor: 404 page", "/no-such-page/"),
        ("home", "/"),
        ("concept 数字鸿沟", f"/concepts/{q(found['divide'])}/"),
        ("concept with most mentions", f"/concepts/{q(found['top'])}/"),
        ("concept list", "/concepts/"),
        ("comparison matrix", "/compare/"),
        ("concept graph", "/graphs/concepts/"),
        ("paper–concept graph", "/graphs/papers/"),
        ("claim list", "/claims/"),
        ("cross-reference review", "/crossrefs/"),
        ("paper list", "/papers/"),
        ("reader", f"/papers/{found['paper']}/"),
        ("search 数字鸿沟", f"/search/?q={q('数字鸿沟')}"),
    ]


def _measure(client: Client, path: str, warm: int, requests: int) -> dict:
    for _ in range(warm):
        client.get(path)
    times, statuses, size = [], set(), 0
    for _ in range(requests):
        status, ms, size = client.get(path)
        times.append(ms)
        statuses.add(status)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median": statistics.median(times), "p95": p95, "status": sorted(statuses), "bytes": size}


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            GUNICORN,
            "kb.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("bench-scale: gunicorn did not start")


def _sizes_line(env: dict[str, str], db: str, var: Path) -> str:
    db_bytes = int(_psql(f"SELECT pg_database_size('{db}')"))
    index = var / "search-index"
    index_bytes = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) if index.exists() else 0
    counts = _shell(
        env,
        "from papers.models import Passage; from kb.models import Mention, CrossReference; "
        "print(Passage.objects.count(), Mention.objects.count(), CrossReference.objects.count())",
    ).split()
    return (
        f"passages {int(counts[0]):,}, mentions {int(counts[1]):,}, cross-references {int(counts[2]):,}; "
        f"database {db_bytes / 2**20:,.0f} MB, search index {index_bytes / 2**20:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--db", default="tanyuan_bench_scale")
    parser.add_argument("--fresh", action="store_true", help="drop and create the database first")
    parser.add_argument("--batch", type=int, default=50, help="papers whose load time is reported")
    parser.add_argument("--warm", type=int, default=2)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--corpus", default=os.environ.get("KB_SAMPLE_CORPUS", "../shared/corpus"))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--var", default=str(ROOT / "var" / "bench-scale"), help="folder of the library's files and index"
    )
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db):
        raise SystemExit("bench-scale: --db must be a plain lower-case name")

    var = Path(args.var).resolve()
    var.mkdir(parents=True, exist_ok=True)
    env = _env(args.db, var)
    if args.fresh:
        _psql(f"DROP DATABASE IF EXISTS {args.db}")
        for derived in ("search-index", "media"):  # the old library's index and files
            shutil.rmtree(var / derived, ignore_errors=True)
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"):  # noqa: S608 - a checked name
        _psql(f"CREATE DATABASE {args.db}")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    demo = _manage(env, "create_demo_users", "--force", capture=True)
    _manage(env, "load_thesaurus", "-v0")
    editor = re.search(r"^\s*(\S+)\s+(\S+)\s+Editor\b", demo, re.MULTILINE)
    username, password = (editor.group(1), editor.group(2)) if editor else ("editor", "")

    results = []
    for size in sorted(args.sizes):
        per_paper = _grow(env, size, args.batch, args.corpus)
        _psql("VACUUM ANALYZE", args.db)
        port = _free_port()
        server = _serve(env, port)
        try:
            client = Client(f"http://127.0.0.1:{port}")
            client.login(username, password)
            rows = [
                (name, path, _measure(client, path, args.warm, args.requests)) for name, path in _pages(env)
            ]
        finally:
            server.terminate()
            server.wait()
        floor = rows[0][2]
        print(f"\n== {size:,} papers — {_sizes_line(env, args.db, var)}")
        if per_paper is not None:
            print(f"load time per paper (the last {args.batch} added): {per_paper:.2f} s")
        print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'p95/floor':>10}  status  bytes")
        for name, _path, m in rows:
            ratio = m["p95"] / floor["p95"] if floor["p95"] else 0
            status = ",".join(str(s) for s in m["status"])
            print(f"{name:32} {m['median']:10.1f} {m['p95']:8.1f} {ratio:9.1f}x  {status:6}  {m['bytes']:,}")
        results.append({"papers": size, "load_s_per_paper": per_paper, "pages": {n: m for n, _p, m in rows}})
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
