"""The whole teacher flow through real discord.py (SimCord): course setup → profiles →
/groups form → preview → confirm → private channels with the right overwrites → icebreaker."""

from __future__ import annotations

import re

import discord
import pytest
import pytest_asyncio

from bot.app import create_bot
from bot.scheduling import make_scheduler
from bot.services.groups import PlannedGroupView, channel_mark
from storage.db import make_session_factory
from tests.helpers import final_text, locale, school

AVAIL = [
    "lun 20:00-22:00, mer 20:00-22:00",
    "lundi 20h-23h, jeudi 21h-22h",
    "mon 8pm-10pm, wed 8pm-10pm",
    "lun 19h-21h, mer 20h30-22h",
    "sam 09:00-12:00",
    "samedi 9h-11h, dim 10h-12h",
    "sat 10am-12pm",
    "sam 08:00-10:30, dim 9h-10h",
    "lun-ven 21h-23h",
    "mer 20h-23h",
    "sam 9h-12h",
    "lun 20h-22h",
]


@pytest_asyncio.fixture
async def world(simcord_env):
    return await school(simcord_env, 12)


def plan_two(learners):
    ids = [a.id for a in learners]
    return [PlannedGroupView(tuple(ids[:6]), 0.0), PlannedGroupView(tuple(ids[6:]), 0.0)]


async def setup_course(world, **extra):
    env, guild, general, staff, teacher_role, learner_role, teacher, _ = world
    options = {"timezone": "Europe/Paris", "start_date": "2026-09-07", **extra}
    with locale("fr"):
        return await teacher.slash(
            general,
            "course setup",
            learner_role=learner_role,
            teacher_role=teacher_role,
            staff_channel=staff,
            **options,
        )


async def test_course_setup_then_settings(world):
    env, guild, general, *_ = world
    teacher = world[6]
    result = await setup_course(world)
    assert result.ephemeral
    assert "Cours **Apprenants L1** créé" in result.response.content
    with locale("en-US"):
        shown = await teacher.slash(general, "course settings", group_max=7, meetup_min_attendees=4)
    assert "updated" in shown.response.content
    assert "5–7" in shown.response.embeds[0].description
    assert "Minimum attendees for a meetup:** 4" in shown.response.embeds[0].description


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"start_date": "demain"}, "Je n'ai pas compris la date « demain »"),
        ({"timezone": "Pariss"}, "Pariss"),
        ({"group_min": 6, "group_max": 5}, "min 6, max 5"),
    ],
)
async def test_course_setup_bad_input_is_explained(world, options, needle):
    env, guild, general, staff, teacher_role, learner_role, teacher, _ = world
    base = dict(learner_role=learner_role, teacher_role=teacher_role, staff_channel=staff)
    base.update(options)
    with locale("fr"):
        result = await teacher.slash(general, "course setup", **base)
    assert result.ephemeral
    assert needle in result.response.content
    with locale("fr"):
        listing = await teacher.slash(general, "course settings")
    assert "pas encore de cours" in listing.response.content  # nothing half-written


async def test_course_start_date_as_a_teacher_writes_it(world):
    env, guild, general, *_ = world
    teacher = world[6]
    created = await setup_course(world, start_date="lundi 7 septembre 2026")
    assert "créé" in created.response.content
    with locale("fr"):
        shown = await teacher.slash(general, "course settings", start_date="1er sept. 2026")
    assert "2026-09-01" in shown.response.embeds[0].description


