"""The Data page's clicks, through gateways/data.py, without Streamlit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from domain.admin.access import AccessDenied, Role
from domain.importing import Mapping
from gateways import data as gateway
from tests.integration.gateway_people import signed_in

WEEKLY = Mapping(kind="leads", fields={"external_id": "Id", "email": "Email"})


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def test_a_mapping_is_saved_by_an_admin_and_refused_to_an_editor(engine: Engine) -> None:
    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")
    with pytest.raises(AccessDenied):
        gateway.save_mapping(engine, actor=editor, name="Weekly", mapping=WEEKLY)
    assert gateway.list_mappings(engine, "leads") == []

    admin = signed_in(engine, "boss@acme.com", Role.admin)
    gateway.save_mapping(engine, actor=admin, name="Weekly", mapping=WEEKLY)

    assert gateway.list_mappings(engine, "leads") == ["Weekly"]
    assert gateway.load_mapping(engine, "Weekly") == WEEKLY


def test_demo_data_is_loaded_for_an_admin_only_and_reset_clears_it(engine: Engine) -> None:
    viewer = signed_in(engine, "vic@acme.com", Role.viewer)
    with pytest.raises(AccessDenied):
        gateway.load_demo(engine, actor=viewer, n_leads=100)
    assert gateway.lead_count(engine) == 0

    admin = signed_in(engine, "boss@acme.com", Role.admin)
    written = gateway.load_demo(engine, actor=admin, n_leads=100)

    assert gateway.lead_count(engine) == written["leads"] == 100
    with pytest.raises(AccessDenied):
        gateway.delete_all_data(engine, actor=viewer)
    gateway.delete_all_data(engine, actor=admin)
    assert gateway.lead_count(engine) == 0
