"""Data page costs on a big upload: `python bench/data_page.py --rows 1000000`.

Writes a HubSpot-style contacts export (bench/import_csv.py's generator), reads it as the
uploader hands it over (bytes), then times what every rerun of the page does with it (hash
key, sniffing, kind guess, row estimate, preview) and the Validate dry run over all
chunks. The last line: rows=<n> rerun_ms=<x> validate_s=<x> rows_per_s=<x> peak_mb=<x>
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.import_csv import leads_chunk, write_file  # noqa: E402
from bench.report import peak_mb  # noqa: E402
from components.data.import_run import dry_run  # noqa: E402
from components.data.import_source import PREVIEW_ROWS, prepare, upload_from  # noqa: E402
from domain.importing import suggest_mapping  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="baton-data-page-") as folder:
        path = Path(folder) / "contacts.csv"
        size = write_file(path, args.rows, leads_chunk)
        data = path.read_bytes()
    print(f"file: {args.rows:,} rows, {size:.1f} MB")
    started = time.perf_counter()
    prepared = prepare(upload_from("contacts.csv", data))
    assert prepared.source is not None
    estimate = prepared.upload.approximate_rows
    prepared.source.preview(PREVIEW_ROWS)
    rerun_ms = (time.perf_counter() - started) * 1000
    print(f"per rerun (hash, sniff, guess, row estimate {estimate:,}, preview): {rerun_ms:.0f} ms")
    mapping = suggest_mapping(prepared.guessed_kind, prepared.source.header)
    started = time.perf_counter()
    found = dry_run(prepared.source, mapping)
    seconds = time.perf_counter() - started
    print(f"validate (dry run): {found.rows:,} rows, {found.rejected:,} rejected, {seconds:.1f} s")
    print(
        f"rows={found.rows} rerun_ms={rerun_ms:.0f} validate_s={seconds:.2f} "
        f"rows_per_s={found.rows / seconds:.0f} peak_mb={peak_mb():.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
