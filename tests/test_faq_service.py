"""FaqService on the database with a fake clock: votes, escalation once, retention, gap grouping,
live index updates racing a build."""

from __future__ import annotations

import asyncio
from dataclasses import replace as with_changes

import pytest

from bot.errors import NotConfigured
from bot.services.faq import (
    AlreadyEscalated,
    EntryExists,
    EntryNotFound,
    FaqService,
    GapGone,
    NotYourQuestion,
    QuestionGone,
    VariantsFull,
    group_questions,
)
from bot.services.faq_base import FaqEntry

GUILD = 42
COURSE = 7

EXAMS = FaqEntry("exam-dates", "Quand ont lieu les examens ?", ["C'est quand les partiels ?"], "En janvier.")
PASSWORD = FaqEntry(
    "password", "J'ai oublié mon mot de passe", ["mdp perdu"], "Cliquez sur *Mot de passe oublié*."
)


@pytest.fixture
def faq(sessions, clock):
    return FaqService(sessions, clock, engine="lexical")


async def test_votes_are_one_per_member_and_changeable(faq):
    await faq.import_entries(GUILD, COURSE, [EXAMS, PASSWORD])
    answer = await faq.ask(GUILD, COURSE, 1, 10, "c quand les examens ?")
    assert answer.sureness in ("sure", "fairly") and answer.entry.id == "exam-dates"
    await faq.vote(answer.question_id, 1, True)
    await faq.vote(answer.question_id, 1, False)
    gaps = await faq.gaps(GUILD, COURSE)
    assert [g.example for g in gaps.groups] == ["c quand les examens ?"]
    assert gaps.disliked == [("exam-dates", 1)]
    await faq.vote(answer.question_id, 1, True)
    assert (await faq.gaps(GUILD, COURSE)).groups == []
    with pytest.raises(NotYourQuestion):
        await faq.vote(answer.question_id, 2, True)


async def test_escalation_happens_once_and_only_for_the_asker(faq):
    answer = await faq.ask(GUILD, COURSE, 1, 10, "une question sans réponse ?")
    assert answer.sureness == "none" and answer.entry is None
    with pytest.raises(NotYourQuestion):
        await faq.claim_escalation(answer.question_id, 2)
    info = await faq.claim_escalation(answer.question_id, 1)
    assert info.text == "une question sans réponse ?"
    with pytest.raises(AlreadyEscalated):
        await faq.claim_escalation(answer.question_id, 1)
    await faq.release_escalation(answer.question_id)  # the post failed: may try again
    await faq.claim_escalation(answer.question_id, 1)
    no_course = await faq.ask(GUILD, None, 1, 10, "et sans cours ?")
    with pytest.raises(NotConfigured):
        await faq.claim_escalation(no_course.question_id, 1)


async def test_questions_are_kept_only_as_long_as_needed(faq, clock):
    await faq.import_entries(GUILD, COURSE, [EXAMS])
    answered = await faq.ask(GUILD, COURSE, 1, 10, "c quand les examens ?")
    gap = await faq.ask(GUILD, COURSE, 1, 10, "où est la cafétéria ?")
    clock.advance(days=8)
    await faq.purge(force=True)
    with pytest.raises(QuestionGone):
        await faq.question(answered.question_id)
    assert (await faq.question(gap.question_id)).text == "où est la cafétéria ?"
    clock.advance(days=90)
    await faq.purge(force=True)
    with pytest.raises(QuestionGone):
        await faq.question(gap.question_id)


async def test_guild_wide_and_course_bases_are_separate_and_ids_unique(faq):
    await faq.add(GUILD, None, EXAMS)
    await faq.add(GUILD, COURSE, EXAMS)
    with pytest.raises(EntryExists):
        await faq.add(GUILD, None, EXAMS)
    assert [e.id for e in await faq.entries(GUILD, None)] == ["exam-dates"]
    report = await faq.import_entries(GUILD, COURSE, [PASSWORD], replace=True)
    assert (report.added, report.updated, report.removed, report.total) == (1, 0, 1, 1)
    assert await faq.free_id(GUILD, None, "Quand ont lieu les examens ?") == "quand-ont-lieu-les-examens"