async def test_learner_cannot_run_teacher_commands(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    visible = learners[0].available_commands(general)
    assert not [c for c in visible if c.startswith(("groups", "course"))]
    assert {"help", "mygroup", "profile set", "profile show"} <= set(visible)
    # An admin shows /groups to learners by mistake: the server-side check still refuses.
    commands = await env.bot.tree.fetch_commands()
    guild.set_command_permissions(next(c for c in commands if c.name == "groups"), {learner_role: True})
    with locale("fr"):
        result = await learners[0].slash(general, "groups list")
    assert result.ephemeral
    assert "pas le droit" in result.response.content


async def test_profile_set_and_show(world):
    env, guild, general, *_, learners = world
    with locale("fr"):
        result = await learners[0].slash(
            general, "profile set", city="Brest", region="Bretagne", availability="lun 20h-22h, sam 9h-12h",
            about="Aide-soignante, je reprends mes études",
        )
    assert "Profil enregistré" in result.response.content
    card = result.response.embeds[0]
    fields = {f.name: f.value for f in card.fields}
    assert fields["📍 Où"] == "Brest, Bretagne"
    assert "20:00" in fields["📅 Disponibilités"]
    with locale("en-US"):
        shown = await learners[1].slash(general, "profile show", member=learners[0])
    assert shown.response.embeds[0].title == "learner00"


async def test_a_place_without_a_timezone_gives_the_places_zone(world):
    env, guild, general, *_, learners = world
    with locale("fr"):
        result = await learners[0].slash(
            general, "profile set", city="Pointe-à-Pitre", availability="lun 20h-22h"
        )
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["🕒 Fuseau"].startswith("America/Guadeloupe (d'après le lieu")
    view = await env.bot.services.profiles.get(guild.id, learners[0].id)
    assert (view.timezone, view.timezone_guessed) == ("America/Guadeloupe", True)
    with locale("en-US"):  # a zone given is theirs, shown as given
        result = await learners[0].slash(general, "profile set", timezone="Europe/Paris")
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["🕒 Timezone"] == "Europe/Paris"


async def test_unreadable_availability_gets_an_example(world):
    env, guild, general, *_, learners = world
    with locale("en-US"):
        result = await learners[0].slash(general, "profile set", availability="whenever I can")
    assert result.ephemeral
    text = result.response.content
    assert "whenever" in text and "Example" in text or "example" in text
    with locale("fr"):
        shown = await learners[0].slash(general, "profile show")
    assert "Pas encore de profil" in shown.response.embeds[0].description


async def form_and_confirm(world, strategy="availability"):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    for actor, avail in zip(learners, AVAIL, strict=True):
        await actor.slash(general, "profile set", availability=avail, region="Bretagne")
    with locale("fr"):
        preview = await teacher.slash(general, "groups form", strategy=strategy)
    assert preview.ephemeral
    embed = preview.response.embeds[0]
    assert embed.title == "Aperçu : 2 groupes pour 12 apprenants"
    assert "Rien n'est créé" in embed.footer.text
    before = len(env.http_requests)
    with locale("fr"):
        confirmed = await teacher.click(preview.response.message, label="Confirmer et créer les salons")
    return preview, confirmed, env.http_requests[before:]


@pytest.mark.parametrize(
    ("user_locale", "shared", "not_given", "note"),
    [
        ("fr", "10 h/sem en commun", " · disponibilités non renseignées : ",
         "2 apprenant(s) n'ont pas donné leurs disponibilités"),
        ("en-US", "10 h/week shared", " · no availability given: ", "2 learner(s) gave no availability"),
    ],
)
async def test_preview_names_who_gave_no_availability(world, user_locale, shared, not_given, note):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    for actor in learners[:10]:
        await actor.slash(general, "profile set", availability="lun-ven 21h-23h", region="Bretagne")
    await learners[10].slash(general, "profile set", city="Brest")  # a profile without availability
    # learners[11] never wrote a profile: unknown availability too
    with locale(user_locale):
        preview = await teacher.slash(general, "groups form", strategy="availability")
    text = preview.response.embeds[0].description
    assert note in text
    lines = [line for line in text.splitlines() if line.startswith("**") and "—" in line]
    assert len(lines) == 2
    named = []
    for line in lines:  # one per group, and the others' evenings still count as shared
        assert shared + not_given in line
        named.append(line.split(not_given)[1].split(" · ")[0])
    assert sorted(named) == ["learner10", "learner11"]


async def test_form_preview_confirm_creates_private_channels_with_overwrites(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    preview, confirmed, requests = await form_and_confirm(world)
    assert "2 groupes créés" in final_text(confirmed)

    creates = [r for r in requests if r.method == "POST" and r.path.endswith("/channels")]
    categories = [r for r in creates if r.json["type"] == 4]
    texts = [r for r in creates if r.json["type"] == 0]
    assert len(categories) == 1 and categories[0].json["name"] == "Groupes Apprenants L1"
    assert sorted(r.json["name"] for r in texts) == ["groupe-1", "groupe-2"]
    assert not [r for r in requests if "/permissions/" in r.path]  # overwrites inside the create call
    member_ids = {a.id for a in learners}
    placed = set()
    for r in texts:
        ow = {int(o["id"]): o for o in r.json["permission_overwrites"]}
        everyone = ow[guild.id]
        assert int(everyone["deny"]) & discord.Permissions(view_channel=True).value
        members = [i for i in ow if i in member_ids]
        assert 5 <= len(members) <= 6
        for i in members:
            assert int(ow[i]["allow"]) & discord.Permissions(view_channel=True, send_messages=True).value
        assert teacher_role.id not in ow  # teachers do not see groups by default
        placed.update(members)
        assert r.json["parent_id"]
    assert placed == member_ids

    channels = [c for c in guild.channels.values() if c.name and c.name.startswith("groupe-")]
    assert len(channels) == 2
    for ch in channels:
        first = ch.last_message
        assert "vous avez sans doute des choses à vous dire" in first.content
        assert 5 <= len(first.embeds) <= 6


async def test_confirm_twice_creates_nothing_more(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    preview, confirmed, _ = await form_and_confirm(world)
    before = len(env.http_requests)
    with locale("fr"):
        again = await teacher.click(preview.response.message, label="Confirmer et créer les salons")
    assert "déjà été confirmé" in again.response.content
    assert not [r for r in env.http_requests[before:] if r.method == "POST" and r.path.endswith("/channels")]
    with locale("fr"):
        nothing = await teacher.slash(general, "groups form", strategy="random")
    assert "Aucun apprenant à placer" in nothing.response.content


async def test_cancel_creates_nothing(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    with locale("en-US"):
        preview = await teacher.slash(general, "groups form", strategy="alphabetical")
        cancelled = await teacher.click(preview.response.message, label="Cancel")
    assert "nothing was created" in cancelled.response.content
    assert not [c for c in guild.channels.values() if c.name and c.name.startswith("groupe-")]


async def test_list_mygroup_move(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await form_and_confirm(world)
    with locale("fr"):
        listing = await teacher.slash(general, "groups list")
    text = listing.response.embeds[0].description
    assert "**Groupe 1**" in text and "**Groupe 2**" in text
    assert "Apprenants sans groupe : 0" in text

    with locale("fr"):
        mine = await learners[0].slash(general, "mygroup")
    assert mine.response.embeds[0].title.startswith("Votre groupe : groupe")
    assert "aucune pour l'instant" in mine.response.embeds[0].description
    number = int(re.search(r"groupe (\d+)", mine.response.embeds[0].title).group(1))
    other = 2 if number == 1 else 1
    with locale("fr"):
        moved = await teacher.slash(general, "groups move", member=learners[0], group=other)
    assert f"est maintenant dans le groupe {other}" in moved.response.content
    with locale("fr"):
        mine = await learners[0].slash(general, "mygroup")
    assert f"groupe {other}" in mine.response.embeds[0].title


async def test_channel_deleted_by_hand_is_reported_and_repaired(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await form_and_confirm(world)
    channel = next(c for c in guild.channels.values() if c.name == "groupe-1")
    env.backend.delete_channel(channel.id)  # someone deletes it by hand in the Discord client
    await env.settle()
    assert "a été supprimé à la main" in staff.last_message.content
    with locale("fr"):
        listing = await teacher.slash(general, "groups list")
    assert "salon manquant" in listing.response.embeds[0].description
    with locale("fr"):
        repaired = await teacher.slash(general, "groups repair")
    assert "Salons recréés" in final_text(repaired)
    assert len([c for c in guild.channels.values() if c.name == "groupe-1"]) == 1


async def test_bot_without_manage_roles_creates_nothing_and_says_which_permission(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    bot_role = next(r for r in env.bot.get_guild(guild.id).me.roles if not r.is_default())
    perms = discord.Permissions.all()
    perms.administrator = False
    perms.manage_roles = False
    env.backend.edit_role(guild.id, bot_role.id, {"permissions": perms.value})
    await env.settle()
    with locale("en-US"):
        result = await teacher.slash(general, "groups form", strategy="random")
    assert result.ephemeral
    assert "I am missing the permission: Manage Roles" in result.response.content
    assert not [r for r in env.http_requests if r.method == "POST" and r.path.endswith("/channels")]


async def test_rerun_after_a_crash_adopts_the_channel_instead_of_duplicating(world):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await setup_course(world)
    svc = env.bot.services
    course = (await svc.courses.list(guild.id))[0]
    groups = await svc.groups.confirm(
        (await svc.groups.save_preview(course, "random", 0, teacher.id, plan_two(learners))).formation_id
    )
    # The previous process created group 1's channel, then crashed before recording it.
    category = guild.create_category("Groupes Apprenants L1")
    orphan = guild.create_text_channel("groupe-1", category=category, topic=f"x {channel_mark(groups[0].id)}")
    await env.settle()
    with locale("fr"):
        repaired = await teacher.slash(general, "groups repair")
    assert "Salons recréés" in final_text(repaired)
    names = sorted(c.name for c in guild.channels.values() if c.name and c.name.startswith("groupe-"))
    assert names == ["groupe-1", "groupe-2"]
    assert (await svc.groups.get(groups[0].id)).channel_id == orphan.id


async def test_channel_deleted_while_the_bot_was_away_is_reported_on_start(
    world, settings, sqlite_engine, clock
):
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await form_and_confirm(world)
    channel = next(c for c in guild.channels.values() if c.name == "groupe-2")
    await env.bot.close()  # the bot is away…
    env.backend.delete_channel(channel.id)  # …when someone deletes the channel
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    assert "**groupe 2**" in staff.last_message.content
    assert "supprimé à la main" in staff.last_message.content
