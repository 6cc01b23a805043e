"""User and file text is escaped for Markdown and Plotly, and lead links are URL-encoded."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import markdown_it
from hypothesis import given
from hypothesis import strategies as st

from components.common.literal import WORD_JOINER, chart_text, lead_link, md, md_lines, shown

HOSTILE = [
    "![t](http://host/x.png) [click](http://host/p)",
    "<img src=http://host/x.png onerror=alert(1)>",
    "`code` ``a`b`` *bold* _it_ ~~gone~~ # heading",
    ":red[coloured] $x^2$ | a | b |",
    "\u202etxt.exe \u05e9\u05dc\u05d5\u05dd",
    "line one\n\n# line two",
    "&amp; &lt;b&gt;",
]


def _rendered_text(markdown: str) -> str:
    """What a CommonMark renderer shows: the text of the inline tokens, tags dropped."""
    tokens = markdown_it.MarkdownIt("commonmark").parseInline(markdown)
    children = tokens[0].children or []
    assert all(t.type in {"text", "softbreak"} for t in children), [t.type for t in children]
    return "".join(t.content for t in children)


def _visible(rendered: str) -> str:
    return rendered.replace(WORD_JOINER, "")


def test_escaped_hostile_text_renders_as_itself_without_links_images_or_html():
    for text in HOSTILE:
        assert _visible(_rendered_text(md(text))) == re.sub(r"\n+", " ", text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=200))
def test_any_text_renders_as_itself(text):
    # CommonMark drops a paragraph's leading and trailing spaces, and nothing else.
    expected = shown(text).strip(" \t")
    assert _visible(_rendered_text(md(text))).strip(" \t") == expected


def test_bare_addresses_cannot_become_links():
    # GitHub-flavoured Markdown links these after parsing, escaped or not.
    rendered = _rendered_text(md("http://a.example https://b.example www.c.example d@e.example"))
    assert not re.search(r"https?://|www\.|@[\w-]", rendered, re.IGNORECASE)
    assert _visible(rendered) == "http://a.example https://b.example www.c.example d@e.example"


def test_missing_values_read_as_a_dash_never_nan():
    assert md(math.nan) == "—"
    assert md(None, "nobody") == "nobody"
    assert shown(float("nan")) == "—"
    assert shown("nan") == "nan"  # a real name is kept


def test_bullet_lists_escape_each_item():
    assert md_lines(["a *b*", "[x](y)"]) == "- a \\*b\\*\n- \\[x\\]\\(y\\)"


def test_chart_labels_keep_tags_as_text():
    assert chart_text('<a href="http://host">x</a>') == '&lt;a href="http://host"&gt;x&lt;/a&gt;'


def test_lead_links_encode_ampersand_hash_and_backtick():
    for external_id in ["a&lead_id=b", "x#frag", "`tick`", "sp ace+plus", "ü/ß?"]:
        link = lead_link(external_id)
        parts = urlsplit(link)
        assert parts.path == "lead" and parts.fragment == ""
        assert parse_qs(parts.query) == {"lead_id": [external_id]}
