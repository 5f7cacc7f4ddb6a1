"""Print locust's CSV statistics as a table; exit 1 when a request failed.

``python bench/loadtest_report.py STATS_CSV [FAILURES_CSV]`` (``make loadtest`` calls it): one row per
endpoint with requests, requests/s, median, p99 and failures, then the aggregate, then each failure.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def table(stats: list[dict[str, str]]) -> str:
    header = f"{'endpoint':44} {'requests':>8} {'req/s':>7} {'median ms':>9} {'p99 ms':>7} {'failures':>8}"
    lines = [header, "-" * len(header)]
    ordered = sorted(stats, key=lambda r: (r["Name"] == "Aggregated", r["Name"]))
    for row in ordered:
        name = "all" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        if row["Name"] == "Aggregated":
            lines.append("-" * len(header))
        lines.append(
            f"{name[:44]:44} {int(row['Request Count']):>8} {float(row['Requests/s']):>7.2f} "
            f"{row['50%']:>9} {row['99%']:>7} {int(row['Failure Count']):>8}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    stats = rows(Path(argv[1]))
    print(table(stats))
    failed = sum(int(r["Failure Count"]) for r in stats if r["Name"] == "Aggregated")
    if len(argv) > 2 and Path(argv[2]).exists():
        for row in rows(Path(argv[2])):
            print(f"FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error']}")
    if not stats or not any(int(r["Request Count"]) for r in stats):
        print("no requests were made")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
