"""`python cli.py user ...`: who may sign in, with which team and role.

Whoever can run the CLI on the server can change the database anyway, so these commands
need no sign-in; each change is audited under the operating-system account.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from cli_common import CliError, cli_actor, confirm_destructive, failures_as_messages, open_engine
from db.admin import users_repo
from domain.admin.access import ROLE_HELP, Role, SignInPolicy

user_app = typer.Typer(help="Manage who may sign in, their team and role.")


class Team(StrEnum):
    marketing = "marketing"
    sales = "sales"


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The e-mail the identity provider reports.")],
    role: Annotated[Role, typer.Option(help="; ".join(f"{r}: {h}" for r, h in ROLE_HELP.items()))],
    team: Annotated[Team | None, typer.Option(help="Their team (approvers sign for it).")] = None,
    name: Annotated[str | None, typer.Option(help="A display name.")] = None,
) -> None:
    """Add a person, or change the role and team of one already listed."""
    with failures_as_messages():
        if role is Role.approver and team is None:
            raise CliError("an approver signs off for a team: add --team marketing|sales")
        stored = users_repo.set_user(
            open_engine(),
            email=email,
            role=role,
            team=None if team is None else team.value,
            name=name,
            by=cli_actor(),
        )
        typer.echo(f"{stored.identity}: {stored.role.value}, team {stored.team or '-'}")


@user_app.command("list")
def user_list(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Everyone listed, with team, role and last sign-in."""
    with failures_as_messages():
        engine = open_engine()
        users = users_repo.list_users(engine)
        policy = users_repo.get_policy(engine)
        if json_output:
            rows = users.astype(object).where(users.notna(), None).to_dict(orient="records")
            shown = {
                "restricted": policy.restricted,
                "domains": list(policy.domains),
                "users": rows,
            }
            typer.echo(json.dumps(shown, indent=2, default=str))
            return
        for row in users.itertuples(index=False):
            typer.echo(f"{row.email:<40} {row.role:<9} {row.team or '-':<10}")
        typer.echo(f"sign-in: {_policy_text(policy)}")


@user_app.command("remove")
def user_remove(
    email: Annotated[str, typer.Argument(help="The person's e-mail.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
) -> None:
    """Remove a person (they become an unknown user again)."""
    with failures_as_messages():
        engine = open_engine()
        confirm_destructive(f"this removes {email} from Baton's users", yes=yes)
        if not users_repo.remove_user(engine, email=email, by=cli_actor()):
            raise CliError(f"{email} is not a listed user")
        typer.echo(f"removed {email}")


@user_app.command("access")
def user_access(
    restricted: Annotated[
        bool,
        typer.Option(
            "--restricted/--open", help="Only listed users and --domain, or anyone (as viewer)."
        ),
    ],
    domain: Annotated[
        list[str] | None, typer.Option(help="An allowed e-mail domain (repeat).")
    ] = None,
) -> None:
    """Who may sign in without being listed."""
    with failures_as_messages():
        engine = open_engine()
        policy = SignInPolicy(restricted=restricted, domains=tuple(domain or ()))
        users_repo.set_policy(engine, policy, by=cli_actor())
        typer.echo(f"sign-in: {_policy_text(users_repo.get_policy(engine))}")


def _policy_text(policy: SignInPolicy) -> str:
    if not policy.restricted:
        return "anyone the identity provider admits (unlisted people are viewers)"
    domains = ", ".join(policy.domains) or "none"
    return f"listed users only, plus e-mail domains: {domains}"
