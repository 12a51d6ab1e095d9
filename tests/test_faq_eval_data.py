"""The FAQ evaluation set kept in the repository holds what issue 6 asks of it."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_faq import (
    OTHER_BASES,
    SPLITS,
    OtherBase,
    everyday_questions,
    load_base,
    load_questions,
    no_shared_word_share,
)


def test_base_and_questions_are_consistent_and_large_enough():
    entries = load_base()
    questions = load_questions()
    ids = {e.id for e in entries}
    assert len(entries) >= 25
    assert {e.lang for e in entries} == {"fr", "en"}
    assert all(expected in ids or expected == "-" for _, expected, _ in questions)
    assert {split for split, _, _ in questions} == set(SPLITS)
    in_scope = [q for q in questions if q[1] != "-"]
    assert len(in_scope) >= 100 and len(questions) - len(in_scope) >= 30
    # every entry is asked about, and no question text is repeated (a repeat would count twice)
    assert set(Counter(q[1] for q in in_scope)) == ids
    assert len({q[2] for q in questions}) == len(questions)
    assert no_shared_word_share(entries, questions) >= 0.45


@pytest.mark.parametrize("other", OTHER_BASES, ids=lambda other: other.folder.name)
def test_other_bases_and_their_question_sets_are_consistent(other: OtherBase):
    entries = other.entries()
    questions = other.questions()
    ids = {e.id for e in entries}
    assert len(entries) >= 25 and {e.lang for e in entries} == {"fr", "en"}
    assert {split for split, _, _ in questions} == set(other.splits)
    for split in other.splits:
        subset = [q for q in questions if q[0] == split]
        in_scope = [q for q in subset if q[1] != "-"]
        assert all(expected in ids or expected == "-" for _, expected, _ in subset)
        assert set(Counter(q[1] for q in in_scope)) == ids
        assert len(in_scope) >= 100 and len(subset) - len(in_scope) >= 30
        assert len({q[2] for q in subset}) == len(subset)
        assert no_shared_word_share(entries, subset) >= 0.45


def test_everyday_out_of_scope_questions_are_in_no_training_set():
    everyday = everyday_questions()
    assert len(everyday) >= 30 and len(set(everyday)) == len(everyday)
    trained = {text for _, _, text in load_questions()}
    trained |= {text for other in OTHER_BASES for _, _, text in other.questions()}
    assert not set(everyday) & trained
