"""Shared meeting inputs kept beside the draft: every page and participant sees them.

The sales capacity (reps x new MQLs a rep can work per week) drives the Definitions
page's workload chart and the Calibration page's threshold that fills it; kept in one
row of the `meta` table, so a change on one screen is the value on every other one.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.models import Meta, table_of

_meta = table_of(Meta)
CAPACITY_KEY = "sales_capacity"
MAX_REPS = 10_000
MAX_PER_REP = 10_000


def get_sales_capacity(engine: Engine) -> tuple[int, int] | None:
    """(reps, new MQLs per rep per week) as last saved, or None before anyone set them."""
    with engine.connect() as connection:
        text = connection.scalar(select(_meta.c.value).where(_meta.c.key == CAPACITY_KEY))
    if text is None:
        return None
    stored = json.loads(text)
    return int(stored["reps"]), int(stored["per_rep"])


def save_sales_capacity(engine: Engine, *, reps: int, per_rep: int) -> None:
    if not (0 <= reps <= MAX_REPS and 0 <= per_rep <= MAX_PER_REP):
        raise ValueError(f"capacity inputs must be between 0 and {MAX_REPS:,}")
    value = json.dumps({"reps": int(reps), "per_rep": int(per_rep)})
    with engine.begin() as connection:
        changed = connection.execute(
            update(_meta).where(_meta.c.key == CAPACITY_KEY).values(value=value)
        )
        if changed.rowcount:
            return
        try:
            with connection.begin_nested():
                connection.execute(insert(_meta).values(key=CAPACITY_KEY, value=value))
        except IntegrityError:  # someone inserted it first: theirs is overwritten
            connection.execute(update(_meta).where(_meta.c.key == CAPACITY_KEY).values(value=value))
