"""Two (or more) people pressing Publish on one signed draft at once, many rounds.

Prints, per database, how many rounds published the draft more than once and how many
presses failed with an error instead of a sentence. Last line: key=value figures.

    python bench/publish_race.py --rounds 200 --pressers 2 [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import repository as repo  # noqa: E402
from db.engine import get_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from domain.definitions.defaults import default_definition  # noqa: E402


def race(engine, rounds: int, pressers: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(rounds that published more than once, presses that raised an unexpected error)."""
    doubled = errors = 0
    for number in range(rounds):
        draft = repo.get_draft(engine)
        wanted = default_definition().replace(mql_threshold=10 + number % 80, sla_hours=number + 1)
        revision = repo.save_draft(
            engine, definition=wanted, expected_revision=draft.revision if draft else None,
            author="bench",
        )  # fmt: skip
        before = len(repo.list_versions(engine))
        barrier = threading.Barrier(pressers)
        failures: list[BaseException] = []
        threads = [
            threading.Thread(target=_press, args=(engine, barrier, failures, i, revision, wanted))
            for i in range(pressers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        doubled += len(repo.list_versions(engine)) - before > 1
        errors += len(failures)
    return doubled, errors


def _press(engine, barrier, failures, i, revision, definition) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        repo.publish(
            engine, definition=definition, author=f"p{i}", note="n", expected_revision=revision
        )
    except repo.AlreadyPublishedError:
        pass  # the sentence a second publisher gets
    except Exception as exc:  # noqa: BLE001 - counted, that is the point
        failures.append(exc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--pressers", type=int, default=2)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite = get_engine(f"sqlite:///{Path(folder) / 'race.db'}")
        upgrade(sqlite)
        figures["sqlite"] = race(sqlite, args.rounds, args.pressers)
    name = f"baton_race_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = args.pg.rsplit("/", 1)[0] + f"/{name}"
        pg = get_engine(url)
        upgrade(pg)
        figures["postgresql"] = race(pg, args.rounds, args.pressers)
        pg.dispose()
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
        print(f"postgresql skipped: {exc}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    for database, (doubled, errors) in figures.items():
        print(f"{database}: {doubled} of {args.rounds} rounds published twice, {errors} errors")
    print(
        " ".join(f"{db}_doubled={d} {db}_errors={e}" for db, (d, e) in figures.items())
        + f" rounds={args.rounds} pressers={args.pressers}"
    )


if __name__ == "__main__":
    main()
