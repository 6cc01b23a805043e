"""The definition in plain language: what Lead, MQL, SAL and SQL mean in this company.

Generated from the rules themselves, so the sentences both teams read in the meeting can
never drift from the numbers the engine uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.definitions.definition import BANT_FACTS, Definition

DESCRIBED_STAGES: tuple[str, ...] = ("Lead", "MQL", "SAL", "SQL")

# How a hand-raiser activity reads after "when it ...".
HAND_RAISER_PHRASES: dict[str, str] = {
    "contact_form": "submits a contact form",
    "demo_request": "requests a demo",
    "pricing_page_view": "views the pricing page",
    "webinar_attended": "attends a webinar",
    "webinar_registered": "registers for a webinar",
    "content_download": "downloads content",
    "email_click": "clicks an e-mail",
    "cta_click": "clicks a call to action",
}
_NUMBER_WORDS = ("no", "one", "two", "three", "four")


def join_words(items: Sequence[str], conjunction: str = "or") -> str:
    """ "a", "a or b", "a, b or c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def number(value: float) -> str:
    """A number as people write it: 60, 12.5, 1,000."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def duration(hours: float) -> str:
    """24 h -> "24 hours", 48 h -> "2 days", 1 h -> "1 hour"."""
    if hours >= 48 and float(hours / 24).is_integer():
        return f"{number(hours / 24)} days"
    return f"{number(hours)} hour{'' if hours == 1 else 's'}"


def hand_raiser_phrase(activity_type: str) -> str:
    known = HAND_RAISER_PHRASES.get(activity_type)
    return known or f"does a {activity_type.replace('_', ' ')}"


def lead_sentence(definition: Definition) -> str:
    del definition  # the same in every definition today; kept for a uniform signature
    return (
        "A contact becomes a Lead at its first engagement: any tracked activity (an e-mail "
        "opened, a page viewed...) or a touch from sales."
    )


def mql_sentence(definition: Definition) -> str:
    """ "A lead becomes an MQL when its score reaches 60, or when it requests a demo."."""
    score = f"when its score reaches {number(definition.mql_threshold)}"
    # Sorted so the sentence does not change when the list is merely reordered.
    actions = [hand_raiser_phrase(a) for a in sorted(set(definition.hand_raisers))]
    if not actions:
        return f"A lead becomes an MQL {score}."
    return f"A lead becomes an MQL {score}, or when it {join_words(actions)}."


def score_sentence(definition: Definition) -> str:
    """What the score is made of, in one sentence."""
    attributes = list(dict.fromkeys(r.attribute.replace("_", " ") for r in definition.fit_rules))
    fit = _count(len(definition.fit_rules), "fit rule")
    if attributes:
        fit += f" (on {join_words(attributes, 'and')})"
    engagement = _count(len(definition.engagement_rules), "engagement rule")
    half_life = definition.decay_half_life_days
    decay = (
        "engagement points never fade"
        if half_life is None
        else f"engagement points halve every {number(half_life)} days without activity"
    )
    if half_life is not None and any(r.is_count for r in definition.engagement_rules):
        decay += " (an 'at least' count rule does not fade: it counts whole activities)"
    return f"The score adds {fit} and {engagement}; {decay}."


def sal_sentence(definition: Definition) -> str:
    return (
        "An MQL becomes a SAL (sales accepted) when a rep accepts it and schedules a "
        f"qualifying call. Sales follows up every new MQL within {duration(definition.sla_hours)}."
    )


def sql_sentence(definition: Definition) -> str:
    """ "A lead becomes an SQL when a rep has spoken with it and it meets at least 3 of ..."."""
    criteria = definition.sql_criteria
    who = (
        "when a rep has spoken with it"
        if criteria.require_conversation
        else "when a rep records that it"
    )
    connector = " and it" if criteria.require_conversation else ""
    mandatory = [f for f in BANT_FACTS if f in criteria.mandatory]
    if criteria.min_bant == 0 and not mandatory:
        if criteria.require_conversation:
            return f"A lead becomes an SQL {who}; no BANT answers are required."
        return "A lead becomes an SQL as soon as a rep qualifies it; no BANT answers are required."
    facts = join_words(list(BANT_FACTS), "and")
    if criteria.min_bant >= len(BANT_FACTS):
        meets = f"meets all four BANT criteria ({facts})"
    elif criteria.min_bant == 0:
        noun = "criterion" if len(mandatory) == 1 else "criteria"
        meets = f"meets the BANT {noun} {join_words(mandatory, 'and')}"
        mandatory = []
    else:
        meets = (
            f"meets at least {_NUMBER_WORDS[criteria.min_bant]} of the four BANT criteria ({facts})"
        )
    required = f", {join_words(mandatory, 'and')} always among them" if mandatory else ""
    return f"A lead becomes an SQL {who}{connector} {meets}{required}."


def stage_sentences(definition: Definition) -> dict[str, str]:
    """Per described stage, the generated sentence."""
    return {
        "Lead": lead_sentence(definition),
        "MQL": mql_sentence(definition),
        "SAL": sal_sentence(definition),
        "SQL": sql_sentence(definition),
    }


def _count(n: int, noun: str) -> str:
    return f"{'no' if n == 0 else n} {noun}{'' if n == 1 else 's'}"
