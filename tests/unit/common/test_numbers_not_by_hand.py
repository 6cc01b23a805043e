"""Pages and components format counts and percentages only through domain.common.numbers.

"1328" beside "1,328" and "34%" beside "17.19%" came from hand-written format specs
(`f"{n:,}"`, `f"{share:.0%}"`, `f"{value:.2f}%"`) that each chose their own rule. This
scan reads every f-string and `format()` call in components/ and pages/ and fails on such
a spec; Plotly templates ("%{y:,}") and dates ("{at:%Y-%m-%d}") are not Python specs.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCANNED = ("components", "pages")
# (file, spec) pairs that may stay: none today. Add one only with a reason beside it.
ALLOWED: set[tuple[str, str]] = set()
PERCENT_SPEC = re.compile(r"[^%]*%")  # ".1%" or "%", not a date's "%Y-%m-%d"
FIXED_SPEC = re.compile(r".*\.\d+f")  # "{value:.1f}%" when "%" follows


def _spec(node: ast.expr | None) -> str:
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def hand_formatted(source: str) -> list[tuple[int, str]]:
    """(line, spec) of every count or percentage formatted by hand in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            parts = node.values
            for index, part in enumerate(parts):
                if not isinstance(part, ast.FormattedValue):
                    continue
                spec = _spec(part.format_spec)
                after = parts[index + 1] if index + 1 < len(parts) else None
                percent_after = _spec(after).startswith("%")
                if (
                    "," in spec
                    or PERCENT_SPEC.fullmatch(spec)
                    or (percent_after and FIXED_SPEC.fullmatch(spec))
                ):
                    found.append((part.lineno, spec + ("%" if percent_after else "")))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "format":
            spec = _spec(node.args[1]) if len(node.args) > 1 else ""
            if "," in spec or PERCENT_SPEC.fullmatch(spec):
                found.append((node.lineno, spec))
    return found


def test_the_scan_finds_counts_and_percentages_formatted_by_hand():
    source = (
        'a = f"{n:,} leads"\nb = f"{share:.0%}"\nc = f"{value:.2f}%"\nd = format(n, ",")\n'
        'ok = f"{at:%Y-%m-%d} {count(n)} %{{y:,}} {x:g} {h:.1f} h"\n'
    )
    assert [line for line, _ in hand_formatted(source)] == [1, 2, 3, 4]


def test_pages_and_components_format_numbers_through_domain_numbers():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {spec!r}"
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, spec in hand_formatted(path.read_text(encoding="utf-8"))
        if (str(path.relative_to(ROOT)), spec) not in ALLOWED
    ]
    assert found == [], "use domain.common.numbers (count, percent, ...):\n" + "\n".join(found)
