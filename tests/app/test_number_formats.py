"""Counts and percentages read the same way on every page (domain.common.numbers): no "1328"
beside "1,328", no "34%" beside "17.19%". Checked on the demo data, over every text, tile,
chart label and table format a page shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.analytics_helpers import FUNNEL_PAGE, open_page
from tests.app.seeded_db import seeded_copy

PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)%")
# A bare 4+ digit number, not part of a date, time, decimal or already separated number.
BARE_COUNT = re.compile(r"(?<![\d,.:/\-v])\d{4,}(?![\d,.:/\-])")
DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\b(?:19|20)\d{2}\b")


@pytest.fixture
def demo(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "numbers.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _chart_texts(spec: dict[str, object]) -> Iterator[str]:
    for trace in spec.get("data", []):  # type: ignore[union-attr]
        for field in ("text", "texttemplate"):
            value = trace.get(field)
            values = value if isinstance(value, list) else [value]
            for item in values:
                for cell in item if isinstance(item, list) else [item]:
                    if isinstance(cell, str):
                        yield cell
    for note in spec.get("layout", {}).get("annotations", []):  # type: ignore[union-attr]
        yield str(note.get("text", ""))


def _shown_texts(at: AppTest) -> list[str]:
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "success")
             for e in getattr(at, kind)]  # fmt: skip
    for metric in at.metric:
        texts += [metric.value, metric.proto.delta]
    for chart in at.get("plotly_chart"):
        texts += list(_chart_texts(json.loads(chart.proto.spec)))
    return [str(t) for t in texts if t]


def _percent_formats(at: AppTest) -> list[str]:
    """Every number format of every table column, as the browser will read it."""
    formats = []
    for frame in at.dataframe:
        for column in json.loads(frame.proto.columns or "{}").values():
            config = column.get("type_config", {})
            if config.get("format") == "percent" and config.get("step") != 0.001:
                formats.append(f"percent with step {config.get('step')}")
            elif "%%" in str(config.get("format", "")):
                formats.append(str(config["format"]))
    return formats


@pytest.mark.parametrize(
    "page",
    [
        None,
        FUNNEL_PAGE,
        "pages/follow_up.py",
        "pages/conversion.py",
        "pages/calibration.py",
        "pages/definitions.py",
    ],
)
def test_every_count_is_separated_and_every_percentage_has_one_decimal(
    demo: str, page: str | None
) -> None:
    at = AppTest.from_file(Path(__file__).resolve().parents[2] / "app.py", default_timeout=60)
    at = at.run() if page is None else open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    texts = _shown_texts(at)
    assert any("," in t for t in texts), "the demo data should show a count of thousands"
    bare = [t for t in texts if BARE_COUNT.search(DATE_OR_TIME.sub("", t))]
    assert not bare, bare
    precisions = {
        len(m.split(".")[1]) if "." in m else 0 for t in texts for m in PERCENT.findall(t)
    }
    assert precisions <= {1}, [t for t in texts if PERCENT.search(t)]
    assert set(_percent_formats(at)) <= {"%.1f%%"}
