"""End to end: /mydata export and /mydata delete from `python -m bot` against the loopback Discord
(every request checked against Discord's OpenAPI spec; the fixture fails on any violation)."""

from __future__ import annotations

from tests.e2e import answered_within, click_ephemeral, cohort, db_env, ready
from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401


async def test_export_then_erase_end_to_end(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    world = cohort(server, learners=1)
    lea = world.learners[0]["id"]
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        saved = await server.send_slash(
            world.gid, world.general["id"], lea, "profile set", {"city": "Cayenne"}, locale="fr"
        )
        await answered_within(server, saved, 3)

        export = await server.send_slash(world.gid, world.general["id"], lea, "mydata export", locale="fr")
        body, took = await answered_within(server, export, 3)
        assert took < 3 and body["type"] == 5 and body["data"]["flags"] & 64
        await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is export, 10)
        sent = export.followups[0]
        assert sent["flags"] & 64  # only the member sees their data
        assert sent["attachments"][0]["filename"] == f"mydata-{world.gid}-{lea}.json"
        assert sent["attachments"][0]["size"] > 0
        assert "profil : 1" in sent["content"]

        delete = await server.send_slash(world.gid, world.general["id"], lea, "mydata delete", locale="fr")
        body, _ = await answered_within(server, delete, 3)
        assert body["type"] == 4 and body["data"]["flags"] & 64
        click = await click_ephemeral(server, world, body, f"mydata:erase:{lea}", lea)
        body, took = await answered_within(server, click, 3)
        assert took < 3 and body["type"] == 6
        await server.wait_for(lambda kind, data: kind == "interaction_edit" and data is click, 10)
        assert click.edits[-1]["content"].startswith("C'est fait : 1 élément(s) effacé(s)")
        assert click.edits[-1]["components"] == [] and click.edits[-1]["embeds"] == []

        shown = await server.send_slash(world.gid, world.general["id"], lea, "profile show", locale="fr")
        body, _ = await answered_within(server, shown, 3)
        assert body["data"]["embeds"][0]["description"].startswith("Pas encore de profil")
