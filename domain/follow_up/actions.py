"""What a rep can do to a lead from the follow-up queue, as validated immutable values.

Each action is a frozen dataclass that refuses bad input when it is made (`ActionError`).
`fact_changes` turns a sales-fact action into the columns it writes, given what is stored
now; `sql_verdict` judges BANT answers by the definition's SQL criteria, the same way the
scoring engine does. Writing them is the repository's job (`db/follow_up/actions_repo.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

from domain.definitions.definition import BANT_FACTS, SqlCriteria

CHANNELS: tuple[str, ...] = ("call", "email", "meeting")
OUTCOMES: tuple[str, ...] = (
    "connected", "no_answer", "voicemail", "replied", "no_reply", "meeting_held", "no_show",
)  # fmt: skip
MAX_TEXT = 500
MAX_NAME = 120


class ActionError(ValueError):
    """An action was refused before anything was written; the message says why."""


@dataclass(frozen=True)
class LogTouch:
    """A sales touch: a call, an e-mail or a meeting, with its outcome."""

    channel: str
    outcome: str | None = None
    note: str | None = None
    rep: str | None = None
    touched_at: datetime | None = None  # None: now
    kind: ClassVar[str] = "touch"

    def __post_init__(self) -> None:
        channel = (_text(self.channel, "channel", MAX_NAME, required=True) or "").casefold()
        if channel not in CHANNELS:
            raise ActionError(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
        outcome = _text(self.outcome, "outcome", MAX_NAME)
        # "No answer" and "no_answer" are one outcome; conversation outcomes must match exactly.
        outcome = outcome.casefold().replace(" ", "_").replace("-", "_") if outcome else None
        _set(self, channel=channel, outcome=outcome)
        _set(self, note=_text(self.note, "note", MAX_TEXT), rep=_text(self.rep, "rep", MAX_NAME))
        if self.touched_at is not None and self.touched_at.tzinfo is None:
            raise ActionError("touched_at needs a time zone")


@dataclass(frozen=True)
class Accept:
    """The rep accepts the handed-over MQL (SAL)."""

    kind: ClassVar[str] = "accept"


@dataclass(frozen=True)
class Qualify:
    """BANT answers as the rep heard them (None: not asked yet), after a conversation."""

    budget: bool | None = None
    authority: bool | None = None
    need: bool | None = None
    timeline: bool | None = None
    conversation: bool = True  # the rep spoke with the lead
    kind: ClassVar[str] = "qualify"

    def __post_init__(self) -> None:
        if all(answer is None for answer in self.answers().values()):
            raise ActionError("record at least one BANT answer (yes or no)")

    def answers(self) -> dict[str, bool | None]:
        return {fact: getattr(self, fact) for fact in BANT_FACTS}


@dataclass(frozen=True)
class Disqualify:
    """Not a fit (student, competitor, no budget...): out of the funnel, with a reason."""

    reason: str
    kind: ClassVar[str] = "disqualify"

    def __post_init__(self) -> None:
        _set(self, reason=_text(self.reason, "reason", MAX_TEXT, required=True))


@dataclass(frozen=True)
class Recycle:
    """Not now: back to marketing's nurture, with a reason."""

    reason: str
    kind: ClassVar[str] = "recycle"

    def __post_init__(self) -> None:
        _set(self, reason=_text(self.reason, "reason", MAX_TEXT, required=True))


@dataclass(frozen=True)
class Reassign:
    """Give the lead to another owner."""

    owner: str
    kind: ClassVar[str] = "reassign"

    def __post_init__(self) -> None:
        _set(self, owner=_text(self.owner, "owner", MAX_NAME, required=True))


Action = LogTouch | Accept | Qualify | Disqualify | Recycle | Reassign
FACT_ACTIONS: tuple[type, ...] = (Accept, Qualify, Disqualify, Recycle)
ACTION_LABELS: dict[str, str] = {
    "touch": "Log a touch",
    "accept": "Accept (SAL)",
    "qualify": "Qualify (BANT)",
    "disqualify": "Disqualify",
    "recycle": "Recycle to nurture",
    "reassign": "Reassign",
}


@dataclass(frozen=True)
class SqlVerdict:
    """Whether answers meet the SQL criteria, and if not, every reason why."""

    met: bool
    yes: int
    reasons: tuple[str, ...]

    def summary(self, criteria: SqlCriteria) -> str:
        counted = f"{self.yes} of 4 BANT answers are yes (the definition needs {criteria.min_bant})"
        if self.met:
            return f"Meets the SQL criteria: {counted}."
        return "Not an SQL yet: " + "; ".join(self.reasons) + "."


def sql_verdict(
    answers: Mapping[str, bool | None], criteria: SqlCriteria, conversation: bool
) -> SqlVerdict:
    """Judge BANT answers as `domain.engine.stages.sql_times` does for the whole funnel."""
    yes = sum(1 for fact in BANT_FACTS if answers.get(fact) is True)
    reasons = []
    if yes < criteria.min_bant:
        reasons.append(f"{yes} of 4 BANT answers are yes, the definition needs {criteria.min_bant}")
    missing = [fact for fact in criteria.mandatory if answers.get(fact) is not True]
    if missing:
        reasons.append(f"{' and '.join(missing)} must be yes")
    if criteria.require_conversation and not conversation:
        reasons.append("the definition needs a real conversation (a connected call or a meeting)")
    return SqlVerdict(met=not reasons, yes=yes, reasons=tuple(reasons))


def fact_changes(action: Action, current: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The sales-fact columns `action` writes, given the stored ones (only real changes).

    `current` maps fact columns to stored values (missing or None: not recorded). Dates
    already recorded are kept: accepting twice keeps the first acceptance.
    """
    wanted: dict[str, Any]
    if isinstance(action, Accept):
        wanted = {"accepted_at": _first(current, "accepted_at", now)}
    elif isinstance(action, Qualify):
        wanted = {**action.answers(), "bant_at": now}
        # Qualifying implies the rep accepted the lead (and, if they say so, talked to it).
        wanted["accepted_at"] = _first(current, "accepted_at", now)
        if action.conversation:
            wanted["conversation_at"] = _first(current, "conversation_at", now)
    elif isinstance(action, Disqualify):
        wanted = {"disqualified_at": now, "reason": action.reason}
    elif isinstance(action, Recycle):
        wanted = {"recycled_at": now, "reason": action.reason}
    else:
        raise ActionError(f"{action.kind} does not change sales facts")
    return {column: value for column, value in wanted.items() if current.get(column) != value}


def _first(current: Mapping[str, Any], column: str, now: datetime) -> Any:
    value = current.get(column)
    return now if value is None else value


def _text(value: object, name: str, limit: int, *, required: bool = False) -> str | None:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ActionError(f"{name} is required")
    if len(text) > limit:
        raise ActionError(f"{name} is longer than {limit} characters")
    return text or None


def _set(instance: object, **values: object) -> None:
    # Frozen dataclasses normalise their own fields once, in __post_init__.
    known = {f.name for f in fields(instance)}  # type: ignore[arg-type]
    for name, value in values.items():
        assert name in known, name
        object.__setattr__(instance, name, value)
