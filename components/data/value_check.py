"""The value check on the Data page: values no published rule matches, and one-click
normalisation of spellings that differ only in case, spaces or underscores."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.data.data_notices import notify
from components.shell import state
from components.shell.identity import writer
from domain.admin.access import AccessDenied
from domain.common.numbers import count
from domain.importing.value_check import ValueCheck, check_values
from gateways import data as gateway

KEY = "data_values"


def render_value_check(engine: Engine) -> None:
    st.subheader("Value check")
    published = state.get_published()
    if published is None:
        st.caption("Publish a definition first: the check compares the leads with its rules.")
        return
    found = check_values(state.get_model().leads, published[1])
    if not found.attributes:
        st.caption("No rule of the published definition compares a lead attribute's values.")
        return
    st.caption(
        "The leads' values of the attributes the published definition's rules compare: "
        + ", ".join(md(a) for a in found.attributes)
        + ". A value no rule matches scores no fit points."
    )
    for attribute in found.missing:
        st.warning(f"No lead has the attribute “{md(attribute)}”, which a rule uses.")
    if found.clean:
        st.success("Every value matches a rule, and no value is spelled two ways.")
        return
    _unmatched(found)
    _variants(engine, found)


def _unmatched(found: ValueCheck) -> None:
    if found.unmatched.empty:
        return
    st.markdown("**Values no rule matches**")
    st.dataframe(
        found.unmatched,
        key=f"{KEY}_unmatched",
        hide_index=True,
        width="stretch",
        column_config={
            "attribute": "Attribute",
            "value": "Value",
            "leads": st.column_config.NumberColumn("Leads", format="%d"),
        },
    )


def _variants(engine: Engine, found: ValueCheck) -> None:
    if found.variants.empty:
        return
    st.markdown("**One value, several spellings** (case, spaces or underscores)")
    for (attribute, target), group in found.variants.groupby(["attribute", "normalise_to"]):
        olds = group[group["value"] != target]
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.text(f"{attribute}: {_spellings(olds)} → {target!r}")
        digest = hashlib.sha1(f"{attribute}|{target}".encode()).hexdigest()[:10]
        if right.button("Normalise", key=f"{KEY}_{digest}", help="Write the spelling after → "
                        "on these leads: one value for the rules and the charts."):  # fmt: skip
            _normalise(engine, str(attribute), str(target), olds["value"].tolist())


def _spellings(olds: pd.DataFrame) -> str:
    return ", ".join(
        f"{v!r} ({count(n)})" for v, n in zip(olds["value"], olds["leads"], strict=True)
    )


def _normalise(engine: Engine, attribute: str, target: str, olds: list[str]) -> None:
    try:
        changed = gateway.normalise_values(
            engine, actor=writer(), attribute=attribute, to=target, from_values=olds
        )
    except AccessDenied as exc:
        notify(str(exc), error=True)
    except SQLAlchemyError as exc:
        notify(f"Nothing was changed: the database refused ({exc.__class__.__name__}).", error=True)
    else:
        notify(
            f"{attribute} “{target}” written on {count(changed)} lead{'' if changed == 1 else 's'}."
        )
    st.rerun()