async def test_an_edit_during_a_build_reaches_the_live_index(faq):
    await faq.import_entries(GUILD, COURSE, [EXAMS])
    build = asyncio.create_task(faq.warm(GUILD, COURSE))
    await asyncio.sleep(0)
    await faq.add(GUILD, COURSE, PASSWORD)
    await build
    assert faq.is_ready(GUILD, COURSE)
    answer = await faq.ask(GUILD, COURSE, 1, 10, "mdp perdu, comment faire ?")
    assert answer.entry is not None and answer.entry.id == "password"


async def test_changes_made_by_another_process_reach_the_live_index(sessions, clock):
    """`faq import` on the command line, or a second bot process, writes the database while this
    process holds a built matcher: the next question sees the change, and only what changed is
    matched anew."""
    bot = FaqService(sessions, clock, engine="lexical")
    elsewhere = FaqService(sessions, clock, engine="lexical")  # the CLI, another process
    await bot.import_entries(GUILD, COURSE, [EXAMS, PASSWORD])
    assert (await bot.ask(GUILD, COURSE, 1, 10, "mdp perdu")).entry.id == "password"
    matcher = bot._bases[(GUILD, COURSE)].matcher
    upserts: list[str] = []
    original = matcher.upsert

    def counting(entry):
        upserts.append(entry.id)
        return original(entry)

    matcher.upsert = counting
    wifi = FaqEntry("wifi", "Le wifi du campus ne marche pas", ["pas de réseau sur le campus"], "Code : ENT.")
    await elsewhere.import_entries(GUILD, COURSE, [wifi])  # the same instant: no clock involved
    answer = await bot.ask(GUILD, COURSE, 1, 10, "le wifi du campus marche pas")
    assert answer.entry is not None and answer.entry.id == "wifi"
    assert upserts == ["wifi"]  # the two others were not matched anew

    support = "Écrivez au support : help@ent.fr"
    await elsewhere.edit(GUILD, COURSE, with_changes(PASSWORD, answer=support))
    assert (await bot.ask(GUILD, COURSE, 1, 10, "mdp perdu")).entry.answer == support
    await elsewhere.remove(GUILD, COURSE, "exam-dates")
    gone = await bot.ask(GUILD, COURSE, 1, 10, "c quand les partiels ?")
    assert gone.entry is None or gone.entry.id != "exam-dates"
    await elsewhere.add(GUILD, COURSE, EXAMS)  # the same id again, in a new row
    assert (await bot.ask(GUILD, COURSE, 1, 10, "c quand les partiels ?")).entry.id == "exam-dates"
    assert bot._bases[(GUILD, COURSE)].matcher is matcher  # kept current, never rebuilt
    assert upserts == ["wifi", "password", "exam-dates"]


def test_similar_questions_are_grouped_most_asked_first():
    groups = group_questions(
        [
            ("wifi du campus ?", None),
            ("ou trouver la recette de la tarte aux pommes ?", "internship"),
            ("la recette de tarte aux pommes svp", "fees"),
            ("recette tarte pommes", None),
        ]
    )
    assert [(g.count, g.example) for g in groups] == [
        (3, "ou trouver la recette de la tarte aux pommes ?"),
        (1, "wifi du campus ?"),
    ]
    assert len(groups[0].others) == 2


