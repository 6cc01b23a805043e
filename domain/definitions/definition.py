"""The shared MQL/SQL definition: an immutable, validated, JSON-serialisable value.

Marketing and sales agree on exactly this object; every page, the CLI and the
scoring engine read it and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

BANT_FACTS: tuple[str, ...] = ("budget", "authority", "need", "timeline")
CONTENT_STAGES: tuple[str, ...] = ("awareness", "consideration", "decision")

CATEGORICAL_OPERATORS = ("equals", "in", "not_in")
# Ranges: on numbers, and on dates given as ISO texts ("2024-01-01").
NUMERIC_OPERATORS = ("between", ">=", "<=", "<")
TEXT_OPERATORS = ("contains", "endswith")
OPERATORS: tuple[str, ...] = CATEGORICAL_OPERATORS + NUMERIC_OPERATORS + TEXT_OPERATORS

Operator = Literal["equals", "in", "not_in", "between", ">=", "<=", "<", "contains", "endswith"]
Scalar = str | int | float | bool

# Size limits, the same on SQLite and PostgreSQL (which refuses NUL characters in text).
MAX_NAME = 200  # rule ids, attributes, activity types, labels, text values
MAX_NOTE = 2_000  # an agreed stage note
MAX_RULES = 200  # fit rules, and engagement rules, per definition
MAX_VALUES = 500  # values of one `in` / `not_in` rule
MAX_HAND_RAISERS = 50


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("must not contain a NUL character")
    return text


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(_no_nul)]
Label = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(_no_nul)]
Note = Annotated[str, Field(max_length=MAX_NOTE), AfterValidator(_no_nul)]


class DefinitionError(ValueError):
    """A definition was refused; `problems` maps a field path to the reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems.items()))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class FitRule(_Frozen):
    """Points for a fact about the lead (firmographics, title, email domain...)."""

    id: Name
    attribute: Name
    operator: Operator
    value: Scalar | Annotated[tuple[Scalar, ...], Field(max_length=MAX_VALUES)]
    points: float
    label: Label = ""

    @field_validator("value")
    @classmethod
    def _value_fits_operator(cls, value: Any, info: ValidationInfo) -> Any:
        op = info.data.get("operator")
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str):
                _no_nul(text)
                if len(text) > MAX_NAME:
                    raise ValueError(f"a value is longer than {MAX_NAME} characters")
        if op in ("in", "not_in"):
            if not isinstance(value, tuple) or not value:
                raise ValueError(f"operator '{op}' needs a non-empty list of values")
        elif op == "between":
            if not isinstance(value, tuple) or len(value) != 2 or not _ordered(*value):
                raise ValueError(
                    "operator 'between' needs two numbers (or two dates) [low, high], low <= high"
                )
        elif op in (">=", "<=", "<"):
            if not _is_number(value) and not is_iso_date(value):
                raise ValueError(f"operator '{op}' needs a number or a date (2024-01-31)")
        elif op in TEXT_OPERATORS or op == "equals":
            if isinstance(value, tuple):
                raise ValueError(f"operator '{op}' needs a single value")
            if op in TEXT_OPERATORS and not str(value):
                raise ValueError(f"operator '{op}' needs a non-empty text")
        return value

    def describe(self) -> str:
        if self.label:
            return self.label
        value = self.value
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        return f"{self.attribute} {self.operator.replace('_', ' ')} {shown}"


