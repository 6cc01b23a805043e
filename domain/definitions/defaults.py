"""The default shared definition and the activity vocabulary of the demo data."""

from __future__ import annotations

from domain.definitions.definition import Definition, parse_definition

# Activity types Baton knows out of the box; imports may bring any others.
ACTIVITY_TYPES: tuple[str, ...] = (
    "email_open",
    "email_click",
    "cta_click",
    "page_view",
    "pricing_page_view",
    "content_download",  # tagged awareness / consideration / decision
    "webinar_registered",
    "webinar_attended",
    "social_engagement",
    "demo_request",  # hand-raiser
    "contact_form",  # hand-raiser
    "unsubscribe",
    "email_bounce",
)

_DEFAULT = {
    "fit_rules": [
        {
            "id": "ind-core",
            "attribute": "industry",
            "operator": "in",
            "value": ["SaaS", "Fintech"],
            "points": 15,
            "label": "industry is SaaS or Fintech",
        },
        {
            "id": "ind-good",
            "attribute": "industry",
            "operator": "in",
            "value": ["Healthcare", "Manufacturing", "Logistics"],
            "points": 8,
        },
        {
            "id": "size-mid",
            "attribute": "company_size",
            "operator": "between",
            "value": [200, 4999],
            "points": 10,
            "label": "200-4,999 employees",
        },
        {
            "id": "size-ent",
            "attribute": "company_size",
            "operator": ">=",
            "value": 5000,
            "points": 15,
            "label": "5,000+ employees",
        },
        {
            "id": "country",
            "attribute": "country",
            "operator": "in",
            "value": ["US", "GB", "DE", "CA", "NL", "FR"],
            "points": 5,
        },
        {
            "id": "seniority",
            "attribute": "seniority",
            "operator": "in",
            "value": ["C-level", "VP", "Director"],
            "points": 10,
            "label": "director or above",
        },
        {
            "id": "freemail",
            "attribute": "email",
            "operator": "endswith",
            "value": "@gmail.com",
            "points": -10,
            "label": "free e-mail address",
        },
        {
            "id": "student",
            "attribute": "title",
            "operator": "contains",
            "value": "student",
            "points": -25,
        },
        {
            "id": "competitor",
            "attribute": "email",
            "operator": "endswith",
            "value": "@rivalcrm.com",
            "points": -50,
            "label": "competitor domain",
        },
    ],
    "engagement_rules": [
        {"id": "open", "activity_type": "email_open", "points": 1, "cap": 5, "window_days": 90},
        {"id": "click", "activity_type": "email_click", "points": 3, "cap": 15},
        {"id": "cta", "activity_type": "cta_click", "points": 4, "cap": 12},
        {"id": "page", "activity_type": "page_view", "points": 1, "cap": 10, "window_days": 30},
        {"id": "pricing", "activity_type": "pricing_page_view", "points": 10, "cap": 30},
        {
            "id": "dl-decision",
            "activity_type": "content_download",
            "content_stage": "decision",
            "points": 15,
            "cap": 30,
        },
        {
            "id": "dl-consideration",
            "activity_type": "content_download",
            "content_stage": "consideration",
            "points": 8,
            "cap": 24,
        },
        {
            "id": "dl-awareness",
            "activity_type": "content_download",
            "content_stage": "awareness",
            "points": 3,
            "cap": 9,
        },
        {"id": "webinar-reg", "activity_type": "webinar_registered", "points": 4, "cap": 8},
        {"id": "webinar", "activity_type": "webinar_attended", "points": 12, "cap": 24},
        {"id": "social", "activity_type": "social_engagement", "points": 2, "cap": 6},
        {"id": "unsubscribe", "activity_type": "unsubscribe", "points": -20},
        {"id": "bounce", "activity_type": "email_bounce", "points": -10, "cap": 10},
    ],
    "decay_half_life_days": 45,
    "mql_threshold": 60,
    "hand_raisers": ["demo_request", "contact_form"],
    "sql_criteria": {"require_conversation": True, "min_bant": 3, "mandatory": ["need"]},
    "sla_hours": 24,
}


def default_definition() -> Definition:
    """The definition a new installation starts from (and the demo data is tuned for)."""
    return parse_definition(_DEFAULT)
