"""Who may do what: roles, the people acting, and the sign-off rules.

Pure: the database layer reads the stored role and asks these functions; pages only use
them to hide controls. A refusal is a sentence for the user (AccessDenied's message).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.definitions.publishing import REQUIRED_TEAMS


class Role(StrEnum):
    viewer = "viewer"
    editor = "editor"
    approver = "approver"
    admin = "admin"


class Capability(StrEnum):
    edit_draft = "edit the draft"
    work_queue = "work the follow-up queue"
    sign_off = "sign off"
    publish = "publish"
    manage_users = "manage users"
    import_data = "import data"
    reset_data = "reset or delete data"


_EDITOR = frozenset({Capability.edit_draft, Capability.work_queue})
_APPROVER = _EDITOR | {Capability.sign_off, Capability.publish}
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.viewer: frozenset(),
    Role.editor: _EDITOR,
    Role.approver: _APPROVER,
    Role.admin: frozenset(Capability),
}
ROLE_HELP: dict[Role, str] = {
    Role.viewer: "sees every page, changes nothing",
    Role.editor: "changes the draft and works the follow-up queue",
    Role.approver: "an editor who also signs off for their own team and publishes",
    Role.admin: "everything: manages users, imports, resets and deletes data",
}


class AccessDenied(PermissionError):
    """The acting person may not do this; the message says why, as a sentence."""


@dataclass(frozen=True)
class Actor:
    """The person behind a write.

    `identity` is what makes two people different (the e-mail when signed in, the typed
    name in local mode), compared case-insensitively; `local` marks local mode, where
    anyone may act for any team (there is no sign-in to check against).
    """

    identity: str
    name: str
    team: str | None
    role: Role
    local: bool = False

    @property
    def key(self) -> str:
        return identity_key(self.identity)

    @property
    def label(self) -> str:
        team = f", {self.team}" if self.team else ""
        return f"{self.name} ({self.role.value}{team})"

    def can(self, capability: Capability) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]


def identity_key(text: str) -> str:
    """One person, however their name or e-mail is capitalised or padded."""
    return " ".join(str(text).split()).casefold()


def require(actor: Actor | None, capability: Capability) -> Actor:
    """The actor, if they may do `capability`; else AccessDenied with the reason."""
    if actor is None:
        raise AccessDenied(f"Say who you are before you {capability.value}.")
    if not actor.can(capability):
        raise AccessDenied(
            f"{actor.name} is a {actor.role.value} and may not {capability.value}; "
            "ask an admin for a role that may."
        )
    return actor


def signer_of(signoff: Mapping[str, object]) -> str:
    """The identity key of a stored sign-off (older ones carry only a name)."""
    return identity_key(str(signoff.get("identity") or signoff.get("name") or ""))


def signoff_refusal(
    actor: Actor, team: str, signoffs: Iterable[Mapping[str, object]]
) -> str | None:
    """Why `actor` may not sign off for `team` now, or None when they may."""
    if team not in REQUIRED_TEAMS:
        return f"{team!r} is not a team that signs off ({' or '.join(REQUIRED_TEAMS)})."
    if not actor.can(Capability.sign_off):
        return f"{actor.name} is a {actor.role.value}; only approvers and admins sign off."
    if not actor.local and actor.team != team:
        mine = actor.team or "no team"
        return f"{actor.name} belongs to {mine} and may sign off only for their own team."
    for signoff in signoffs:
        if signer_of(signoff) == actor.key and str(signoff.get("team")) != team:
            return (
                f"{actor.name} already signed off for {signoff.get('team')}: one person "
                "cannot give both sign-offs."
            )
    return None


def two_people_refusal(signoffs: Iterable[Mapping[str, object]]) -> str | None:
    """Why these sign-offs cannot publish: a team missing or one person for both."""
    by_team: dict[str, set[str]] = {}
    for signoff in signoffs:
        by_team.setdefault(str(signoff.get("team")), set()).add(signer_of(signoff))
    missing = [team for team in REQUIRED_TEAMS if not by_team.get(team)]
    if missing:
        return f"Needs the sign-off of someone from {' and '.join(missing)}."
    people = [by_team[team] for team in REQUIRED_TEAMS]
    if len(people[0] | people[1]) < 2:
        return "Both sign-offs come from one person: marketing and sales need two people."
    return None


@dataclass(frozen=True)
class SignInPolicy:
    """Who may sign in: anyone (as a viewer), or only listed users and e-mail domains."""

    restricted: bool = False
    domains: tuple[str, ...] = ()

    def admits(self, email: str, *, listed: bool) -> bool:
        if listed or not self.restricted:
            return True
        domain = identity_key(email).rpartition("@")[2]
        return bool(domain) and domain in {d.casefold().lstrip("@") for d in self.domains}


def normal_email(text: str) -> str:
    """A stored e-mail: trimmed and lower case; refuses text that is not an address."""
    email = identity_key(text).replace(" ", "")
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > 254:
        raise ValueError(f"{text!r} is not an e-mail address")
    return email
