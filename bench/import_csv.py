"""CSV import benchmark: `python bench/import_csv.py --rows 1000000 [--database-url URL]`.

Writes a realistic HubSpot-style contacts export of `--rows` rows (17 columns: the preset's
fields plus five custom attributes, each typed on import: a lifecycle stage (text), total
visits and seconds on site (numbers), a last-activity date, a do-not-email flag (yes/no)),
and `--activities` rows of an activity log, into a temp dir in bounded memory, then
imports each file the way `cli.py import` does (preset detection, one transaction) in a
fresh child process, so the peak RSS is the import's alone. With --compare-rows (default
100,000) a smaller file is imported first: bounded memory means both peaks are about the
same. --database-url imports into that (empty, e.g. PostgreSQL) database instead of a temp
SQLite file. The last line:
import_rows=<n> import_s=<x> import_cpu_s=<x> scan_cpu_s=<x> rows_per_s=<x> peak_mb=<x>
[activities_s=<x>]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import peak_mb  # noqa: E402

WRITE_ROWS = 100_000
_FIRST = np.array(["Ann", "Bob", "Chloé", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo"])
_LAST = np.array(["Lee", "Ray", "Müller", "Singh", "Okafor", "Smith", "Kowalski", "Tan"])
_INDUSTRY = np.array(["SaaS", "Retail", "Manufacturing", "Finance", "Healthcare", "Education"])
_COUNTRY = np.array(["United States", "Germany", "France", "Brazil", "India", "Japan"])
_SOURCE = np.array(["ORGANIC_SEARCH", "PAID_SEARCH", "SOCIAL_MEDIA", "EMAIL_MARKETING", "DIRECT"])
_TITLE = np.array(["VP Sales", "Marketing Manager", "CTO", "Analyst", "Founder", "Student"])
_STAGE = np.array(["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead"])
_TYPES = np.array(["page_view", "email_open", "email_click", "webinar", "demo_request"])


def leads_chunk(start: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` HubSpot contacts with ids start..start+n-1."""
    ids = np.arange(start, start + n)
    first, last = rng.choice(_FIRST, n), rng.choice(_LAST, n)
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730 * 86400, n), "s")
    return pd.DataFrame(
        {
            "Record ID": ids,
            "First Name": first,
            "Last Name": last,
            "Email": [f"person{i}@example.com" for i in ids],
            "Company Name": [f"Company {i % 50_000}" for i in ids],
            "Job Title": rng.choice(_TITLE, n),
            "Industry": rng.choice(_INDUSTRY, n),
            "Number of Employees": rng.lognormal(4, 1.5, n).astype(int).astype(str),
            "Country/Region": rng.choice(_COUNTRY, n),
            "Original Source": rng.choice(_SOURCE, n),
            "Contact owner": rng.choice(np.array(["rita", "sam", "omar", "li"]), n),
            "Create Date": created.strftime("%Y-%m-%d %H:%M"),
            "Lifecycle Stage": rng.choice(_STAGE, n),
            "Total Visits": rng.poisson(4, n),
            "Time on Website (s)": np.round(rng.exponential(300, n), 1),
            "Last Activity Date": (
                created + pd.to_timedelta(rng.integers(0, 90 * 86400, n), "s")
            ).strftime("%Y-%m-%d"),
            "Do Not Email": rng.choice(np.array(["No", "Yes"]), n, p=[0.9, 0.1]),
        }
    )