class EngagementRule(_Frozen):
    """Points for an activity type: per occurrence (decayed, capped), or once a count is
    reached (`min_count`: "at least 3 pricing page views in the last 30 days").

    Negative points for unsubscribes etc.
    """

    id: Name
    activity_type: Name
    points: float
    # Limits the rule's total contribution (in absolute value), so repeating one cheap
    # action cannot make an MQL by itself.
    cap: Annotated[float, Field(ge=0)] | None = None
    # Only activities of the last N days count.
    window_days: Annotated[int, Field(gt=0)] | None = None
    # Restrict to content of one buying stage (awareness / consideration / decision).
    content_stage: Literal["awareness", "consideration", "decision"] | None = None
    label: Label = ""
    # A count rule: `points` once, when the lead has at least this many such activities
    # (within the window). Counts do not decay, and the points are the cap already.
    min_count: Annotated[int, Field(ge=1, le=1_000_000)] | None = None

    @model_validator(mode="after")
    def _count_rule_has_no_cap(self) -> EngagementRule:
        if self.min_count is not None and self.cap is not None:
            raise ValueError(
                "a rule with an 'at least' count gives its points once, so it takes no cap: "
                "leave the cap empty"
            )
        return self

    @model_serializer(mode="wrap")
    def _without_unset_count(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Rules without a count serialise exactly as before count rules existed, so stored
        # and exported definitions (and their fingerprints) do not change.
        data: dict[str, Any] = handler(self)
        if self.min_count is None:
            data.pop("min_count", None)
        return data

    @property
    def is_count(self) -> bool:
        """Points once at `min_count` occurrences, rather than per occurrence."""
        return self.min_count is not None

    def describe(self) -> str:
        if self.label:
            return self.label
        stage = f" ({self.content_stage})" if self.content_stage else ""
        if self.min_count is None:
            return f"{self.activity_type}{stage}"
        window = f" in the last {self.window_days} days" if self.window_days else ""
        return f"{counted(self.activity_type, self.min_count)}{stage}{window}"


def counted(activity_type: str, times: int) -> str:
    """ "at least 3 pricing page views", "at least 1 demo request", "webinar attended at
    least twice": activity types are nouns ("page_view") or past participles."""
    words = activity_type.replace("_", " ").strip()
    if words.endswith("ed"):
        often = {1: "once", 2: "twice"}.get(times, f"{times:,} times")
        return f"{words} at least {often}"
    if times == 1:
        return f"at least 1 {words}"
    plural = "es" if words.endswith(("s", "x", "ch", "sh")) else "s"
    return f"at least {times:,} {words}{plural}"


class SqlCriteria(_Frozen):
    """When a rep's qualified lead counts as sales-qualified (BANT)."""

    require_conversation: bool = True
    min_bant: Annotated[int, Field(ge=0, le=4)] = 3
    mandatory: tuple[Literal["budget", "authority", "need", "timeline"], ...] = ()

    @model_validator(mode="after")
    def _mandatory_fits_min(self) -> SqlCriteria:
        if len(set(self.mandatory)) != len(self.mandatory):
            raise ValueError("mandatory BANT facts are listed twice")
        return self


class Definition(_Frozen):
    """Everything the two teams agree on. Immutable: edits return a new value."""

    fit_rules: Annotated[tuple[FitRule, ...], Field(max_length=MAX_RULES)] = ()
    engagement_rules: Annotated[tuple[EngagementRule, ...], Field(max_length=MAX_RULES)] = ()
    decay_half_life_days: Annotated[float, Field(gt=0)] | None = None
    mql_threshold: float = 60.0
    hand_raisers: Annotated[tuple[Name, ...], Field(max_length=MAX_HAND_RAISERS)] = (
        "contact_form",
        "demo_request",
    )
    sql_criteria: SqlCriteria = SqlCriteria()
    sla_hours: Annotated[float, Field(gt=0)] = 24.0
    # What each stage means in this company, in the words both teams agreed on.
    stage_notes: dict[Literal["Lead", "MQL", "SAL", "SQL"], Note] = {}

    @model_validator(mode="after")
    def _rule_ids_unique(self) -> Definition:
        ids = [r.id for r in self.fit_rules] + [r.id for r in self.engagement_rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule ids must be unique, repeated: {', '.join(duplicates)}")
        return self

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def fingerprint(self) -> str:
        """A short stable hash: the cache key of everything computed from this definition."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def replace(self, **changes: Any) -> Definition:
        """A new, validated definition with some fields changed."""
        return parse_definition({**self.model_dump(mode="json"), **_jsonable(changes)})


def parse_definition(data: dict[str, Any] | str | bytes) -> Definition:
    """Validate raw data (a dict or JSON text) into a Definition, or raise DefinitionError."""
    try:
        if isinstance(data, str | bytes):
            return Definition.model_validate_json(data)
        return Definition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_problems(exc)) from None


def _problems(exc: ValidationError) -> dict[str, str]:
    problems: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"] if not _is_union_branch(part)]
        field = ".".join(loc) or "definition"
        message = error["msg"].removeprefix("Value error, ")
        problems.setdefault(field, message)
    return problems


def _is_union_branch(part: object) -> bool:
    # pydantic reports which union member failed ("float", "function-after[...]"); users
    # care about the field, not the branch.
    text = str(part)
    return text in ("str", "int", "float", "bool", "tuple[...]", "constrained-float") or (
        "[" in text and not text.isdigit()
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_iso_date(value: object) -> bool:
    """An ISO 8601 date (or date and time) text, as range rules on dates hold them."""
    if not isinstance(value, str) or len(value) < 10 or not value[:4].isdigit():
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _ordered(low: object, high: object) -> bool:
    if _is_number(low) and _is_number(high):
        return float(low) <= float(high)  # type: ignore[arg-type]
    if is_iso_date(low) and is_iso_date(high):
        return _instant(str(low)) <= _instant(str(high))
    return False


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.model_dump(mode="json")
        if isinstance(value, BaseModel)
        else [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
        if isinstance(value, list | tuple)
        else value
        for key, value in changes.items()
    }
