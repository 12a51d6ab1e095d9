"""The FAQ through real discord.py (SimCord): teachers import and edit a base, learners ask,
vote, share, ask a teacher; auto-suggest in help channels (and not in group channels).

Matchers run on the lexical engine (`[faq] engine = "lexical"`): these tests are about the
behaviour around the matcher, not its accuracy (see docs/faq-matching.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import create_bot
from bot.scheduling import make_scheduler
from bot.services.faq_base import parse_base
from bot.services.groups import PlannedGroupView
from bot.settings import FaqSection, replace
from storage.db import make_session_factory
from tests.helpers import final_text, locale, school

BASE = Path(__file__).resolve().parents[1] / "data" / "faq" / "base.toml"

NEW_ENTRY = b"""
[[faq]]
id = "library-card"
question = "Comment obtenir ma carte de bibliotheque universitaire ?"
variants = ["carte BU", "acces a la bibliotheque"]
answer = "Demandez la **carte BU** a l'accueil de la bibliotheque avec votre certificat de scolarite."
tags = ["bibliotheque"]
lang = "fr"
"""

BAD_CSV = (
    b"id,question,variants,answer,tags,lang\n"
    b"ok-1,Une question ?,,Une reponse,,fr\n"
    b"bad id!,Deuxieme ?,,Reponse,,fr\n"
    b"ok-3,,,Reponse sans question,,fr\n"
    b"ok-4,Langue ?,,Reponse,,de\n"
)


@pytest.fixture
def simcord_bot(settings, sqlite_engine, clock):
    lexical = replace(settings, faq=FaqSection(engine="lexical"))
    return create_bot(lexical, make_session_factory(sqlite_engine), make_scheduler(), clock)


@pytest_asyncio.fixture
async def world(simcord_env):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = await school(simcord_env, 3)
    help_channel = guild.create_text_channel("entraide")
    with locale("fr"):
        await teacher.slash(
            general,
            "course setup",
            learner_role=learner_role,
            teacher_role=teacher_role,
            staff_channel=staff,
        )
    return env, guild, general, staff, help_channel, teacher, learners


async def import_file(teacher, channel, name: str, data: bytes, **options):
    with locale("fr"):
        return await teacher.slash(channel, "faqbase import", file=(name, data), **options)


async def import_base(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    result = await import_file(teacher, general, "base.toml", BASE.read_bytes())
    assert "32 ajoutée(s)" in final_text(result)
    return result


async def ask(member, channel, question: str, lang: str = "fr"):
    with locale(lang):
        return await member.slash(channel, "faq ask", question=question)


async def click(member, message, label: str, lang: str = "fr"):
    with locale(lang):
        return await member.click(message, label=label)


def answer_of(result):
    return result.followups[-1] if result.followups else result.response


async def test_import_with_bad_rows_imports_nothing_and_lists_the_rows(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    result = await import_file(teacher, general, "faq.csv", BAD_CSV)
    text = final_text(result)
    assert "rien n'a été importé" in text
    assert "Ligne 3" in text and "bad id!" in text
    assert "Ligne 4" in text and "question manquante" in text
    assert "Ligne 5" in text and "« de »" in text
    assert "Ligne 2" not in text
    with locale("fr"):
        listing = await teacher.slash(general, "faqbase list")
    assert "vide" in final_text(listing)  # not even the good row


async def test_import_from_an_lms_export_ignores_its_extra_columns_and_says_so(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    export = (
        "ID;Question;Variantes;Réponse;Catégorie;Auteur\n"
        "bu;Comment obtenir ma carte de bibliothèque ?;carte BU;À l'accueil de la BU.;vie étudiante;M. Roy\n"
    ).encode("cp1252")
    result = await import_file(teacher, general, "export.csv", export)
    text = final_text(result)
    assert "1 ajoutée(s)" in text
    assert "ignoré(s)" in text and "Catégorie, Auteur" in text
    answer = answer_of(await ask(learners[0], general, "comment avoir la carte BU ?"))
    assert answer.embeds[0].title == "Comment obtenir ma carte de bibliothèque ?"


async def test_confident_answer_share_and_helpful_vote(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    result = await ask(learners[0], general, "c quand les exams ?")
    message = answer_of(result)
    assert message.ephemeral
    embed = message.embeds[0]
    assert embed.title == "Quand ont lieu les examens ?"
    assert "**13 au 17 janvier**" in embed.description  # the teacher's markdown, kept
    assert "sûr" in embed.footer.text
    voted = await click(learners[0], message, "Utile")
    assert "Merci" in final_text(voted)
    voted_again = await click(learners[0], message, "Utile")  # one vote, changeable
    assert voted_again.response.ephemeral

    shared = await click(learners[0], message, "Partager dans le salon")
    public = shared.response
    assert not public.ephemeral
    assert public.embeds[0].title == "Quand ont lieu les examens ?"
    assert "learner0" in public.embeds[0].footer.text
    assert public.message.channel.id == general.id
    requests = [r for r in env.http_requests if "callback" in r.path]
    assert requests[-1].json["data"]["allowed_mentions"] == {"parse": []}


async def test_not_sure_gives_the_closest_and_alternatives(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    result = await ask(learners[0], general, "les examens a distance et les dates")
    message = answer_of(result)
    assert "pas sûr" in message.content
    assert "Questions proches" in message.content
    assert message.content.count("• ") == 2
    assert "pas sûr" in message.embeds[0].footer.text
    labels = [c["label"] for row in message.components for c in row["components"]]
    assert "Partager dans le salon" not in labels  # an uncertain answer is not spread
    assert "Demander à un enseignant" in labels
    # each close entry listed opens its own answer, privately, without asking again
    shown = [label for label in labels if label.startswith("📖 ")]
    assert len(shown) == 2 and message.embeds[0].title not in {label[2:] for label in shown}
    opened = answer_of(await click(learners[0], message, shown[0]))
    assert opened.ephemeral and opened.embeds[0].title == shown[0][2:]
    assert "proche de votre question" in opened.embeds[0].footer.text


async def test_nothing_matches_says_so_and_asks_a_teacher(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    with locale("en-US"):
        result = await learners[1].slash(general, "faq ask", question="recette de la tarte aux pommes ?")
    message = answer_of(result)
    assert message.content.startswith("I don't know")
    assert not message.embeds
    clicked = await click(learners[1], message, "Ask a teacher", "en")
    assert "passed on" in final_text(clicked)
    posted = [m for m in staff.history() if "tarte aux pommes" in m.content]
    assert len(posted) == 1
    assert f"https://discord.com/channels/{guild.id}/{general.id}" in posted[0].content
    assert f"<@{learners[1].id}>" in posted[0].content
    again = await click(learners[1], message, "Ask a teacher", "en")
    assert "already" in final_text(again)
    assert len([m for m in staff.history() if "tarte aux pommes" in m.content]) == 1


async def test_a_staff_post_discord_refuses_gets_a_clear_answer_and_a_retry(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    message = answer_of(await ask(learners[0], general, "recette de la tarte aux pommes ?"))
    env.inject_error(
        "POST", f"/channels/{staff.id}/messages", status=403, code=50013, message="Missing Permissions"
    )
    refused = await click(learners[0], message, "Demander à un enseignant")
    assert "il me manque une permission" in final_text(refused)
    env.inject_error("POST", f"/channels/{staff.id}/messages", status=503)
    down = await click(learners[0], message, "Demander à un enseignant")
    assert "Discord ne répond pas" in final_text(down)
    assert not [m for m in staff.history() if "tarte aux pommes" in m.content]
    # once the permission is back, the same button works: the refused attempt claimed nothing
    again = await click(learners[0], message, "Demander à un enseignant")
    assert "transmise" in final_text(again)
    assert len([m for m in staff.history() if "tarte aux pommes" in m.content]) == 1


async def test_not_helpful_and_unanswered_questions_become_grouped_gaps(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    for member, question in [
        (learners[0], "ou trouver la recette de la tarte aux pommes ?"),
        (learners[1], "la recette de tarte aux pommes svp ?"),
        (learners[2], "quel est le code wifi du campus ?"),
    ]:
        await ask(member, general, question)
    result = await ask(learners[0], general, "c quand les exams ?")
    voted = await click(learners[0], answer_of(result), "Pas utile")
    assert "manque à la FAQ" in final_text(voted)
    with locale("fr"):
        gaps = await teacher.slash(general, "faqbase gaps")
    text = gaps.response.embeds[0].description
    assert "**×2**" in text and "tarte aux pommes" in text
    assert "wifi" in text
    assert "c quand les exams ?" in text and "`exam-dates`" in text
    assert text.index("×2") < text.index("wifi")  # most asked first
    with locale("fr"):
        cleared = await teacher.slash(general, "faqbase gaps", clear=True)
    assert "4 question(s)" in final_text(cleared)


async def test_import_then_ask_finds_the_new_entry_without_restart(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    before = answer_of(await ask(learners[0], general, "comment avoir la carte BU ?"))
    library = "Comment obtenir ma carte de bibliotheque universitaire ?"
    assert not before.embeds or before.embeds[0].title != library
    result = await import_file(teacher, general, "new.toml", NEW_ENTRY)
    assert "1 ajoutée(s), 0 mise(s) à jour" in final_text(result) and "33 entrées" in final_text(result)
    after = answer_of(await ask(learners[0], general, "comment avoir la carte BU ?"))
    assert after.embeds[0].title == library


async def test_add_edit_remove_through_modals_update_the_live_matcher(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    await ask(learners[0], general, "c quand les exams ?")  # the matcher is built now
    with locale("fr"):
        shown = await teacher.slash(general, "faqbase add")
    assert shown.modal is not None
    with locale("fr"):
        saved = await teacher.submit_modal(
            shown,
            {
                "question": "Où garer mon vélo sur le campus ?",
                "variants": "parking velo\nstationnement des vélos",
                "answer": "Des arceaux sont devant le **bâtiment B**.",
                "tags": "campus, vélo",
                "lang": "fr",
            },
        )
    assert "`ou-garer-mon-velo-sur-le-campus` ajoutée" in final_text(saved)
    found = answer_of(await ask(learners[0], general, "ou garer mon velo ?"))
    assert "bâtiment B" in found.embeds[0].description

    with locale("fr"):
        shown = await teacher.slash(general, "faqbase edit", id="ou-garer-mon-velo-sur-le-campus")
    fields = {c["custom_id"]: c.get("value") for row in shown.modal["components"] for c in row["components"]}
    assert fields["variants"] == "parking velo\nstationnement des vélos"  # prefilled
    with locale("fr"):
        saved = await teacher.submit_modal(
            shown, {**fields, "answer": "Des arceaux sont devant le **bâtiment C**."}
        )
    assert "modifiée" in final_text(saved)
    found = answer_of(await ask(learners[0], general, "ou garer mon velo ?"))
    assert "bâtiment C" in found.embeds[0].description

    with locale("fr"):
        bad = await teacher.slash(general, "faqbase add")
        refused = await teacher.submit_modal(bad, {"question": "Langue ?", "answer": "x", "lang": "de"})
    assert "n'a pas été enregistrée" in final_text(refused) and "« de »" in final_text(refused)

    with locale("fr"):
        removed = await teacher.slash(general, "faqbase remove", id="ou-garer-mon-velo-sur-le-campus")
    assert "supprimée" in final_text(removed)
    gone = answer_of(await ask(learners[0], general, "ou garer mon velo ?"))
    assert not gone.embeds or "arceaux" not in gone.embeds[0].description


async def test_export_round_trip(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    with locale("fr"):
        exported = await teacher.slash(general, "faqbase export", format="toml")
    attachment = exported.response.attachments[0]
    data = await attachment.read()
    assert parse_base(attachment.filename, data).entries == sorted(
        parse_base("base.toml", BASE.read_bytes()).entries, key=lambda e: e.id
    )
    again = await import_file(teacher, general, attachment.filename, data)
    assert "0 ajoutée(s), 32 mise(s) à jour" in final_text(again)
    with locale("fr"):
        csv = await teacher.slash(general, "faqbase export", format="csv")
    csv_file = csv.response.attachments[0]
    assert csv_file.filename.endswith(".csv")
    assert len(parse_base(csv_file.filename, await csv_file.read()).entries) == 32
    with locale("fr"):
        listing = await teacher.slash(general, "faqbase list", page=2)
    assert "Page 2/2" in listing.response.embeds[0].footer.text


async def test_auto_suggest_in_help_channel_once_per_minute(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    with locale("fr"):
        marked = await teacher.slash(general, "faqbase helpchannel", channel=help_channel)
    assert "salon d'entraide" in final_text(marked)
    await learners[0].send(help_channel, "bonjour tout le monde")  # not a question
    asked = await learners[0].send(help_channel, "c quand les exams ?")
    replies = [m for m in help_channel.history() if m.author.id == env.bot.user.id]
    assert len(replies) == 1
    suggestion = replies[0]
    assert suggestion.reference.message_id == asked.id
    assert suggestion.embeds[0].title == "Quand ont lieu les examens ?"
    await learners[1].send(help_channel, "jai oublie mon mot de passe ?")
    assert len([m for m in help_channel.history() if m.author.id == env.bot.user.id]) == 1  # rate limit
    voted = await click(learners[1], suggestion, "Pas ça")
    assert "Merci" in final_text(voted)

    env.bot.clock.advance(minutes=2)
    await learners[1].send(help_channel, "jai oublie mon mot de passe ?")
    replies = [m for m in help_channel.history() if m.author.id == env.bot.user.id]
    assert len(replies) == 2
    assert "mot de passe" in replies[1].embeds[0].title

    env.bot.clock.advance(minutes=2)
    await learners[2].send(help_channel, "recette de la tarte aux pommes ?")  # not confident: nothing
    assert len([m for m in help_channel.history() if m.author.id == env.bot.user.id]) == 2

    with locale("fr"):
        gaps = await teacher.slash(general, "faqbase gaps")
    assert "`exam-dates` ×1" in gaps.response.embeds[0].description  # "not this" is counted


async def test_auto_suggest_in_forum_posts_of_a_help_forum(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    forum = guild.create_forum_channel("questions")
    with locale("fr"):
        await teacher.slash(general, "faqbase helpchannel", channel=forum)
    forum_channel = env.bot.get_channel(forum.id)
    await forum_channel.create_thread(name="Examens", content="Fil ouvert pour les examens")
    await env.settle()
    (post,) = forum.threads
    await learners[0].send(post, "c quand les exams ?")
    replies = [m for m in post.history() if m.author.id == env.bot.user.id and m.embeds]
    assert replies and replies[0].embeds[0].title == "Quand ont lieu les examens ?"


async def test_no_auto_suggest_in_group_channels_unless_the_course_allows_it(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    svc = env.bot.services
    course = (await svc.courses.list(guild.id))[0]
    group_channel = guild.create_text_channel("groupe-1")
    preview = await svc.groups.save_preview(
        course, "random", 1, teacher.id, [PlannedGroupView(tuple(m.id for m in learners), 0.0)]
    )
    (group,) = await svc.groups.confirm(preview.formation_id)
    await svc.groups.attach_channel(group.id, group_channel.id)

    await learners[0].send(group_channel, "c quand les exams ?")
    assert not [m for m in group_channel.history() if m.author.id == env.bot.user.id]

    with locale("fr"):
        allowed = await teacher.slash(general, "faqbase groupchannels", enabled=True)
    assert "reçoivent aussi" in final_text(allowed)
    await learners[1].send(group_channel, "c quand les exams ?")
    assert len([m for m in group_channel.history() if m.author.id == env.bot.user.id]) == 1


async def test_learners_cannot_manage_the_base(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    visible = learners[0].available_commands(general)
    assert "faq ask" in visible
    assert not [c for c in visible if c.startswith("faqbase")]


async def test_a_teacher_turns_a_gap_into_a_variant_with_one_click(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    question = "on compose quand en janvier"
    unsure = await ask(learners[0], general, question)
    assert answer_of(unsure).embeds[0].title == "Quand ont lieu les examens ?"
    assert "pas sûr" in final_text(unsure)
    await ask(learners[1], general, "quel est le code wifi du campus ?")  # a gap with no close entry
    with locale("fr"):
        gaps = await teacher.slash(general, "faqbase gaps")
    listing = gaps.response
    assert f"`1` **×1** « {question} » (proche de `exam-dates`)" in listing.embeds[0].description
    labels = [c["label"] for row in listing.components for c in row["components"]]
    assert labels == ["N° 1 → variante de exam-dates"]  # the wifi question has no entry to go to

    taught = await click(teacher, listing, labels[0])
    assert taught.response.ephemeral
    assert f"« {question} » est maintenant une variante de `exam-dates`" in final_text(taught)
    assert "1 question(s) retirée(s)" in final_text(taught)

    sure = await ask(learners[2], general, "On compose quand en janvier ?")
    assert answer_of(sure).embeds[0].title == "Quand ont lieu les examens ?"
    assert "pas sûr" not in (final_text(sure) or "")
    with locale("fr"):
        edited = await teacher.slash(general, "faqbase edit", id="exam-dates")
    fields = {c["custom_id"]: c.get("value") for row in edited.modal["components"] for c in row["components"]}
    assert fields["variants"].splitlines()[-1] == question  # a real variant, the teacher can edit it
    with locale("fr"):
        after = await teacher.slash(general, "faqbase gaps")
    remaining = after.response.embeds[0].description
    assert question not in remaining and "wifi" in remaining
    again = await click(teacher, listing, labels[0])  # the old listing's button: nothing left to do
    assert "n'est plus dans la liste" in final_text(again)


async def test_the_close_entry_a_learner_opens_is_the_one_a_teacher_is_offered(world):
    env, guild, general, staff, help_channel, teacher, learners = world
    await import_base(world)
    result = await ask(learners[0], general, "qd est ce quon passe les partiels de janvier")
    message = answer_of(result)
    assert message.embeds[0].title == "Quand ont lieu les examens ?" and "pas sûr" in final_text(result)
    labels = [c["label"] for row in message.components for c in row["components"]]
    registration = next(label for label in labels if "inscrire" in label)
    opened = answer_of(await click(learners[0], message, registration))
    assert opened.embeds[0].title == "Comment m'inscrire aux examens ?"
    with locale("fr"):
        gaps = await teacher.slash(general, "faqbase gaps")
    assert "(proche de `exam-registration`)" in gaps.response.embeds[0].description
    buttons = [c["label"] for row in gaps.response.components for c in row["components"]]
    assert buttons == ["N° 1 → variante de exam-registration"]