def activities_chunk(n: int, leads: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` activity rows of random leads."""
    at = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), "s")
    return pd.DataFrame(
        {
            "lead": rng.integers(1, leads + 1, n),
            "type": rng.choice(_TYPES, n),
            "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )


def write_file(path: Path, rows: int, make, seed: int = 7) -> float:  # type: ignore[no-untyped-def]
    """Write `rows` rows chunk by chunk (bounded memory); returns the file size in MB."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for start in range(0, rows, WRITE_ROWS):
            chunk = make(start + 1, min(WRITE_ROWS, rows - start), rng)
            chunk.to_csv(handle, index=False, header=start == 0)
    return path.stat().st_size / 1e6


def child(file: Path, kind: str, url: str, mapping_json: str | None) -> None:
    """Import one file into `url` and print the figures as JSON (run in a fresh process)."""
    from db import repository as repo
    from db.engine import get_engine
    from db.migrate import upgrade
    from domain.importing import Mapping, read_csv_source, suggest_mapping

    engine = get_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    source = read_csv_source(file)
    mapping = (
        Mapping.from_json(mapping_json) if mapping_json else suggest_mapping(kind, source.header)
    )
    report = repo.import_csv(engine, source, mapping)
    seconds = time.perf_counter() - started
    figures = {
        "rows": report.rows_read,
        "inserted": report.inserted,
        "seconds": seconds,
        "rejected": report.rejected,
        "peak_mb": peak_mb(),
        "types": report.types,
        # CPU seconds of the import process: on a busy machine wall time mostly measures
        # the other processes; CPU time is what an idle machine would need (plus waits).
        "cpu_s": _cpu_seconds(),
        # A big file's whole-file scan runs in a child process (domain/importing/scan_ahead).
        "child_cpu_s": _cpu_seconds(resource.RUSAGE_CHILDREN),
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(json.dumps(figures))


def _cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_child(file: Path, kind: str, url: str, mapping: str | None = None) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(file), "--kind", kind, "--url", url]
    if mapping:
        command += ["--mapping", mapping]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"import of {file.name} failed:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.child:
        child(Path(args.child), args.kind, args.url, args.mapping)
        return 0
    with tempfile.TemporaryDirectory(prefix="baton-import-bench-") as folder:
        tmp = Path(folder)
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        sizes = [n for n in (args.compare_rows, args.rows) if n and n <= args.rows]
        figures: dict[int, dict[str, float]] = {}
        for rows in dict.fromkeys(sizes):
            path = tmp / f"contacts_{rows}.csv"
            started = time.perf_counter()
            mb = write_file(path, rows, leads_chunk)
            print(f"wrote {rows:,} leads ({mb:.0f} MB) in {time.perf_counter() - started:.1f} s")
            url = (
                args.database_url
                if rows == args.rows and args.database_url
                else (f"sqlite:///{tmp / f'baton_{rows}.db'}")
            )
            figures[rows] = result = run_child(path, "leads", url)
            print(
                f"imported {result['inserted']:,.0f} leads in {result['seconds']:.1f} s "
                f"({result['cpu_s']:.1f} s of CPU, {result['child_cpu_s']:.1f} s in the scan "
                "process): "
                f"{result['rows'] / result['seconds']:,.0f} rows/s, peak RSS "
                f"{result['peak_mb']:.0f} MB (scan process {result['child_peak_mb']:.0f} MB) "
                f"({'given' if url == args.database_url else 'SQLite'})"
            )
            typed = ", ".join(f"{name} ({kind})" for name, kind in result["types"].items())
            print(f"custom attributes: {typed}")
        if args.activities:
            path = tmp / "activities.csv"
            write_file(path, args.activities, lambda s, n, rng: activities_chunk(n, args.rows, rng))
            url = args.database_url or f"sqlite:///{tmp / f'baton_{args.rows}.db'}"
            mapping = json.dumps(
                {
                    "kind": "activities",
                    "fields": {
                        "lead_external_id": "lead",
                        "activity_type": "type",
                        "occurred_at": "at",
                    },
                }
            )
            act = run_child(path, "activities", url, mapping)
            print(
                f"imported {act['inserted']:,.0f} activities in {act['seconds']:.1f} s: "
                f"{act['rows'] / act['seconds']:,.0f} rows/s, peak RSS {act['peak_mb']:.0f} MB"
            )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        main_run = figures[args.rows]
        activities = f" activities_s={act['seconds']:.2f}" if args.activities else ""
        print(
            f"import_rows={main_run['rows']:.0f} import_s={main_run['seconds']:.2f} "
            f"import_cpu_s={main_run['cpu_s']:.2f} scan_cpu_s={main_run['child_cpu_s']:.2f} "
            f"rows_per_s={main_run['rows'] / main_run['seconds']:.0f} "
            f"peak_mb={main_run['peak_mb']:.0f}{activities}"
        )
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="leads in the big file")
    parser.add_argument(
        "--compare-rows", type=int, default=100_000, help="leads in the comparison file (0: none)"
    )
    parser.add_argument("--activities", type=int, default=0, help="activity rows (0: none)")
    parser.add_argument("--database-url", help="import the big file here (default: SQLite)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="leads", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--mapping", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(main())
