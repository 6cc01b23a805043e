"""Plain-language sentences generated from the definition."""

from domain.definitions.defaults import default_definition
from domain.definitions.describe import (
    DESCRIBED_STAGES,
    duration,
    join_words,
    mql_sentence,
    number,
    sal_sentence,
    score_sentence,
    sql_sentence,
    stage_sentences,
)
from tests.builders import definition


def test_the_mql_sentence_names_the_threshold_and_the_hand_raisers():
    assert mql_sentence(default_definition()) == (
        "A lead becomes an MQL when its score reaches 60, or when it submits a contact form "
        "or requests a demo."
    )


def test_the_mql_sentence_without_hand_raisers_only_names_the_score():
    sentence = mql_sentence(definition(mql_threshold=62.5, hand_raisers=[]))
    assert sentence == "A lead becomes an MQL when its score reaches 62.5."


def test_an_unknown_hand_raiser_reads_as_its_activity_name():
    sentence = mql_sentence(definition(hand_raisers=["booked_meeting"]))
    assert sentence.endswith("or when it does a booked meeting.")


def test_the_sql_sentence_counts_bant_facts_and_names_the_mandatory_ones():
    sentence = sql_sentence(default_definition())
    assert sentence == (
        "A lead becomes an SQL when a rep has spoken with it and it meets at least three of "
        "the four BANT criteria (budget, authority, need and timeline), need always among them."
    )


def test_the_sql_sentence_for_all_four_facts_without_a_conversation():
    d = definition(sql_criteria={"min_bant": 4, "require_conversation": False})
    assert sql_sentence(d) == (
        "A lead becomes an SQL when a rep records that it meets all four BANT criteria "
        "(budget, authority, need and timeline)."
    )


def test_the_sql_sentence_when_no_bant_answer_is_required():
    d = definition(sql_criteria={"min_bant": 0, "require_conversation": True})
    assert "no BANT answers are required" in sql_sentence(d)


def test_the_sql_sentence_with_only_mandatory_facts():
    d = definition(sql_criteria={"min_bant": 0, "mandatory": ["budget", "need"]})
    assert "meets the BANT criteria budget and need." in sql_sentence(d)


def test_the_sal_sentence_states_the_follow_up_sla():
    assert "within 24 hours" in sal_sentence(definition(sla_hours=24))
    assert "within 2 days" in sal_sentence(definition(sla_hours=48))
    assert "within 1 hour." in sal_sentence(definition(sla_hours=1))


def test_the_score_sentence_says_what_the_score_is_made_of():
    sentence = score_sentence(default_definition())
    assert sentence.startswith("The score adds 9 fit rules (on industry, company size, country")
    assert "13 engagement rules" in sentence
    assert "halve every 45 days" in sentence
    assert "never fade" in score_sentence(definition(decay_half_life_days=None))


def test_every_described_stage_gets_a_sentence():
    sentences = stage_sentences(default_definition())
    assert list(sentences) == list(DESCRIBED_STAGES)
    assert all(s.endswith(".") for s in sentences.values())


def test_words_and_numbers_read_as_people_write_them():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"], "and") == "a, b and c"
    assert number(1000) == "1,000"
    assert number(12.5) == "12.5"
    assert duration(72) == "3 days"
