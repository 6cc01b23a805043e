"""Baton from the command line: seed, score, funnel and definition export/import.

The database comes from DATABASE_URL (default: the embedded SQLite file in data/).
Every command exits non-zero with a one-line reason on failure, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from cli_common import CliError, cli_actor, confirm_destructive
from cli_common import failures_as_messages as _failures_as_messages
from cli_common import open_engine as _engine
from cli_users import user_app
from db import guarded
from db import repository as repo
from db.scoring.scoring_source import load_model
from domain.admin.access import Actor, Role
from domain.common.csv_safety import safe_csv
from domain.definitions.definition import Definition, DefinitionError, parse_definition
from domain.funnel.exports import funnel_report, score_export
from domain.importing import PRESETS, Mapping, detect_preset, read_csv_source, suggest_mapping

app = typer.Typer(help="Baton: one shared, numeric definition of a qualified lead.")
definition_app = typer.Typer(help="Export or import the shared definition as JSON.")
app.add_typer(definition_app, name="definition")
values_app = typer.Typer(help="Check the leads' values against the rules; merge spellings.")
app.add_typer(values_app, name="values")
app.add_typer(user_app, name="user")


class OutputFormat(StrEnum):
    csv = "csv"
    json = "json"


@app.command()
def seed(
    leads: Annotated[int, typer.Option(min=1, help="How many demo leads.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 7,
    reset: Annotated[bool, typer.Option(help="Delete all lead data first.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --reset.")] = False,
) -> None:
    """Generate realistic demo data into the database."""
    from data.seed import seed_demo

    with _failures_as_messages():
        engine = _engine()
        stored = repo.count_rows(engine).get("lead", 0)
        if not reset and stored:
            raise CliError(
                f"the database already has leads ({stored:,}); seed loads demo data into an "
                "empty database only (add --reset to delete every lead first)"
            )
        if reset and stored:
            confirm_destructive(f"--reset deletes all {stored:,} leads and their data", yes=yes)
        written = seed_demo(engine, n_leads=leads, seed=seed, reset=reset)
        typer.echo(json.dumps(written))


@app.command()
def score(
    definition: Annotated[
        str, typer.Option(help="published, draft, default, or a definition JSON file.")
    ] = "published",
    as_of: Annotated[str | None, typer.Option(help="Score as of this date (UTC).")] = None,
    format: Annotated[OutputFormat, typer.Option(help="Output format.")] = OutputFormat.csv,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default stdout).")] = None,
    summary: Annotated[bool, typer.Option(help="Only the stage counts, as JSON.")] = False,
) -> None:
    """Score every lead: score, stage and stage dates, ready to re-import into a CRM."""
    with _failures_as_messages():
        engine = _engine()
        chosen = _resolve_definition(engine, definition)
        model = load_model(engine, as_of=_parse_date(as_of) if as_of else None)
        result = model.score(chosen)
        if summary:
            _write(json.dumps(result.stage_counts(), indent=2), out)
            return
        table = score_export(model.leads, result)
        text = (
            safe_csv(table)
            if format is OutputFormat.csv
            else table.to_json(orient="records", date_format="iso", indent=2)
        )
        _write(text, out)


@app.command()
def funnel(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_of: Annotated[str | None, typer.Option(help="As of this date (UTC).")] = None,
) -> None:
    """Stage counts, conversion rates and follow-up counts under the published definition."""
    with _failures_as_messages():
        engine = _engine()
        version, definition = _published(engine)
        model = load_model(engine, as_of=_parse_date(as_of) if as_of else None)
        report = funnel_report(model, definition, touches=repo.load_touches(engine))
        report = {"definition_version": version, **report}
        if json_output:
            typer.echo(json.dumps(report, indent=2))
            return
        for stage, count in report["stages"].items():
            typer.echo(f"{stage:<12} {count:>8}")
        for name, rate in report["conversion"].items():
            shown = "n/a" if rate["rate"] is None else f"{rate['rate']:.1%}"
            typer.echo(f"{name:<12} {shown:>8}  ({rate['converted']}/{rate['from']})")


@definition_app.command("export")
def definition_export(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON.")],
    which: Annotated[str, typer.Option("--which", help="published or draft.")] = "published",
) -> None:
    """Write the published (or draft) definition to a JSON file."""
    with _failures_as_messages():
        engine = _engine()
        file.write_text(_resolve_definition(engine, which).to_json() + "\n", encoding="utf-8")
        typer.echo(f"wrote {file}")


@definition_app.command("import")
def definition_import(
    file: Annotated[Path, typer.Argument(help="A definition JSON file.")],
    publish: Annotated[bool, typer.Option(help="Publish it as a new version.")] = False,
    author: Annotated[str | None, typer.Option(help="Who imports it.")] = None,
    note: Annotated[str, typer.Option(help="Why (required with --publish).")] = "",
    signed_off_by: Annotated[
        list[str] | None,
        typer.Option(help="With --publish: an approver's e-mail, once per team (repeat)."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="With --publish: publish without sign-offs (audited).")
    ] = False,
) -> None:
    """Validate a definition file and make it the working draft (or publish it)."""
    with _failures_as_messages():
        definition = _read_definition(file)
        author = author or cli_actor()
        if publish:
            version = _publish(definition, author, note, signed_off_by or [], force=force)
            typer.echo(f"published version {version}")
            return
        engine = _engine()
        draft = repo.get_draft(engine)
        # The CLI runs on the server, so it acts as a local (trusted) editor; still audited.
        shell = Actor(identity=author, name=author, team=None, role=Role.admin, local=True)
        revision = guarded.save_draft(
            engine,
            actor=shell,
            definition=definition,
            expected_revision=draft.revision if draft else None,
        )
        typer.echo(f"saved as the working draft (revision {revision})")


def _publish(
    definition: Definition, author: str, note: str, approvers: list[str], *, force: bool
) -> int:
    if not note.strip():
        raise CliError("--publish needs a --note saying why the definition changed")
    if force == bool(approvers):
        raise CliError(
            "--publish needs --signed-off-by EMAIL for an approver of each team "
            "(marketing and sales), or --force to publish without sign-offs"
        )
    engine = _engine()
    if force:
        return guarded.publish_forced(engine, definition=definition, note=note, author=author)
    return guarded.publish_signed_by(
        engine, definition=definition, note=note, author=author, approvers=approvers
    )


@app.command()
def delete(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask first.")] = False,
) -> None:
    """Delete every lead, activity, touch and outcome (definitions and the audit log stay)."""
    with _failures_as_messages():
        engine = _engine()
        counts = repo.count_rows(engine)
        confirm_destructive(
            f"this deletes all {counts.get('lead', 0)} leads and their data", yes=yes
        )
        repo.delete_all_data(engine, actor=cli_actor())
        typer.echo(f"deleted {counts.get('lead', 0)} leads and their data")


class SuggestOutcome(StrEnum):
    won = "won"
    sql = "sql"


@app.command()
def suggest(
    outcome: Annotated[SuggestOutcome, typer.Option(help="What the score should predict.")],
    holdout: Annotated[
        float, typer.Option(min=0.05, max=0.95, help="Share of leads held out (the newest).")
    ] = 0.3,
    seed: Annotated[int, typer.Option(help="Seed of a random split (leads without dates).")] = 0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the suggested definition (JSON) to this file.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Attribute or activity type to leave out (repeat).")
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            help="Use a column the leakage guard left out, knowingly (repeat); the report "
            "then warns that its figures are likely too good."
        ),
    ] = None,
    definition: Annotated[
        str, typer.Option(help="Compare with: published, draft, or a definition JSON file.")
    ] = "published",
    max_rules: Annotated[int, typer.Option(min=1, help="At most this many rules.")] = 25,
    as_of: Annotated[str | None, typer.Option(help="As of this date (UTC).")] = None,
) -> None:
    """Suggest rule weights from the leads' outcomes, with held-out AUCs of both definitions."""
    from domain.suggest import suggest as suggest_definition
    from domain.suggest.report import format_suggestion

    with _failures_as_messages():
        engine = _engine()
        current = _resolve_definition(engine, definition)
        model = load_model(engine, as_of=_parse_date(as_of) if as_of else None)
        suggestion = suggest_definition(
            model, current, outcome=outcome.value, holdout=holdout, seed=seed,
            exclude=tuple(exclude or ()), include=tuple(include or ()), max_rules=max_rules,
        )  # fmt: skip
        if out is not None:
            out.write_text(suggestion.definition.to_json() + "\n", encoding="utf-8")
            typer.echo(f"wrote {out}", err=True)
        if json_output:
            typer.echo(json.dumps(suggestion.to_json(), indent=2, allow_nan=False, default=str))
        else:
            typer.echo(format_suggestion(suggestion, current))


