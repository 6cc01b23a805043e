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
import io
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from domain.csv_safety import unguard_cell, unguard_frame

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or another zip file; save it as CSV first",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook; save it as CSV first",
    b"%PDF": "a PDF document, not a CSV file",
}
# CRM exports put long notes in one cell; the csv module's default limit is 128 KiB.
csv.field_size_limit(16 * 1024 * 1024)


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says why, in one line."""


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

    @property
    def decimal_comma(self) -> bool:
        """Semicolon-delimited files come from locales that write 1.234,5."""
        return self.delimiter == ";"

    def preview(self, n: int = 20) -> pd.DataFrame:
        """The first `n` rows as strings, indexed by line number."""
        return next(self._frames(n, limit=n), self._frame([], []))

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Every row, `chunk_rows` at a time, as strings indexed by line number.

        Rows with a different number of fields than the header are padded or cut, and
        listed in `frame.attrs["ragged"]` ({line: fields}) so validation rejects them.
        """
        self.bytes_done = 0
        yield from self._frames(self.chunk_rows)

    def _frames(self, size: int, limit: int | None = None) -> Iterator[pd.DataFrame]:
        width = len(self.header)
        with self._open() as (raw, text):
            # NUL characters are dropped: PostgreSQL refuses them in text, SQLite kept them.
            lines_read = (line.replace("\x00", "") if "\x00" in line else line for line in text)
            reader = csv.reader(lines_read, delimiter=self.delimiter)
            rows: list[list[str]] = []
            lines: list[int] = []
            ragged: dict[int, int] = {}
            read = 0
            try:
                header = next(reader)  # checked when the source was sniffed
                while not header:  # blank lines before the header
                    header = next(reader)
                previous_end = reader.line_num
                for row in reader:
                    line, previous_end = previous_end + 1, reader.line_num
                    if not any(row):
                        continue  # blank lines (and rows of empty cells) are not rows
                    if len(row) != width:
                        ragged[line] = len(row)
                        row = (row + [""] * width)[:width]
                    rows.append(row)
                    lines.append(line)
                    read += 1
                    if len(rows) == size or read == limit:
                        self.bytes_done = min(raw.tell(), self.total_bytes)
                        yield self._frame(rows, lines, ragged)
                        rows, lines, ragged = [], [], {}
                        if read == limit:
                            return
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"the file is not valid {self.encoding} after line {previous_end}: {exc.reason}"
                ) from None
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(f"cannot read line {previous_end + 1}: {exc}") from None
            self.bytes_done = self.total_bytes
            if rows:
                yield self._frame(rows, lines, ragged)

    def _frame(
        self, rows: list[list[str]], lines: list[int], ragged: dict[int, int] | None = None
    ) -> pd.DataFrame:
        frame = unguard_frame(pd.DataFrame(rows, columns=self.header, dtype=object))
        frame.index = pd.Index(lines, dtype="int64", name="line")
        frame.attrs["ragged"] = ragged or {}
        return frame

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


def read_csv_source(data: bytes | str | Path, *, chunk_rows: int = 100_000) -> CsvSource:
    """Sniff a CSV file (bytes, text, or a path, streamed) and check its header.

    Raises ImportFileError for an empty or header-only file, a blank or repeated column
    name, undecodable bytes, or a binary file (an .xlsx workbook saved as .csv).
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
    _refuse_binary(sample)
    encoding, encoding_note = _sniff_encoding(sample, whole=whole)
    text = _decode(sample, encoding, whole=whole)
    delimiter = _sniff_delimiter(text)
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
    # Baton's own exports quote formula-like cells (domain.csv_safety): read them back.
    header = [unguard_cell(name.strip()) for name in rows[0]]
    _check_header(header)
    if whole and not any(any(cell.strip() for cell in row) for row in rows[1:]):
        raise ImportFileError("the file has a header but no rows")
    notes = [
        encoding_note,
        f"{_NAMES[delimiter]}-delimited, {len(header)} columns",
    ]
    if delimiter == ";":
        notes.append("numbers are read with a decimal comma (1.234,5), as semicolon files use")
    return CsvSource(
        data=data,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        total_bytes=total,
        chunk_rows=chunk_rows,
        notes=notes,
    )


_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


def _refuse_binary(sample: bytes) -> None:
    for signature, what in _BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            raise ImportFileError(f"this is {what}")
    # A stray NUL in a text export is dropped on reading; many of them, or NULs beside
    # other control bytes, mean binary data.
    nuls = sample.count(b"\x00")
    binary = nuls > max(8, len(sample) // 100) or (nuls and _CONTROL.search(sample))
    if binary and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError("this is a binary file, not CSV text")


def _sniff_encoding(sample: bytes, *, whole: bool) -> tuple[str, str]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "encoding UTF-8 (with a byte-order mark)"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "encoding UTF-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole)
        return "utf-8", "encoding UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise ImportFileError("cannot tell the file's text encoding; save it as UTF-8 CSV")
    encoding = codecs.lookup(best.encoding).name
    return encoding, f"encoding {encoding} (not UTF-8: detected from the bytes)"


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


def _check_header(header: list[str]) -> None:
    blank = [str(i + 1) for i, name in enumerate(header) if not name]
    if blank:
        raise ImportFileError(f"column(s) {', '.join(blank)} of the header have no name")
    repeated = sorted(name for name, n in Counter(header).items() if n > 1)
    if repeated:
        raise ImportFileError(f"repeated column name(s) in the header: {', '.join(repeated)}")
