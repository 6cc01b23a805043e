"""When a draft may be published."""

from domain.definitions.publishing import missing_teams, publish_blockers, signoff_summary

MARIA = {"name": "Maria", "team": "marketing", "at": "2024-03-01T10:00:00+00:00"}
SAM = {"name": "Sam", "team": "sales", "at": "2024-03-01T11:00:00+00:00"}


def test_a_signed_draft_with_a_note_can_be_published():
    assert publish_blockers(author="Sam", note="Tighter", signoffs=[MARIA, SAM]) == []


def test_publishing_needs_one_sign_off_from_each_team():
    assert missing_teams([]) == ["marketing", "sales"]
    assert missing_teams([MARIA, {**MARIA, "name": "Mo"}]) == ["sales"]
    blockers = publish_blockers(author="Sam", note="Tighter", signoffs=[SAM])
    assert blockers == [
        "Needs the sign-off of someone from marketing "
        "(one person from marketing and one from sales)."
    ]


def test_publishing_needs_a_note_and_an_author():
    blockers = publish_blockers(author=None, note="  ", signoffs=[MARIA, SAM])
    assert len(blockers) == 2
    assert "name and team" in blockers[0] and "Write a note" in blockers[1]


def test_publishing_the_published_definition_again_is_refused():
    blockers = publish_blockers(
        author="Sam", note="again", signoffs=[MARIA, SAM], same_as_published=True
    )
    assert blockers == ["The draft is the same as the published definition: nothing to publish."]


def test_sign_offs_read_as_names_and_teams():
    assert signoff_summary([MARIA, SAM]) == "Maria (marketing), Sam (sales)"
    assert signoff_summary([]) == "—"