def _resolve_definition(engine, which: str) -> Definition:  # type: ignore[no-untyped-def]
    if which == "published":
        return _published(engine)[1]
    if which == "default":  # Baton's starting definition: scores imported data at once
        from domain.definitions.defaults import default_definition

        return default_definition()
    if which == "draft":
        draft = repo.get_draft(engine)
        if draft is None:
            raise CliError("there is no working draft yet; use --definition published")
        return draft.definition
    return _read_definition(Path(which))


def _published(engine) -> tuple[int, Definition]:  # type: ignore[no-untyped-def]
    published = repo.get_published(engine)
    if published is None:
        raise CliError(
            "no definition is published yet; run `python cli.py seed` first, "
            "or publish one with `definition import FILE --publish`"
        )
    return published


def _read_definition(file: Path) -> Definition:
    if not file.is_file():
        raise CliError(f"no such file: {file}")
    try:
        return parse_definition(file.read_text(encoding="utf-8"))
    except DefinitionError as exc:
        raise CliError(f"{file} is not a valid definition: {exc}") from None


def _parse_date(text: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise CliError(f"not a date: {text!r} (use YYYY-MM-DD)") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


class WaitingStatus(StrEnum):
    on_time = "on_time"
    due_soon = "due_soon"
    overdue = "overdue"
    never = "never"


class Channel(StrEnum):
    call = "call"
    email = "email"
    meeting = "meeting"


@app.command()
def followup(
    status: Annotated[WaitingStatus | None, typer.Option(help="Only leads in this status.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's leads.")] = None,
    format: Annotated[
        OutputFormat, typer.Option(help="json: the counts per status; csv: the leads.")
    ] = OutputFormat.json,
    as_of: Annotated[str | None, typer.Option(help="As of this date (UTC).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default stdout).")] = None,
) -> None:
    """The follow-up queue: MQLs no sales touch followed yet, most urgent first."""
    from domain.follow_up.queue import WAITING_STATUSES, export_frame, follow_up

    with _failures_as_messages():
        engine = _engine()
        version, definition = _published(engine)
        model = load_model(engine, as_of=_parse_date(as_of) if as_of else None)
        if owner is not None and owner not in set(model.leads["owner"].dropna()):
            raise CliError(f"no lead is owned by {owner!r} (owner names are case-sensitive)")
        queue = follow_up(model, definition, repo.load_touches(engine)).queue
        if owner is not None:
            queue = queue[queue["owner"] == owner]
        if status is not None:
            queue = queue[queue["status"] == status.value]
        if format is OutputFormat.csv:
            _write(safe_csv(export_frame(queue, model.leads)), out)
            return
        counts = queue["status"].value_counts().reindex(list(WAITING_STATUSES), fill_value=0)
        report = {
            "definition_version": version,
            "as_of": model.as_of.isoformat(),
            "sla_hours": definition.sla_hours,
            "owner": owner,
            "status": None if status is None else status.value,
            "waiting": len(queue),
            "counts": {name: int(n) for name, n in counts.items()},
        }
        _write(json.dumps(report, indent=2), out)


@app.command()
def touch(
    external_id: Annotated[str, typer.Argument(help="The lead's external id.")],
    channel: Annotated[Channel, typer.Option(help="How the rep reached the lead.")],
    outcome: Annotated[
        str | None, typer.Option(help="What happened, e.g. connected, no_answer.")
    ] = None,
    rep: Annotated[str | None, typer.Option(help="Who made the touch (default: cli).")] = None,
    note: Annotated[str | None, typer.Option(help="A note for the timeline.")] = None,
    at: Annotated[str | None, typer.Option(help="When (ISO time; default now).")] = None,
    key: Annotated[
        str | None, typer.Option(help="Idempotency key: retrying with it logs the touch once.")
    ] = None,
) -> None:
    """Log a sales touch (call, e-mail, meeting) on a lead, as a dialer would."""
    from domain.follow_up.actions import LogTouch

    with _failures_as_messages():
        engine = _engine()
        lead_id = repo.lead_id_for(engine, external_id)
        if lead_id is None:
            raise CliError(f"no lead with external id {external_id!r}")
        when = _parse_date(at).to_pydatetime() if at else None
        action = LogTouch(
            channel=channel.value, outcome=outcome, note=note, rep=rep, touched_at=when
        )
        result = repo.apply_action(
            engine, lead_id=lead_id, action=action, actor=rep or "cli", idempotency_key=key
        )
        shown = {
            "lead": result.external_id,
            "logged": not result.replayed,
            "touch_id": result.touch_id,
            "audit_id": result.audit_id,
            "summary": result.summary,
        }
        typer.echo(json.dumps(shown))


class ImportKind(StrEnum):
    leads = "leads"
    activities = "activities"
    touches = "touches"
    outcomes = "outcomes"
    attributes = "attributes"


# Files smaller than this import in a blink: no progress bar.
_PROGRESS_BYTES = 2_000_000
_REJECTS_SHOWN = 10


@app.command("import")
def import_file(
    kind: Annotated[
        ImportKind,
        typer.Argument(help="What the file holds (attributes: columns for existing leads)."),
    ],
    file: Annotated[Path, typer.Argument(help="The CSV file.")],
    mapping: Annotated[
        Path | None, typer.Option(help="A mapping JSON file (see README: Bring your own data).")
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help='A preset: "HubSpot contacts", "Salesforce leads report".')
    ] = None,
    all_or_nothing: Annotated[
        bool, typer.Option(help="Import nothing if any row is rejected.")
    ] = False,
    actor: Annotated[str, typer.Option(help="Who imports (for the audit log).")] = "cli",
    as_of: Annotated[
        str | None,
        typer.Option(
            help="A snapshot's date: undated leads are created, undated outcomes happen then."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="The file's text encoding (utf-8, cp1252, latin-1...), if not the detected one."
        ),  # fmt: skip
    ] = None,
) -> None:
    """Import a CSV export (HubSpot, Salesforce, a spreadsheet...) in one transaction."""
    with _failures_as_messages():
        source = read_csv_source(file, encoding=encoding)
        if mapping is not None:
            if not mapping.is_file():
                raise CliError(f"no such mapping file: {mapping}")
            chosen = Mapping.from_json(mapping.read_text(encoding="utf-8"))
            if chosen.kind != kind.value:
                raise CliError(f"{mapping} maps {chosen.kind}, not {kind.value}")
            typer.echo(f"mapping: {mapping}")
        elif kind is ImportKind.attributes:
            raise CliError(
                "an attributes file adds columns to existing leads: give --mapping with "
                'join_on, e.g. {"kind": "attributes", "join_on": {"company": "account"}}'
            )
        else:
            if preset is not None and preset not in PRESETS:
                raise CliError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
            chosen = _suggested_mapping(kind.value, source.header, preset)
        if as_of is not None:
            chosen = Mapping.from_json({**chosen.to_dict(), "as_of": as_of})
        engine = _engine()
        try:
            with _progress(source.total_bytes) as on_progress:
                report = repo.import_csv(
                    engine,
                    source,
                    chosen,
                    all_or_nothing=all_or_nothing,
                    on_progress=on_progress,
                    actor=actor,
                )
        except repo.ImportAborted as aborted:
            for note in aborted.report.notes:  # e.g. every stage value seen, mapped or not
                typer.echo(f"note: {note}")
            _print_rejects(aborted.report.rejects, aborted.report.rejected)
            raise CliError(str(aborted)) from None
        typer.echo(report.summary())
        for note in report.notes:
            typer.echo(f"note: {note}")
        for warning in report.warnings:
            typer.echo(f"warning: {warning}")
        _print_rejects(report.rejects, report.rejected)


