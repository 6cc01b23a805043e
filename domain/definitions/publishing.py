"""When a draft may be published: a note, and the sign-off of both teams.

A sign-off is a mapping with `name`, `team` and `at` (as the repository stores it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

REQUIRED_TEAMS: tuple[str, ...] = ("marketing", "sales")


def signed_teams(signoffs: Iterable[Mapping[str, object]]) -> set[str]:
    return {str(s.get("team", "")).casefold() for s in signoffs}


def missing_teams(signoffs: Iterable[Mapping[str, object]]) -> list[str]:
    """The required teams nobody has signed for yet, in REQUIRED_TEAMS order."""
    signed = signed_teams(signoffs)
    return [team for team in REQUIRED_TEAMS if team not in signed]


def publish_blockers(
    *,
    author: str | None,
    note: str,
    signoffs: Iterable[Mapping[str, object]],
    same_as_published: bool = False,
) -> list[str]:
    """Why the draft cannot be published now; an empty list means it can."""
    blockers = []
    if not author:
        blockers.append("Say who you are (name and team in the sidebar) to publish.")
    if not note.strip():
        blockers.append("Write a note: what changed and why both teams agreed.")
    missing = missing_teams(list(signoffs))
    if missing:
        blockers.append(
            f"Needs the sign-off of someone from {' and '.join(missing)} "
            "(one person from marketing and one from sales)."
        )
    if same_as_published:
        blockers.append("The draft is the same as the published definition: nothing to publish.")
    return blockers


def signoff_summary(signoffs: Iterable[Mapping[str, object]]) -> str:
    """ "Maria (marketing), Sam (sales)" or "—"."""
    names = [f"{s.get('name', '?')} ({s.get('team', '?')})" for s in signoffs]
    return ", ".join(names) if names else "—"
