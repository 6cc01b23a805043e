"""Why a file cannot be read, in one sentence each: binary data, a bad header, a quote
left open. Used while sniffing (`read_csv_source`) and while streaming (`CsvSource`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says why, in one line."""


_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or another zip file; save it as CSV first",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook; save it as CSV first",
    b"%PDF": "a PDF document, not a CSV file",
}
# Control characters (other than tab and line breaks) in more than this share of the
# first 64 KiB mean binary data decoded as text (a gzip file, an image).
_CONTROL_SHARE = 0.01
CELL_LIMIT = 16 * 1024 * 1024
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


def refuse_binary(sample: bytes, chosen: str | None = None) -> None:
    """Refuse a workbook, PDF or other binary file; a stray NUL in text is dropped later."""
    for signature, what in _BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            raise ImportFileError(f"this is {what}")
    nuls = sample.count(b"\x00")
    if not nuls or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if chosen is not None and chosen.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
        return
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > len(odd) * 0.9 or even.count(0) > len(even) * 0.9:
        raise ImportFileError(
            "this looks like UTF-16 text without a byte-order mark; choose the encoding "
            "utf-16-le (or utf-16-be)"
        )
    # Many NULs, or NULs beside other control bytes, mean binary data.
    if nuls > max(8, len(sample) // 100) or _CONTROL.search(sample):
        raise ImportFileError("this is a binary file, not CSV text")


def refuse_control_characters(text: str) -> None:
    """Refuse decoded text that is mostly not text (binary bytes in a text encoding)."""
    controls = sum(
        1 for c in text if c not in "\t\r\n" and unicodedata.category(c) in ("Cc", "Co", "Cn")
    )
    if controls > max(len(text) * _CONTROL_SHARE, 2):
        raise ImportFileError("this is a binary file, not CSV text")


def refuse_long_first_line(text: str, *, whole: bool) -> None:
    """A first line longer than the sniffed sample cannot be checked: not a CSV header."""
    if not whole and "\n" not in text and "\r" not in text:
        raise ImportFileError(
            "the first line is longer than 64 KiB: this does not look like a CSV header"
        )


def csv_error_sentence(message: str, line: int) -> str:
    """The csv module's complaint about `line`, as a sentence for the user."""
    if "field larger than field limit" in message:
        mb = CELL_LIMIT // 1024 // 1024
        return f"line {line} has a cell over {mb} MB, more than one cell may hold"
    if "NUL" in message:
        return f"line {line} holds a NUL character: this is binary data, not CSV text"
    return f"cannot read line {line}: {message}"


def check_quote(
    row: list[str], width: int, delimiter: str, line: int, end: int, *, at_end: bool = False
) -> None:
    """Refuse a row whose quoted cell swallowed the lines after it (an unclosed quote).

    Quoted cells may hold line breaks (notes); a cell whose inner lines look like rows of
    the file, that runs to the end of a file not ending in a quote (`at_end`), or that
    leaves its row with the wrong number of fields is a quote opened by mistake.
    """
    for cell in row:
        if "\n" not in cell and "\r" not in cell:
            continue
        inner = cell.splitlines()[1:]
        looks_like_rows = width >= 3 and any(part.count(delimiter) >= width - 1 for part in inner)
        ran_out = at_end and cell is row[-1] and cell.endswith(("\n", "\r"))
        if looks_like_rows or ran_out or len(row) != width:
            swallowed = lines_text(line + 1, end) if end > line else "the end of the file"
            raise ImportFileError(
                f'line {line} opens a quote (") that is not closed on that line, so '
                f"{swallowed} would be read into one cell of it; close the quote on line "
                f'{line} (a quote inside a cell is written twice: "") and import again'
            )


def lines_text(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first} to {last}"


def check_header(header: list[str]) -> None:
    broken = [str(i + 1) for i, name in enumerate(header) if "\n" in name or "\r" in name]
    if broken:
        raise ImportFileError(
            f'column(s) {", ".join(broken)} of the header hold a line break: a quote (") '
            "opened in the header is not closed"
        )
    blank = [str(i + 1) for i, name in enumerate(header) if not name]
    if blank:
        raise ImportFileError(f"column(s) {', '.join(blank)} of the header have no name")
    repeated = sorted(name for name, n in Counter(header).items() if n > 1)
    if repeated:
        raise ImportFileError(f"repeated column name(s) in the header: {', '.join(repeated)}")