def _suggested_mapping(kind: str, header: list[str], preset: str | None) -> Mapping:
    detected = preset or detect_preset(header)
    chosen = suggest_mapping(kind, header, preset=detected)
    how = f"preset {detected}" if detected else "generic (columns matched by name)"
    shown = ", ".join(f"{field}={column!r}" for field, column in chosen.fields.items())
    typer.echo(f"mapping: {how}: {shown or 'no column matched'}")
    return chosen


@contextmanager
def _progress(total_bytes: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for big files; a no-op callback for small ones."""
    if total_bytes < _PROGRESS_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing", total=total_bytes)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def _print_rejects(rejects: pd.DataFrame, total: int) -> None:
    if not total:
        return
    typer.echo(f"rejected rows (first {min(_REJECTS_SHOWN, len(rejects))} of {total}):")
    for row in rejects.head(_REJECTS_SHOWN).itertuples(index=False):
        typer.echo(f"  line {row.line}, column {row.column!r}: {row.reason} (value {row.value!r})")


@values_app.command("check")
def values_check(
    as_json: Annotated[bool, typer.Option("--json", help="Everything as JSON.")] = False,
) -> None:
    """Values no rule of the published definition matches, and spellings to merge."""
    from domain.importing.value_check import check_values

    with _failures_as_messages():
        engine = _engine()
        _, definition = _published(engine)
        found = check_values(repo.load_leads(engine), definition)
        if as_json:
            typer.echo(json.dumps(_check_json(found), indent=2, ensure_ascii=False))
            return
        typer.echo(f"checked: {', '.join(found.attributes) or 'no attribute (no value rules)'}")
        for attribute in found.missing:
            typer.echo(f"missing: no lead has {attribute!r}, which a rule uses")
        for row in found.unmatched.itertuples(index=False):
            typer.echo(f"no rule matches: {row.attribute} = {row.value!r} ({_leads(row.leads)})")
        for row in found.variants.itertuples(index=False):
            if row.value != row.normalise_to:
                typer.echo(
                    f"spelling: {row.attribute} = {row.value!r} ({_leads(row.leads)}) -> "
                    f"{row.normalise_to!r}: python cli.py values normalise {row.attribute!r} "
                    f"--to {row.normalise_to!r}"
                )


def _check_json(found) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "attributes": list(found.attributes),
        "missing": list(found.missing),
        "unmatched": found.unmatched.to_dict(orient="records"),
        "variants": found.variants.to_dict(orient="records"),
    }


@values_app.command("normalise")
def values_normalise(
    attribute: Annotated[str, typer.Argument(help="The lead attribute (source, a custom one).")],
    to: Annotated[str, typer.Option("--to", help="The spelling to keep.")],
    from_values: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            help="Values to replace (default: TO's spellings up to case, "
            "spaces and underscores). Repeatable.",
        ),  # fmt: skip
    ] = None,
    actor: Annotated[str, typer.Option(help="Who normalises (for the audit log).")] = "cli",
) -> None:
    """Replace other spellings of a value by one (organic_search -> Organic Search)."""
    from domain.importing.value_check import variants_of

    with _failures_as_messages():
        engine = _engine()
        leads = repo.load_leads(engine)
        if attribute not in leads.columns:
            raise CliError(f"no lead attribute named {attribute!r}")
        olds = list(from_values) if from_values else variants_of(leads[attribute], to)
        if not olds:
            typer.echo(f"nothing to normalise: no other spelling of {to!r} in {attribute}")
            return
        changed = repo.normalise_values(engine, attribute, to, olds, actor=actor)
        shown = ", ".join(repr(v) for v in olds)
        typer.echo(f"normalised {_leads(changed)}: {attribute} {shown} -> {to!r}")


def _leads(n: int) -> str:
    return f"{n:,} lead{'' if n == 1 else 's'}"


if __name__ == "__main__":
    app()
