"""Putting the demo data into the database, and the first-run seeding of the app."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from db import repository as repo
from db.migrate import upgrade
from domain.definitions.defaults import default_definition

DEMO_LEADS = 10_000
DEMO_SEED = 7


def seed_demo(
    engine: Engine,
    *,
    n_leads: int = DEMO_LEADS,
    seed: int = DEMO_SEED,
    reset: bool = False,
    as_of: datetime | None = None,
) -> dict[str, int]:
    """Write a generated demo data set; `reset` deletes all lead data first.

    The demo ends at `as_of` (default: the start of today, UTC) so that it looks current.
    Returns the rows written per table.
    """
    if reset:
        repo.delete_all_data(engine, actor="seed")
    # Imported here: every start checks for an empty database, few generate the demo.
    from data.demo import generate

    moment = as_of or pd.Timestamp.now(tz="UTC").normalize().to_pydatetime()
    demo = generate(n_leads, seed=seed, as_of=moment)
    written = {
        "leads": repo.insert_leads(engine, demo.leads),
        "activities": repo.insert_activities(engine, demo.activities),
        "touches": repo.insert_touches(engine, demo.touches),
        "sales_facts": repo.upsert_sales_facts(engine, demo.sales_facts),
    }
    ensure_published(engine)
    return written


def ensure_published(engine: Engine) -> None:
    """A fresh installation starts from the default definition, published as version 1."""
    if repo.get_published(engine) is None:
        repo.publish(
            engine,
            definition=default_definition(),
            author="Baton",
            note="Default definition shipped with Baton",
            signoffs=(),
        )


def ensure_usable(engine: Engine) -> None:
    """Migrate and publish the default definition: every command works on a new database
    (an import, then `funnel`, `score`, `suggest`), with or without demo data."""
    upgrade(engine)
    ensure_published(engine)


def ensure_seeded(engine: Engine, *, n_leads: int = DEMO_LEADS) -> bool:
    """Migrate, publish the default definition, and on a new database seed the demo data;
    True if it seeded.

    Only a database that never held leads is new: after a team deleted the demo data, or
    imported its own, a restart must not bring the demo back. (The default definition is
    no sign of use: the command line publishes it on any new database.)
    """
    ensure_usable(engine)
    if repo.count_rows(engine).get("lead", 0) > 0 or repo.ever_held_data(engine):
        return False
    seed_demo(engine, n_leads=n_leads)
    return True
