"""The text encoding of a CSV file: a BOM, UTF-8, else the most plausible single-byte one.

charset-normalizer alone guesses cp1250 for short Latin-1 exports ("Logroño" came out
"Logrońo"): with a few accented letters every single-byte code page decodes cleanly. So
among single-byte code pages Baton decodes the sample with each and keeps the one whose
text reads most like words (letters of one script, no symbols inside words); ties go to
cp1252, the Western European code page most CRM exports outside UTF-8 use.
"""

from __future__ import annotations

import codecs
import unicodedata

# Single-byte code pages, in the order a tie prefers them.
SINGLE_BYTE = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1")
CHOICES = ("utf-8", "utf-8-sig", "utf-16", *SINGLE_BYTE, "iso8859-15", "mac-roman")
"""The encodings the Data page offers (any Python codec name works on the command line)."""


class EncodingError(ValueError):
    """The encoding cannot be used or found; the message says why."""


def canonical(name: str) -> str:
    """Python's name of an encoding (`latin1` -> `iso8859-1`); EncodingError if unknown."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise EncodingError(
            f"unknown encoding {name!r}; try utf-8, cp1252, latin-1 or cp1250"
        ) from None


def sniff_encoding(sample: bytes, *, whole: bool) -> tuple[str, str]:
    """(encoding, the sentence saying how it was found) for the first bytes of a file."""
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
    other = canonical(best.encoding) if best is not None else None
    guess = most_plausible(sample, also=other)
    if guess is None:
        raise EncodingError("cannot tell the file's text encoding; save it as UTF-8 CSV")
    return guess, f"encoding {guess} (not UTF-8: detected from the bytes)"


def most_plausible(sample: bytes, also: str | None = None) -> str | None:
    """The single-byte code page (or `also`, charset-normalizer's guess, last on a tie)
    whose decoding of `sample` reads most like words."""
    scored = []
    for order, name in enumerate((*SINGLE_BYTE, *([also] if also else []))):
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((oddness(text), order, canonical(name)))
    return min(scored)[2] if scored else None


def oddness(text: str) -> int:
    """How unlike words the non-ASCII characters of `text` are (0: all plausible).

    A symbol or control character next to a letter ("Za¿ó³æ") costs 3; two non-ASCII Latin
    letters in a row ("Ïðèâåò", cp1251 read as cp1252) cost 1, being rare in real words; a
    letter of another script inside a Latin word ("Krakуw") costs 2.
    """
    score = 0
    previous = ""
    for i, char in enumerate(text):
        if char.isascii():
            previous = char
            continue
        category = unicodedata.category(char)
        following = text[i + 1] if i + 1 < len(text) else ""
        if not category.startswith("L"):
            if previous.isalpha() or following.isalpha() or category == "Cc":
                score += 3
        elif not _latin(char) and (_ascii_letter(previous) or _ascii_letter(following)):
            score += 2  # another script inside a Latin word: "Krakуw"
        elif not previous.isascii() and previous.isalpha() and _latin(char) and _latin(previous):
            score += 1
        previous = char
    return score


def _latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def _ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()
