"""The CRM score export: numbers as a spreadsheet and a CRM read them."""

from __future__ import annotations

from domain.funnel.exports import score_export
from tests.builders import definition, fit, make_leads, model_of


def test_a_tiny_negative_score_is_exported_as_zero_never_minus_zero():
    leads = make_leads({"country": "DE"}, {"country": "FR"})
    rule = fit("country", "equals", "DE", -0.04)
    model = model_of(leads)
    table = score_export(model.leads, model.score(definition(fit_rules=[rule])))
    assert table["score"].tolist() == [0.0, 0.0]
    assert "-0.0" not in table.to_csv(index=False)
