"""The whole-file scan of a big CSV file in a second process, while the import goes ahead.

`CsvSource.scan` reads every row before the import so that a file's date orders and
decimal separators are the whole file's. On a big file that pass is about a quarter of
the import, and it needs no database: here a child Python process does it while the import
reads its chunks the way the first 64 KiB say (`CsvSource.sample_profile`). When the scan
is back, `ScanAhead.agrees` tells whether the whole file settles every column the same way;
if not, the caller throws away what it did (its transaction) and imports again with the
whole file's profile. Either way each row is read as the whole file says.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from domain.importing.csv_source import CsvSource
from domain.importing.refusals import ImportFileError

# Below this size the second process costs more (about a second to start) than it saves.
WORTH_IT_BYTES = 48 * 1024 * 1024
_ROOT = Path(__file__).resolve().parents[2]


class ScanAhead:
    """A running scan of `source` in a child process; `wait()` fills `source.profile`."""

    def __init__(self, source: CsvSource) -> None:
        self.source = source
        environment = {**os.environ, "PYTHONPATH": str(_ROOT)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "domain.importing.scan_ahead"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._output = self._process.stdout
        # Sent from a thread: an uploaded file (bytes) would otherwise hold the import up
        # until the child has started and read it all.
        payload = pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL)
        threading.Thread(target=_send, args=(self._process.stdin, payload), daemon=True).start()
        self._waited = False

    def done(self) -> bool:
        """Whether the child has finished (then `wait()` returns at once)."""
        return self._waited or self._process.poll() is not None

    def wait(self) -> None:
        """The scan's result in `source` (its profile, notes); raises its ImportFileError.
        If the child failed for any other reason, the scan runs here instead."""
        if self._waited:
            return
        self._waited = True
        with self._output:
            output = self._output.read()
        self._process.wait()
        try:
            outcome = pickle.loads(output)
        except Exception:  # no answer (killed, out of memory): read it here
            self.source.scan()
            return
        if isinstance(outcome, ImportFileError):
            raise outcome
        self.source.adopt_scan(outcome)

    def agrees(self) -> bool:
        """Whether the whole file reads every column as its first 64 KiB said (`wait()`
        first)."""
        sample, whole = self.source.sample_profile, self.source.profile
        return sample is not None and whole is not None and sample.decisions() == whole.decisions()

    def stop(self) -> None:
        """End the child if it still runs (the import stopped early)."""
        if self._process.poll() is None:
            self._process.kill()
        self._output.close()
        self._process.wait()
        self._waited = True


def _send(pipe: IO[bytes], payload: bytes) -> None:
    try:
        with pipe:
            pipe.write(payload)
    except OSError:  # the child died at once: ScanAhead.wait() scans here instead
        pass


def scan_ahead(source: CsvSource) -> ScanAhead | None:
    """A scan of `source` started in a child process, when that pays: a big file whose
    first 64 KiB settle nothing contradictory (no column mixing date orders)."""
    sample = source.sample_profile
    if (
        source.profile is not None
        or source.total_bytes < WORTH_IT_BYTES
        or (os.cpu_count() or 1) < 2
        or sample is None
        or any(evidence.mixed_dates for evidence in sample.columns.values())
    ):
        return None
    return ScanAhead(source)


def _child() -> None:
    source: CsvSource = pickle.loads(sys.stdin.buffer.read())
    try:
        source.scan()
        outcome: object = source.scan_result()
    except ImportFileError as exc:
        outcome = exc
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _child()
