"""Shared definitions: immutable published versions, and one draft edited optimistically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.convert import aware_utc, naive_utc, utc_column
from db.meta_repo import log_audit
from db.models import DefinitionDraft, DefinitionVersion, table_of, utcnow
from domain.admin.access import identity_key, signer_of
from domain.definitions.definition import Definition, parse_definition

_version = table_of(DefinitionVersion)
_draft = table_of(DefinitionDraft)
_DRAFT_ID = 1
_PUBLISH_ATTEMPTS = 3


class VersionNotFoundError(LookupError):
    """No published definition has that version number."""


@dataclass(frozen=True)
class DraftState:
    """The shared draft as last saved; `revision` is what the next save must expect."""

    definition: Definition
    revision: int
    updated_by: str
    updated_at: datetime
    signoffs: tuple[dict[str, str], ...]


class AlreadyPublishedError(RuntimeError):
    """Someone else published this draft first."""

    def __init__(self, version: int, author: str) -> None:
        self.version = version
        self.author = author
        super().__init__(f"already published as v{version} by {author}")


class StaleDraftError(RuntimeError):
    """Someone saved the draft since you loaded it; `current` is what is stored now."""

    def __init__(self, current: DraftState | None, expected_revision: int | None) -> None:
        self.current = current
        self.expected_revision = expected_revision
        stored = "no draft" if current is None else f"revision {current.revision}"
        by = "" if current is None else f" by {current.updated_by}"
        super().__init__(
            f"the draft changed since revision {expected_revision}: {stored} is stored{by}"
        )


def publish(
    engine: Engine,
    *,
    definition: Definition,
    author: str,
    note: str = "",
    signoffs: Iterable[Mapping[str, Any]] = (),
    expected_revision: int | None = None,
) -> int:
    """Store `definition` as the next immutable version and audit it; returns its number.

    With `expected_revision` this is one compare-and-publish of the signed draft: it
    publishes only if the draft is still at that revision, and moves the draft on, so a
    second person pressing Publish gets AlreadyPublishedError ("already published as v7
    by Maria") or StaleDraftError (the draft changed), never a second identical version.
    """
    clean = [_signoff(s) for s in signoffs]
    for attempt in range(_PUBLISH_ATTEMPTS):
        try:
            with engine.begin() as connection:
                _lock_draft(connection, definition, expected_revision)
                return _insert_version(connection, definition, author, note, clean)
        except IntegrityError:
            # Only without a draft row to serialise on can two publishers pick one number.
            if attempt == _PUBLISH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _lock_draft(
    connection: Connection, definition: Definition, expected_revision: int | None
) -> None:
    """Take the draft row's write lock first, so publishes run one after the other."""
    statement = update(_draft).where(_draft.c.id == _DRAFT_ID)
    if expected_revision is None:
        connection.execute(statement.values(revision=_draft.c.revision))
        return
    claimed = connection.execute(
        statement.where(_draft.c.revision == expected_revision).values(
            revision=_draft.c.revision + 1
        )
    )
    if claimed.rowcount == 1:
        return
    done = _latest_if_same(connection, definition)
    if done is not None:
        raise AlreadyPublishedError(*done)
    raise StaleDraftError(_read_draft(connection), expected_revision)


def published_as(engine: Engine, definition: Definition) -> tuple[int, str] | None:
    """(version, author) when the latest published version is `definition`, else None."""
    with engine.connect() as connection:
        return _latest_if_same(connection, definition)


def _latest_if_same(connection: Connection, definition: Definition) -> tuple[int, str] | None:
    latest = connection.execute(
        select(_version.c.version, _version.c.author, _version.c.definition_json)
        .order_by(_version.c.version.desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    if parse_definition(latest.definition_json).fingerprint() != definition.fingerprint():
        return None
    return int(latest.version), str(latest.author)


def _insert_version(
    connection: Connection,
    definition: Definition,
    author: str,
    note: str,
    signoffs: list[dict[str, str]],
) -> int:
    latest = connection.scalar(select(func.coalesce(func.max(_version.c.version), 0)))
    number = int(latest or 0) + 1
    connection.execute(
        insert(_version).values(
            version=number,
            definition_json=definition.to_json(),
            author=author,
            note=note,
            signoffs=signoffs,
            published_at=utcnow(),
        )
    )
    payload = {"fingerprint": definition.fingerprint(), "note": note, "signoffs": signoffs}
    log_audit(
        connection,
        actor=author,
        action="publish",
        entity="definition",
        entity_id=number,
        payload=payload,
    )
    return number


def get_published(engine: Engine) -> tuple[int, Definition] | None:
    """The latest published (version, definition), or None before the first publish."""
    statement = (
        select(_version.c.version, _version.c.definition_json)
        .order_by(_version.c.version.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    return None if row is None else (int(row.version), parse_definition(row.definition_json))


def get_version(engine: Engine, version: int) -> Definition:
    statement = select(_version.c.definition_json).where(_version.c.version == int(version))
    with engine.connect() as connection:
        text = connection.scalar(statement)
    if text is None:
        raise VersionNotFoundError(f"no published definition version {version}")
    return parse_definition(text)


def list_versions(engine: Engine) -> pd.DataFrame:
    """Every published version, newest first, with each definition's fingerprint."""
    v = _version.c
    statement = select(
        v.version, v.published_at, v.author, v.note, v.signoffs, v.definition_json
    ).order_by(v.version.desc())
    with engine.connect() as connection:
        frame = pd.read_sql(statement, connection)
    frame["published_at"] = utc_column(frame["published_at"])
    frame["version"] = frame["version"].astype("int64")
    frame["fingerprint"] = [parse_definition(t).fingerprint() for t in frame["definition_json"]]
    return frame.drop(columns=["definition_json"])


def get_draft(engine: Engine) -> DraftState | None:
    with engine.connect() as connection:
        return _read_draft(connection)


def save_draft(
    engine: Engine, *, definition: Definition, expected_revision: int | None, author: str
) -> int:
    """Save the shared draft; returns its new revision.

    `expected_revision` is the revision the author loaded; if the stored one differs,
    StaleDraftError (carrying the stored draft) is raised and nothing is written. None
    creates the draft or overwrites whatever is stored. Sign-offs are cleared when the
    definition itself changes: people signed the previous one.
    """
    text = definition.to_json()

    def change(current: DraftState) -> dict[str, Any]:
        same = current.definition.to_json() == text
        return {"definition_json": text, "signoffs": list(current.signoffs) if same else []}

    with engine.begin() as connection:
        return _write_draft(connection, expected_revision, author, change, create_json=text)


class SignOffRefused(PermissionError):
    """The sign-off breaks a rule (e.g. one person for both teams); the message says which."""


def sign_draft(
    engine: Engine,
    *,
    name: str,
    team: str,
    expected_revision: int,
    identity: str | None = None,
) -> int:
    """Record `name` (of `team`) agreeing to the draft at `expected_revision`.

    Bumps the revision, so a concurrent edit or sign-off cannot be lost; signing again
    replaces that person's earlier sign-off. `identity` (the e-mail when signed in; the
    name otherwise) says who is one person, case-insensitively: someone who signed for
    the other team is refused (SignOffRefused), checked inside the write's transaction.
    Raises StaleDraftError like save_draft.
    """
    who = identity or name
    signoff = {**_signoff({"name": name, "team": team, "at": utcnow()}), "identity": who}

    def change(current: DraftState) -> dict[str, Any]:
        mine = [s for s in current.signoffs if signer_of(s) == identity_key(who)]
        for earlier in mine:
            if earlier.get("team") != team:
                raise SignOffRefused(
                    f"{name} already signed off for {earlier.get('team')}: one person "
                    "cannot give both sign-offs."
                )
        others = [s for s in current.signoffs if signer_of(s) != identity_key(who)]
        return {"signoffs": [*others, signoff]}

    with engine.begin() as connection:
        return _write_draft(connection, expected_revision, name, change, create_json=None)


def _write_draft(
    connection: Connection,
    expected_revision: int | None,
    author: str,
    change: Callable[[DraftState], dict[str, Any]],
    *,
    create_json: str | None,
) -> int:
    current = _read_draft(connection)
    if expected_revision is not None and (current is None or current.revision != expected_revision):
        raise StaleDraftError(current, expected_revision)
    stamp = {"updated_by": author, "updated_at": utcnow()}
    if current is None:
        if create_json is None:
            raise StaleDraftError(None, expected_revision)
        try:
            connection.execute(
                insert(_draft).values(
                    id=_DRAFT_ID, definition_json=create_json, revision=1, signoffs=[], **stamp
                )
            )
        except IntegrityError:
            raise StaleDraftError(_read_draft(connection), expected_revision) from None
        return 1
    # The revision guard makes the write atomic even if another save slipped in between.
    result = connection.execute(
        update(_draft)
        .where(_draft.c.id == _DRAFT_ID, _draft.c.revision == current.revision)
        .values(revision=current.revision + 1, **stamp, **change(current))
    )
    if result.rowcount != 1:
        raise StaleDraftError(_read_draft(connection), expected_revision)
    return current.revision + 1


def _read_draft(connection: Connection) -> DraftState | None:
    row = connection.execute(select(_draft).where(_draft.c.id == _DRAFT_ID)).first()
    if row is None:
        return None
    return DraftState(
        definition=parse_definition(row.definition_json),
        revision=int(row.revision),
        updated_by=row.updated_by,
        updated_at=aware_utc(row.updated_at),
        signoffs=tuple(row.signoffs or ()),
    )


def _signoff(raw: Mapping[str, Any]) -> dict[str, str]:
    """A sign-off as stored: name, team and an ISO UTC `at` (now if missing)."""
    at = raw.get("at") or utcnow()
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    stamp = aware_utc(naive_utc(at)).isoformat()
    stored = {"name": str(raw["name"]), "team": str(raw["team"]), "at": stamp}
    if raw.get("identity"):
        stored["identity"] = str(raw["identity"])
    return stored
