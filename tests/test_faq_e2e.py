"""End to end: a base loaded with `python -m bot faq import`, then `python -m bot` against the
loopback Discord answers `/faq ask` in time (deferred while its index is built) and sees an
entry imported while it runs, with spec-valid requests that ping no one, and suggests an answer
under a help-channel question — with the default engine (USE + words), as a server gets it."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import discord

from tests.e2e import db_env
from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


async def test_faq_ask_end_to_end(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    guild = server.add_guild("Licence", preferred_locale="fr")
    gid = guild["id"]
    channel = server.add_channel(gid, "general")
    help_channel = server.add_channel(gid, "entraide")
    forum = server.add_channel(gid, "questions", type=15, available_tags=[], default_forum_layout=0)
    user = server.add_user("lea")
    server.add_member(gid, user["id"])
    admin = server.add_role(gid, "Admin", permissions=discord.Permissions(manage_guild=True).value)
    prof = server.add_user("prof")
    server.add_member(gid, prof["id"], roles=[admin["id"]])
    config = tmp_path / "config.toml"
    config.write_text('[faq]\nengine = "auto"\n', encoding="utf-8")  # the default: USE + words

    async def faq_import(path: Path) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "faq",
            "import",
            str(path),
            "--guild",
            gid,
            cwd=ROOT,
            env={**os.environ, **db_env(tmp_path)},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, stderr.decode()

    await faq_import(ROOT / "data" / "faq" / "base.toml")

    async with bot_process(server, "--config", str(config), env=db_env(tmp_path)):
        sync = await server.wait_for_request("PUT", "/applications/*/commands", 10)
        names = {c["name"] for c in sync.json}
        assert {"faq", "faqbase"} <= names
        await asyncio.sleep(2.5)  # discord.py's guild_ready_timeout

        asked = await server.send_slash(
            gid, channel["id"], user["id"], "faq ask", {"question": "c quand les exams ?"}
        )
        start = time.monotonic()
        body = await server.wait_interaction_response(asked, 3)
        assert time.monotonic() - start < 3
        assert body["data"]["flags"] & 64  # ephemeral
        if body["type"] == 5:  # deferred while the index was built: the answer follows
            await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is asked, 15)
            answer = asked.followups[-1]
        else:
            answer = body["data"]
        assert answer["embeds"][0]["title"] == "Quand ont lieu les examens ?"
        assert "sûr" in answer["embeds"][0]["footer"]["text"]
        assert answer.get("allowed_mentions", {"parse": []}) == {"parse": []}
        custom_ids = [c["custom_id"] for row in answer["components"] for c in row["components"]]
        assert any(c.startswith("faq:share:") for c in custom_ids)

        again = await server.send_slash(
            gid, channel["id"], user["id"], "faq ask", {"question": "jai oublie mon mot de passe ?"}
        )
        body = await server.wait_interaction_response(again, 3)
        assert body["type"] == 4  # the index is ready now: answered at once
        assert "mot de passe" in body["data"]["embeds"][0]["title"]

        # a teacher adds an entry from the command line while the bot runs: no restart needed
        extra = tmp_path / "parking.toml"
        extra.write_text(
            '[[faq]]\nid = "parking"\nquestion = "Où se garer pour venir au campus ?"\n'
            'variants = ["Y a-t-il un parking étudiant ?"]\n'
            'answer = "Le parking P3 est ouvert aux étudiants, avec le badge de l\'accueil."\n',
            encoding="utf-8",
        )
        await faq_import(extra)
        parked = await server.send_slash(
            gid, channel["id"], user["id"], "faq ask", {"question": "on peut se garer ou au campus ?"}
        )
        body = await server.wait_interaction_response(parked, 3)
        assert body["type"] == 4
        assert body["data"]["embeds"][0]["title"] == "Où se garer pour venir au campus ?"

        marked = await server.send_slash(
            gid, channel["id"], prof["id"], "faqbase helpchannel", {"channel": help_channel["id"]}
        )
        body = await server.wait_interaction_response(marked, 3)
        assert "entraide" in body["data"]["content"] or help_channel["id"] in body["data"]["content"]
        question = await server.send_message_create(help_channel["id"], user["id"], "c quand les exams ?")
        posted = await server.wait_for_request("POST", f"/channels/{help_channel['id']}/messages", 10)
        assert posted.status == 200 and posted.spec_template
        assert str(posted.json["message_reference"]["message_id"]) == question["id"]
        assert posted.json["allowed_mentions"]["parse"] == []
        assert posted.json["embeds"][0]["title"] == "Quand ont lieu les examens ?"

        # a forum marked as help channel: a learner opens a post whose title is the question
        marked = await server.send_slash(
            gid, channel["id"], prof["id"], "faqbase helpchannel", {"channel": forum["id"]}
        )
        await server.wait_interaction_response(marked, 3)
        post = server.add_channel(
            gid,
            "c'est quand les partiels ?",
            type=11,
            parent_id=forum["id"],
            owner_id=user["id"],
            message_count=0,
            member_count=1,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2026-11-21T10:00:00+00:00",
                "locked": False,
            },
        )
        await server.dispatch("THREAD_CREATE", {**post, "newly_created": True})
        # the body alone is no question: the title is what the bot answers
        opening = await server.send_message_create(
            post["id"], user["id"], "Je dois poser mes congés au travail.", message_id=post["id"]
        )
        posted = await server.wait_for_request("POST", f"/channels/{post['id']}/messages", 10)
        assert posted.status == 200 and posted.spec_template
        assert str(posted.json["message_reference"]["message_id"]) == opening["id"]
        assert posted.json["embeds"][0]["title"] == "Quand ont lieu les examens ?"
        server.assert_no_violations()
