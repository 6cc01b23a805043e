"""A definition with count rules goes through the database and back out of the CLI intact."""

import json

from domain.definitions.defaults import default_definition
from domain.definitions.definition import parse_definition
from tests.cli.conftest import AS_OF


def test_a_count_rule_survives_import_into_the_draft_and_export(cli, tmp_path):
    rules = [r.model_dump(mode="json") for r in default_definition().engagement_rules]
    pricing = next(r for r in rules if r["id"] == "pricing")
    pricing.update(min_count=2, cap=None, points=40, window_days=30)
    mine = default_definition().replace(engagement_rules=rules)
    file, back = tmp_path / "mine.json", tmp_path / "back.json"
    file.write_text(mine.to_json())
    assert cli("definition", "import", str(file)).exit_code == 0
    assert cli("definition", "export", str(back), "--which", "draft").exit_code == 0
    exported = parse_definition(back.read_text())
    assert exported == mine
    saved = next(
        r for r in json.loads(back.read_text())["engagement_rules"] if r["id"] == "pricing"
    )
    assert saved["min_count"] == 2 and saved["cap"] is None
    draft = json.loads(cli("score", "--summary", "--definition", "draft", "--as-of", AS_OF).output)
    published = json.loads(cli("score", "--summary", "--as-of", AS_OF).output)
    assert draft["MQL"] != published["MQL"]
