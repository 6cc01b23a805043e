"""What a column's values say about how to read them: day or month first, decimal comma or dot.

Every function looks at one column of CSV text at a time (vectorised) and counts only the
values that settle the question on their own: "25/03/2024" can only be day first, "4.96"
can only use a decimal dot, "03/04/2024" or "4.857" say nothing. `ColumnEvidence` adds
those counts up over a whole file (chunk after chunk) so the decision is the file's, not the
first chunk's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

EXAMPLES_KEPT = 3
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?:[\sT]|$)")
_DIGIT_SEPARATOR = re.compile(r"[.,]\d")
_CURRENCY = re.compile(r"R\$|[$€£¥₹]|\b(?:USD|EUR|GBP|BRL|JPY|INR|CHF|CAD|AUD)\b")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
# A value that can only be read with a decimal dot: the dot comes after a comma, or it is
# followed by other than three digits, or it follows a 0 or more than three digits (no
# thousands group looks like that), or the commas group thousands more than once.
_SURE_DOT = re.compile(
    r"^[-+]?(?:\d{1,3}(?:,\d{3})+\.\d+"
    r"|\d*\.(?:\d{1,2}|\d{4,})"
    r"|0?\.\d+"
    r"|\d{4,}\.\d+"
    r"|\d{1,3}(?:,\d{3}){2,})%?$"
)
_SURE_COMMA = re.compile(
    r"^[-+]?(?:\d{1,3}(?:\.\d{3})+,\d+"
    r"|\d*,(?:\d{1,2}|\d{4,})"
    r"|0?,\d+"
    r"|\d{4,},\d+"
    r"|\d{1,3}(?:\.\d{3}){2,})%?$"
)


def _text(raw: pd.Series) -> pd.Series:
    return raw.astype("string").str.strip()


def _holds(raw: pd.Series, char: str) -> pd.Series:
    """Cells containing `char` (a plain substring test: cheaper than a regex on every cell)."""
    text = raw if raw.dtype == object else raw.astype(object)
    return text.str.contains(char, regex=False).fillna(False).astype(bool)


def date_order_masks(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of the slash dates that can only be day first, and only month first."""
    slash = _holds(raw, "/")
    if not slash.any():
        none = pd.Series(False, index=raw.index)
        return none, none
    parts = _text(raw[slash]).str.extract(_SLASH_DATE)
    first = pd.to_numeric(parts[0], errors="coerce").astype("float64")
    second = pd.to_numeric(parts[1], errors="coerce").astype("float64")
    day = (first > 12) & (first <= 31) & (second <= 12)
    month = (second > 12) & (second <= 31) & (first <= 12)
    return _on(raw, day), _on(raw, month)


def _on(raw: pd.Series, mask: pd.Series) -> pd.Series:
    """`mask` (of some of raw's cells) over all of raw's index, False elsewhere."""
    return mask.astype("boolean").fillna(False).reindex(raw.index, fill_value=False).astype(bool)


def decimal_masks(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of the numbers that can only use a decimal comma, and only a decimal dot."""
    separated = _holds(raw, ".") | _holds(raw, ",")
    text = _text(raw[separated])
    candidate = text.str.contains(r"\d[.,]\d|^[-+]?[.,]\d", regex=True).fillna(False)
    candidate = candidate.astype(bool)
    if not candidate.any():
        none = pd.Series(False, index=raw.index)
        return none, none
    plain = text[candidate].str.replace(_CURRENCY, "", regex=True)
    plain = plain.str.replace(_SPACES, "", regex=True)
    return _on(raw, plain.str.match(_SURE_COMMA)), _on(raw, plain.str.match(_SURE_DOT))


@dataclass
class Tally:
    """How many values settled one way, and the first few (line, value) examples."""

    count: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)

    def add(self, raw: pd.Series, mask: np.ndarray) -> None:
        hits = int(mask.sum())
        if not hits:
            return
        self.count += hits
        room = EXAMPLES_KEPT - len(self.examples)
        if room > 0:
            picked = raw[mask].head(room)
            self.examples.extend((int(i), str(v).strip()) for i, v in picked.items())

    def shown(self) -> str:
        return ", ".join(f"line {line}: {value}" for line, value in self.examples)


def _joined(values: pd.Series) -> str:
    try:  # a list joins several times faster than the Series (CSV cells are never missing)
        return "\x1f".join(values.tolist())
    except TypeError:  # a missing or non-string cell (never from a CSV file)
        return "\x1f".join(str(v) for v in values.dropna())


@dataclass
class ColumnEvidence:
    """The settling values of one column, over every chunk read so far."""

    day_first: Tally = field(default_factory=Tally)
    month_first: Tally = field(default_factory=Tally)
    decimal_comma: Tally = field(default_factory=Tally)
    decimal_dot: Tally = field(default_factory=Tally)

    def add(self, raw: pd.Series) -> None:
        """Count the settling values of one chunk of the column (indexed by line)."""
        # This runs over every row of the file before the import. One C-speed search over
        # the whole column skips those (ids, e-mails, ISO dates, names) holding no slash
        # date and no decimal number; the others are looked at once per distinct value.
        joined = _joined(raw)
        slashes, separators = "/" in joined, _DIGIT_SEPARATOR.search(joined) is not None
        if not (slashes or separators):
            return
        distinct = pd.Series(pd.unique(raw.to_numpy(dtype=object)), dtype=object)
        found: list[tuple[Tally, pd.Series]] = []
        if slashes:
            day, month = date_order_masks(distinct)
            found += [(self.day_first, day), (self.month_first, month)]
        if separators:
            comma, dot = decimal_masks(distinct)
            found += [(self.decimal_comma, comma), (self.decimal_dot, dot)]
        for tally, mask in found:
            if mask.any():
                tally.add(raw, raw.isin(distinct[mask.to_numpy()]).to_numpy())

    @property
    def day_first_dates(self) -> bool | None:
        """True or False when the column settles it, None when it does not (or is mixed)."""
        if self.day_first.count and not self.month_first.count:
            return True
        if self.month_first.count and not self.day_first.count:
            return False
        return None

    @property
    def mixed_dates(self) -> bool:
        return bool(self.day_first.count and self.month_first.count)

    def mixed_dates_message(self, column: str) -> str:
        """The sentence stopping an import whose column mixes both date orders."""
        return (
            f"column {column!r} mixes day-first dates ({self.day_first.count:,}, e.g. "
            f"{self.day_first.shown()}) and month-first dates ({self.month_first.count:,}, "
            f"e.g. {self.month_first.shown()}), so its other slash dates cannot be read "
            "safely; set date_format in the mapping (for example %d/%m/%Y or %m/%d/%Y)"
        )

    @property
    def decimal_vote(self) -> int:
        """Positive when the column's numbers use a decimal comma, negative for a dot."""
        return self.decimal_comma.count - self.decimal_dot.count