def test_faq_engine_setting_is_checked(tmp_path):
    from bot.services.faq_engine import ENGINES
    from bot.settings import _FAQ_ENGINES, ConfigError, load_settings

    assert _FAQ_ENGINES == ENGINES  # settings.py does not import the engine (numpy…) to check a name
    config = tmp_path / "config.toml"
    for engine in ENGINES:
        config.write_text(f'[faq]\nengine = "{engine}"\n', encoding="utf-8")
        assert load_settings(config, env={}).faq.engine == engine
    config.write_text('[faq]\nengine = "semantic"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="faq.engine"):
        load_settings(config, env={})


async def test_a_restart_reuses_the_saved_embeddings(sessions, clock):
    """The embedding model runs once per text: a new process reads the vectors back from the database."""
    from sqlmodel import select

    from storage.models import FaqVector

    first = FaqService(sessions, clock, engine="auto")
    if await first._shared_embedder() is None:
        pytest.skip("the embedding model is not installed")
    await first.add(GUILD, None, EXAMS)
    await first.add(GUILD, None, PASSWORD)
    await first.warm(GUILD, None)
    async with sessions() as s:
        stored = (await s.exec(select(FaqVector))).all()
    assert stored and {v.scope for v in stored} == {f"{GUILD}:-"}

    second = FaqService(sessions, clock, engine="auto")  # another process, after a restart
    embedder = await second._shared_embedder()
    embedded: list[str] = []
    original = embedder.embed

    def counting(texts):
        embedded.extend(texts)
        return original(texts)

    embedder.embed = counting
    try:
        await second.warm(GUILD, None)
        assert len(embedded) <= 1  # only a probe for the vector size, no entry text
        result = await second._match((GUILD, None), "c quand les partiels ?")
        assert result[1].alternatives or result[1].match
        await second.remove(GUILD, None, "password")
    finally:
        embedder.embed = original
    async with sessions() as s:
        left = (await s.exec(select(FaqVector))).all()
    assert 0 < len(left) < len(stored)  # the removed entry's vectors are gone


async def test_a_gap_taught_to_an_entry_is_answered_and_leaves_the_gaps(faq):
    await faq.import_entries(GUILD, COURSE, [EXAMS, PASSWORD])
    question = "la session de fin de semestre tombe quand"
    first = await faq.ask(GUILD, COURSE, 1, 10, question)
    assert first.sureness != "sure"
    second = await faq.ask(GUILD, COURSE, 2, 10, f"{question} ?")
    other = await faq.ask(GUILD, COURSE, 3, 10, "le wifi du campus marche pas")
    groups = (await faq.gaps(GUILD, COURSE)).groups
    assert [g.ids for g in groups] == [[first.question_id, second.question_id], [other.question_id]]

    taught = await faq.teach(first.question_id, "exam-dates")
    assert (taught.added, taught.resolved, taught.variant) == (True, 2, question)
    entry = await faq.entry(GUILD, COURSE, "exam-dates")
    assert entry.variants == ["C'est quand les partiels ?", question]
    assert [g.example for g in (await faq.gaps(GUILD, COURSE)).groups] == ["le wifi du campus marche pas"]
    answer = await faq.ask(GUILD, COURSE, 4, 10, "La session de fin de semestre tombe quand ??")
    assert answer.sureness == "sure" and answer.entry.id == "exam-dates"  # the live index learnt it

    taught = await faq.teach(answer.question_id, "exam-dates")  # the same wording: nothing added
    assert (taught.added, taught.resolved) == (False, 1)
    assert (await faq.entry(GUILD, COURSE, "exam-dates")).variants == entry.variants
    with pytest.raises(GapGone):
        await faq.teach(first.question_id, "exam-dates")  # taken off the list already
    with pytest.raises(EntryNotFound):
        await faq.teach(other.question_id, "no-such-entry")


async def test_teaching_keeps_the_base_exportable_and_within_the_modal(faq):
    long = FaqEntry("long", "Une question ?", ["x" * 290] * 13 + ["y" * 200], "Réponse.")
    await faq.import_entries(GUILD, COURSE, [EXAMS, long])
    piped = await faq.ask(GUILD, COURSE, 1, 10, "exam | partiel   quand\nsvp")
    taught = await faq.teach(piped.question_id, "exam-dates")
    assert taught.variant == "exam / partiel quand svp"  # one line, no CSV separator
    assert "exam / partiel quand svp" in await faq.export(GUILD, COURSE, "csv")
    full = await faq.ask(GUILD, COURSE, 1, 10, "une question qui ne rentre plus")
    with pytest.raises(VariantsFull):
        await faq.teach(full.question_id, "long")
    assert (await faq.entry(GUILD, COURSE, "long")).variants == long.variants
    assert [g.example for g in (await faq.gaps(GUILD, COURSE)).groups] == ["une question qui ne rentre plus"]


async def test_the_close_entry_the_asker_opened_becomes_the_gaps_hint(faq):
    await faq.import_entries(GUILD, COURSE, [EXAMS, PASSWORD])
    answer = await faq.ask(GUILD, COURSE, 1, 10, "la session de fin de semestre tombe quand")
    matcher_hint = answer.entry.id if answer.entry else None
    assert matcher_hint != "password"
    shown = await faq.open_close_entry(answer.question_id, 2, "password")  # not the asker: shown only
    assert shown.id == "password"
    assert (await faq.gaps(GUILD, COURSE)).groups[0].entry_id == matcher_hint
    await faq.open_close_entry(answer.question_id, 1, "password")
    assert (await faq.gaps(GUILD, COURSE)).groups[0].entry_id == "password"
    with pytest.raises(EntryNotFound):
        await faq.open_close_entry(answer.question_id, 1, "no-such-entry")
    assert (await faq.gaps(GUILD, COURSE)).groups[0].entry_id == "password"
