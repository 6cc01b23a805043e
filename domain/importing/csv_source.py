"""A CSV file read the way CRM exports come: any common encoding and delimiter, streamed.

`read_csv_source` sniffs the encoding (BOM, UTF-8, else charset-normalizer) and the
delimiter from the first 64 KiB, checks the header, and refuses files it cannot read with
an `ImportFileError` whose message says why. `chunks()` then streams the rows (bounded
memory) as frames of strings indexed by the line each row starts on in the file: quoted
newlines make that differ from the row number.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from domain.common.csv_safety import GUARD, unguard_cell, unguard_frame
from domain.importing.encoding import EncodingError, canonical, sniff_encoding
from domain.importing.profile import FileProfile, profile_of
from domain.importing.refusals import (
    CELL_LIMIT,
    ImportFileError,
    check_header,
    check_quote,
    csv_error_sentence,
    refuse_binary,
    refuse_control_characters,
    refuse_long_first_line,
)

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# CRM exports put long notes in one cell; the csv module's default limit is 128 KiB.
csv.field_size_limit(CELL_LIMIT)
__all__ = ["CsvSource", "ImportFileError", "read_csv_source"]


@dataclass
class CsvSource:
    """A sniffed CSV file: how to read it, and its header. Re-readable (opens it per read)."""

    data: bytes | Path
    encoding: str
    delimiter: str
    header: list[str]
    total_bytes: int
    chunk_rows: int = 100_000
    notes: list[str] = field(default_factory=list)
    bytes_done: int = 0
    """How far `chunks()` has read (bytes, approximate): the import's progress."""

    sample_profile: FileProfile | None = None
    """What the first 64 KiB show (the whole file's `profile` replaces it once scanned)."""
    profile: FileProfile | None = None
    """Set by `scan()`: the whole file's date orders and decimal separators."""
    _nul_free: bool = field(default=False, init=False, repr=False)
    """Set by `scan()`: the file holds no NUL character."""
    _nul_seen: bool = field(default=False, init=False, repr=False)

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers use a decimal comma, as the values show (else semicolon files)."""
        known = self.profile or self.sample_profile
        return known.decimal_comma if known is not None else self.delimiter == ";"

    def preview(self, n: int = 20) -> pd.DataFrame:
        """The first `n` rows as strings, indexed by line number."""
        return next(self._frames(n, limit=n), self._frame([], []))

    def scan(self) -> FileProfile:
        """Read the whole file once (before importing any row) for its reading decisions.

        Raises ImportFileError for what stops the file being read (an unbalanced quote,
        undecodable bytes...). Cached: the second call reads nothing.
        """
        if self.profile is None:
            self._nul_seen = False
            self.profile = profile_of(
                self._frames(self.chunk_rows), comma_by_default=self.delimiter == ";"
            )
            self._nul_free = not self._nul_seen
            self.notes = [n for n in self.notes if not n.startswith("numbers")]
            self.notes += [self.profile.decimal_note(), *self.profile.date_notes()]
        return self.profile

    def scan_result(self) -> tuple[FileProfile, list[str], bool]:
        """What `scan()` found, for `adopt_scan` (in another process)."""
        assert self.profile is not None, "scan() first"
        return self.profile, self.notes, self._nul_free

    def adopt_scan(self, result: tuple[FileProfile, list[str], bool]) -> None:
        """Take a `scan_result()` made from the same file elsewhere as this file's scan."""
        self.profile, self.notes, self._nul_free = result

    def unscanned_chunks(self) -> Iterator[pd.DataFrame]:
        """As `chunks()`, but without scanning first: each frame carries the first 64 KiB's
        profile, to be checked against the whole file's (see domain/importing/scan_ahead)."""
        self.bytes_done = 0
        for frame in self._frames(self.chunk_rows):
            frame.attrs["profile"] = self.sample_profile
            yield frame

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Every row, `chunk_rows` at a time, as strings indexed by line number.

        The whole file is scanned first (`scan()`); each frame carries the result as
        `frame.attrs["profile"]`. Rows with a different number of fields than the header
        are padded or cut, and listed in `frame.attrs["ragged"]` ({line: fields}) so
        validation rejects them.
        """
        profile = self.scan()
        self.bytes_done = 0
        for frame in self._frames(self.chunk_rows):
            frame.attrs["profile"] = profile
            yield frame

    def accented(self, rows: int = 2_000, limit: int = 12) -> pd.DataFrame:
        """Up to `limit` distinct non-ASCII cells of the first `rows` rows, decoded with
        the file's encoding: what to look at when choosing one (line, column, value)."""
        found: dict[tuple[str, str], int] = {}
        for frame in self._frames(rows, limit=rows):
            for column in frame.columns:
                text = frame[column].astype("string")
                odd = text[~text.str.isascii().fillna(True).astype(bool)]
                for line, value in odd.items():
                    if len(found) < limit:
                        found.setdefault((str(column), str(value)), int(line))
        return pd.DataFrame(
            [(line, column, value) for (column, value), line in found.items()],
            columns=["line", "column", "value"],
        )

    def _frames(self, size: int, limit: int | None = None) -> Iterator[pd.DataFrame]:
        width = len(self.header)
        with self._open() as (raw, text):
            reader = csv.reader(self._without_nul(text), delimiter=self.delimiter)
            rows: list[list[str]] = []
            lines: list[int] = []
            ragged: dict[int, int] = {}
            read = 0
            wanted = size if limit is None else min(size, limit)
            # Rows are kept as lists until a chunk is full; the cyclic garbage collector
            # would walk them over and over (a third of the reading time). No cycles are
            # made here, so it is paused while a chunk is read and resumed at each yield.
            pause = gc.isenabled()
            try:
                if pause:
                    gc.disable()
                header = next(reader)  # checked when the source was sniffed
                while not header:  # blank lines before the header
                    header = next(reader)
                previous_end = reader.line_num
                row: list[str] | None = None
                # The loop runs once per row of the file: kept to the fewest steps.
                for row in reader:
                    line = previous_end + 1
                    previous_end = reader.line_num
                    if previous_end > line:  # a quoted cell spans lines: closed in time?
                        check_quote(row, width, self.delimiter, line, previous_end)
                    if len(row) != width:
                        if not any(row):
                            continue  # blank lines are not rows
                        ragged[line] = len(row)
                        rows.append((row + [""] * width)[:width])
                    elif any(row):
                        rows.append(row)
                    else:
                        continue  # nor are rows of empty cells
                    lines.append(line)
                    if len(rows) == wanted:
                        self.bytes_done = min(raw.tell(), self.total_bytes)
                        frame = self._frame(rows, lines, ragged)
                        read += len(rows)
                        rows, lines, ragged = [], [], {}
                        if pause:
                            gc.enable()
                        yield frame
                        if read == limit:
                            return
                        if limit is not None:
                            wanted = min(size, limit - read)
                        if pause:
                            gc.disable()
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"the file is not valid {self.encoding} after line {previous_end}: {exc.reason}"
                ) from None
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(csv_error_sentence(str(exc), previous_end + 1)) from None
            finally:
                if pause:
                    gc.enable()
            if row is not None and not self._ends_in_quote():  # an open quote ran to the end
                check_quote(row, width, self.delimiter, line, previous_end, at_end=True)
            self.bytes_done = self.total_bytes
            if rows:
                yield self._frame(rows, lines, ragged)

    def _without_nul(self, text: io.TextIOWrapper) -> Iterator[str]:
        """The file's lines without NUL characters (PostgreSQL refuses them in text;
        SQLite kept them). Once a whole pass found none, the lines go to the reader as
        they are, without a Python step per line."""
        return text if self._nul_free else self._dropping_nul(text)

    def _dropping_nul(self, text: io.TextIOWrapper) -> Iterator[str]:
        for line in text:
            if "\x00" in line:
                self._nul_seen = True
                line = line.replace("\x00", "")
            yield line

    def _frame(
        self, rows: list[list[str]], lines: list[int], ragged: dict[int, int] | None = None
    ) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=self.header, dtype=object)
        texts = list(map("\x00".join, rows))  # each row's cells, NUL-separated
        if _guarded(texts):
            frame = unguard_frame(frame)
        frame.index = pd.Index(lines, dtype="int64", name="line")
        frame.attrs["ragged"] = ragged or {}
        # No cell is longer than its row: validation skips measuring cells below this.
        frame.attrs["widest_row"] = max(map(len, texts), default=0)
        return frame

    def _ends_in_quote(self) -> bool:
        """Whether the file's last visible character is a quote (a cell closed at the end)."""
        if isinstance(self.data, bytes):
            tail = self.data[-16:]
        else:
            with self.data.open("rb") as handle:
                handle.seek(max(self.total_bytes - 16, 0))
                tail = handle.read()
        return tail.rstrip(b"\r\n\x00 \t").endswith(b'"')

    @contextmanager
    def _open(self) -> Iterator[tuple[IO[bytes], io.TextIOWrapper]]:
        """The binary stream (for progress) and a text view of it (for the csv reader)."""
        raw: IO[bytes] = (
            io.BytesIO(self.data) if isinstance(self.data, bytes) else self.data.open("rb")
        )
        text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
        try:
            yield raw, text
        finally:
            text.close()


