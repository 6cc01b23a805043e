"""Text from users and files, shown exactly as typed: never as Markdown, HTML or a link.

Streamlit renders Markdown in st.markdown, captions, alerts, titles and most widget labels,
so a lead called `![x](http://host/x.png)` would load an outside image. Every piece of
user- or file-provided text goes through `md()` before it is mixed into such a string;
chart labels go through `chart_text()` (Plotly reads a few HTML tags, links among them);
links to a lead are built by `lead_link()` with its id URL-encoded (`&` and `#` included).
"""

from __future__ import annotations

import math
import re
from html import escape
from urllib.parse import quote

# CommonMark lets a backslash escape any ASCII punctuation; escaping them all also stops
# Streamlit's own syntax (`:red[...]`, `$...$` maths) from starting.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# GitHub-flavoured Markdown turns bare addresses into links *after* parsing, whatever the
# escapes: an invisible word joiner inside "://", "www." and "@" stops it.
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?<=:)(?=\\/\\/)|(?<=www)(?=\\\.)|(?<=@)", re.IGNORECASE)
LEAD_PAGE = "lead"
CHART_TEXT_PX = 12  # the smallest chart text: readable on a shared screen
# Plotly shrinks a bar's label to fit the bar (to 8 px and less): hide it instead (the
# hover still says it) when it would be smaller than CHART_TEXT_PX.
READABLE_BAR_TEXT = {"minsize": CHART_TEXT_PX, "mode": "hide"}
LEAD_PARAMETER = "lead_id"


def shown(value: object, missing: str = "—") -> str:
    """A value as text: None, NaN and empty text read as `missing`, never "nan"."""
    if value is None:
        return missing
    if isinstance(value, float) and math.isnan(value):
        return missing
    text = str(value)
    if text == "" or text in {"nan", "NaN", "<NA>", "NaT", "None"} and not isinstance(value, str):
        return missing
    return text


def md(value: object, missing: str = "—") -> str:
    """`value` escaped for inline Markdown: it reads literally, on one line."""
    text = _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", shown(value, missing)))
    return _AUTOLINKS.sub(WORD_JOINER, text)


def md_lines(lines: list[str], bullet: str = "- ") -> str:
    """A Markdown bullet list whose items are shown literally."""
    return "\n".join(f"{bullet}{md(line)}" for line in lines)


def chart_text(value: object, missing: str = "—") -> str:
    """A label for a Plotly figure: its HTML-like tags (`<a href>`, `<b>`) stay text."""
    return escape(shown(value, missing), quote=False)


def lead_link(external_id: object, who: str = "") -> str:
    """The shareable lead page link, relative to the app (keeps any base URL path).

    `who` is identity.identity_query() in local mode ("as=...&team=...&"): it goes first,
    so a column's display_text (`lead_id=(.*)$`) still ends the URL.
    """
    return f"{LEAD_PAGE}?{who}{LEAD_PARAMETER}={quote(str(external_id), safe='')}"