def _guarded(texts: list[str]) -> bool:
    """Whether a cell of the rows `texts` (cells joined by NUL, which the reader drops from
    the file) starts with the export's formula guard: one C-speed search of the chunk, as
    almost no file has one (testing every cell was a fifth of an import)."""
    text = "\x00".join(texts)
    return text.startswith(GUARD) or f"\x00{GUARD}" in text


def read_csv_source(
    data: bytes | str | Path, *, chunk_rows: int = 100_000, encoding: str | None = None
) -> CsvSource:
    """Sniff a CSV file (bytes, text, or a path, streamed) and check its header.

    `encoding` overrides the detected one. Raises ImportFileError for an empty or
    header-only file, a blank or repeated column name, undecodable bytes, an unknown
    encoding, or a binary file (an .xlsx workbook saved as .csv).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, Path):
        if not data.is_file():
            raise ImportFileError(f"no such file: {data}")
        total = data.stat().st_size
        with data.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    else:
        total, sample = len(data), data[:SAMPLE_BYTES]
    whole = len(sample) >= total
    if not sample.strip():
        raise ImportFileError("the file is empty")
    refuse_binary(sample, encoding)
    encoding, encoding_note = _encoding(sample, encoding, whole=whole)
    text = _decode(sample, encoding, whole=whole)
    if not text.strip():
        raise ImportFileError("the file is empty (it holds only a byte-order mark or spaces)")
    refuse_control_characters(text)
    refuse_long_first_line(text, whole=whole)
    delimiter = _sniff_delimiter(text)
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    # Baton's own exports quote formula-like cells (domain.common.csv_safety): read them back.
    header = [unguard_cell(name.strip()) for name in rows[0]]
    check_header(header)
    if whole and not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise ImportFileError("the file has a header but no rows")
    sample_profile = _sample_profile(header, rows[1:] if whole else rows[1:-1], delimiter)
    notes = [
        encoding_note,
        f"{_NAMES[delimiter]}-delimited, {len(header)} columns",
        sample_profile.decimal_note(),
    ]
    return CsvSource(
        data=data,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        total_bytes=total,
        chunk_rows=chunk_rows,
        notes=notes,
        sample_profile=sample_profile,
    )


def _encoding(sample: bytes, chosen: str | None, *, whole: bool) -> tuple[str, str]:
    try:
        if chosen and chosen.strip():
            name = canonical(chosen)
            if name == "utf-8" and sample.startswith(codecs.BOM_UTF8):
                name = "utf-8-sig"  # the BOM is not part of the first column's name
            return name, f"encoding {name} (chosen)"
        return sniff_encoding(sample, whole=whole)
    except EncodingError as exc:
        raise ImportFileError(str(exc)) from None


def _sample_profile(header: list[str], rows: list[list[str]], delimiter: str) -> FileProfile:
    width = len(header)
    cells = [(row + [""] * width)[:width] for row in rows]
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # about the line numbers
    return profile_of([frame], comma_by_default=delimiter == ";")


def _decode(sample: bytes, encoding: str, *, whole: bool) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=whole)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"the file is not valid {encoding} text: {exc.reason}") from None


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most, equally wide, columns."""
    lines = text.splitlines()[:1] + text.splitlines()[1:-1][:50]  # the last may be cut
    sample = "\n".join(lines)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        if not widths or widths[0] < 2:
            continue
        consistent = Counter(widths).most_common(1)[0][1]
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
