"""REST handlers of the loopback Discord: one small function per implemented route.

Handlers take the server and a parsed request and return ``(status, json_body)``; raising
``DiscordError`` answers a Discord-shaped error.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .state import InteractionRecord, normalize_overwrite, now_iso

if TYPE_CHECKING:
    from .server import LoopbackDiscord

EPHEMERAL, LOADING = 1 << 6, 1 << 7


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    json: Any = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # part name -> (filename, content)
    params: dict[str, str] = field(default_factory=dict)  # path parameters


class DiscordError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


Handler = Callable[["LoopbackDiscord", Request], Awaitable[tuple[int, Any]]]
ROUTES: dict[tuple[str, str], Handler] = {}


def route(method: str, template: str):
    def register(fn: Handler) -> Handler:
        ROUTES[(method, template)] = fn
        return fn

    return register


def _get(table: dict[str, Any], key: str, what: str, code: int) -> Any:
    try:
        return table[str(key)]
    except KeyError:
        raise DiscordError(404, code, f"Unknown {what}") from None


# -- login, gateway, application ------------------------------------------------------------------
@route("GET", "/users/@me")
async def get_me(srv: LoopbackDiscord, req: Request):
    return 200, srv.state.bot_user


@route("GET", "/users/{user_id}")
async def get_user(srv: LoopbackDiscord, req: Request):
    return 200, _get(srv.state.users, req.params["user_id"], "User", 10013)


@route("GET", "/gateway")
async def get_gateway(srv: LoopbackDiscord, req: Request):
    return 200, {"url": srv.gateway_url.rstrip("/")}


@route("GET", "/gateway/bot")
async def get_gateway_bot(srv: LoopbackDiscord, req: Request):
    limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
    return 200, {"url": srv.gateway_url.rstrip("/"), "shards": 1, "session_start_limit": limit}


def _application(srv: LoopbackDiscord) -> dict[str, Any]:
    state = srv.state
    return {
        "id": state.application_id,
        "name": state.bot_user["username"],
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": state.owner,
        "team": None,
        "bot": state.bot_user,
        "rpc_origins": [],
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": len(state.guilds),
    }


@route("GET", "/oauth2/applications/@me")
async def get_oauth_application(srv: LoopbackDiscord, req: Request):
    return 200, _application(srv)


@route("GET", "/applications/@me")
async def get_my_application(srv: LoopbackDiscord, req: Request):
    return 200, _application(srv)


# -- application commands -------------------------------------------------------------------------
def _commands(srv: LoopbackDiscord, req: Request) -> dict[str, dict[str, Any]]:
    if req.params["application_id"] != srv.state.application_id:
        raise DiscordError(404, 10002, "Unknown Application")
    guild_id = req.params.get("guild_id")
    if guild_id is None:
        return srv.state.global_commands
    return _get(srv.state.guild_commands, guild_id, "Guild", 10004)


def _command(srv: LoopbackDiscord, req: Request, body: dict[str, Any], existing: dict[str, Any] | None):
    perms = body.get("default_member_permissions")
    command = {
        "id": existing["id"] if existing else srv.state.next_id(),
        "application_id": srv.state.application_id,
        "version": srv.state.next_id(),
        "type": body.get("type") or 1,
        "name": body["name"],
        "name_localizations": body.get("name_localizations"),
        "description": body.get("description") or "",
        "description_localizations": body.get("description_localizations"),
        "options": body.get("options") or [],
        "default_member_permissions": None if perms is None else str(perms),
        "dm_permission": body.get("dm_permission", True),
        "contexts": body.get("contexts"),
        "integration_types": body.get("integration_types") or [0],
        "nsfw": bool(body.get("nsfw", False)),
    }
    if "guild_id" in req.params:
        command["guild_id"] = req.params["guild_id"]
    return command


@route("GET", "/applications/{application_id}/commands")
@route("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
async def list_commands(srv: LoopbackDiscord, req: Request):
    return 200, list(_commands(srv, req).values())


@route("PUT", "/applications/{application_id}/commands")
@route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def overwrite_commands(srv: LoopbackDiscord, req: Request):
    table = _commands(srv, req)
    by_key = {(c["name"], c["type"]): c for c in table.values()}
    new = [
        _command(srv, req, body, by_key.get((body["name"], body.get("type") or 1))) for body in req.json or []
    ]
    table.clear()
    table.update({c["id"]: c for c in new})
    return 200, new


@route("POST", "/applications/{application_id}/commands")
@route("POST", "/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(srv: LoopbackDiscord, req: Request):
    table = _commands(srv, req)
    existing = next((c for c in table.values() if c["name"] == req.json["name"]), None)
    command = _command(srv, req, req.json, existing)
    table[command["id"]] = command
    return (200 if existing else 201), command


@route("GET", "/applications/{application_id}/commands/{command_id}")
@route("GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def get_command(srv: LoopbackDiscord, req: Request):
    return 200, _get(_commands(srv, req), req.params["command_id"], "application command", 10063)


@route("PATCH", "/applications/{application_id}/commands/{command_id}")
@route("PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def edit_command(srv: LoopbackDiscord, req: Request):
    table = _commands(srv, req)
    current = _get(table, req.params["command_id"], "application command", 10063)
    table[current["id"]] = _command(srv, req, {**current, **req.json}, current)
    return 200, table[current["id"]]


@route("DELETE", "/applications/{application_id}/commands/{command_id}")
@route("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(srv: LoopbackDiscord, req: Request):
    _get(_commands(srv, req), req.params["command_id"], "application command", 10063)
    del _commands(srv, req)[req.params["command_id"]]
    return 204, None


# -- messages -------------------------------------------------------------------------------------
_attachment_ids = itertools.count(1)


def build_message(
    srv: LoopbackDiscord,
    channel_id: str,
    body: dict[str, Any],
    files: dict[str, tuple[str, bytes]],
    *,
    author: dict[str, Any] | None = None,
    flags: int = 0,
    interaction: InteractionRecord | None = None,
) -> dict[str, Any]:
    state = srv.state
    author = author or state.bot_user
    uploads = list(files.values())
    attachments = []
    for index, sent in enumerate(body.get("attachments") or []):
        name, content = uploads[index] if index < len(uploads) else (sent.get("filename", "file"), b"")
        attachment_id = state.next_id()
        url = f"{srv.api_base}/attachments/{channel_id}/{attachment_id}/{name}"
        attachments.append(
            {
                "id": attachment_id,
                "filename": sent.get("filename") or name,
                "size": len(content),
                "url": url,
                "proxy_url": url,
                "description": sent.get("description"),
                "content_type": "application/octet-stream",
                "ephemeral": bool(flags & EPHEMERAL),
            }
        )
    message: dict[str, Any] = {
        "id": state.next_id(),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments,
        "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": (body.get("flags") or 0) | flags,
        "nonce": body.get("nonce"),
        "allowed_mentions": body.get("allowed_mentions"),  # not in Discord's answer; kept for assertions
    }
    guild_id = state.guild_of_channel(channel_id)
    if guild_id:
        message["guild_id"] = guild_id
    if body.get("message_reference"):
        message["message_reference"] = body["message_reference"]
        message["type"] = 19
    if interaction is not None:
        payload = interaction.payload
        user = payload["member"]["user"] if "member" in payload else payload["user"]
        message["type"] = 20 if payload["type"] == 2 else 0
        message["application_id"] = state.application_id
        message["webhook_id"] = state.application_id
        message["interaction_metadata"] = {
            "id": interaction.id,
            "type": payload["type"],
            "user": user,
            "authorizing_integration_owners": {},
            "name": payload.get("data", {}).get("name"),
        }
    state.messages[message["id"]] = message
    return message


def edit_message(message: dict[str, Any], body: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> None:
    for key in ("content", "components", "allowed_mentions", "flags"):
        if key in body and body[key] is not None:
            message[key] = body[key]
    if body.get("embeds") is not None:
        message["embeds"] = [{"type": "rich", **e} for e in body["embeds"]]
    if body.get("attachments") is not None:
        kept = {str(a.get("id")) for a in body["attachments"]}
        message["attachments"] = [a for a in message["attachments"] if a["id"] in kept]
        uploads = iter(files.values())
        for sent in body["attachments"]:
            if str(sent.get("id")) not in {a["id"] for a in message["attachments"]}:
                name, content = next(uploads, (sent.get("filename", "file"), b""))
                message["attachments"].append(
                    {
                        "id": str(next(_attachment_ids)),
                        "filename": sent.get("filename") or name,
                        "size": len(content),
                        "url": "",
                        "proxy_url": "",
                        "content_type": "application/octet-stream",
                    }
                )
    message["flags"] = message.get("flags", 0) & ~LOADING
    message["edited_timestamp"] = now_iso()


async def _announce(srv: LoopbackDiscord, message: dict[str, Any]) -> None:
    """Discord echoes every non-ephemeral message to the bot as MESSAGE_CREATE."""
    if not message["flags"] & EPHEMERAL:
        event = {k: v for k, v in message.items() if k != "allowed_mentions"}
        guild_id = message.get("guild_id")
        author_id = message["author"]["id"]
        if guild_id and author_id in srv.state.members.get(guild_id, {}):
            member = srv.state.members[guild_id][author_id]
            event["member"] = {k: v for k, v in member.items() if k != "user"}
        await srv.dispatch("MESSAGE_CREATE", event)


@route("POST", "/channels/{channel_id}/messages")
async def create_message(srv: LoopbackDiscord, req: Request):
    channel = _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)
    body = req.json or {}
    if not any(
        body.get(k) for k in ("content", "embeds", "components", "attachments", "sticker_ids", "poll")
    ):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    message = build_message(srv, channel["id"], body, req.files)
    channel["last_message_id"] = message["id"]
    await _announce(srv, message)
    return 200, message


@route("GET", "/channels/{channel_id}/messages")
async def list_messages(srv: LoopbackDiscord, req: Request):
    channel_id = req.params["channel_id"]
    found = [m for m in srv.state.messages.values() if m["channel_id"] == channel_id]
    found.sort(key=lambda m: int(m["id"]), reverse=True)
    return 200, found[: int(req.query.get("limit", 50))]


def _message(srv: LoopbackDiscord, req: Request) -> dict[str, Any]:
    message = _get(srv.state.messages, req.params["message_id"], "Message", 10008)
    if message["channel_id"] != req.params["channel_id"]:
        raise DiscordError(404, 10008, "Unknown Message")
    return message


@route("GET", "/channels/{channel_id}/messages/{message_id}")
async def get_message(srv: LoopbackDiscord, req: Request):
    return 200, _message(srv, req)


@route("PATCH", "/channels/{channel_id}/messages/{message_id}")
async def patch_message(srv: LoopbackDiscord, req: Request):
    message = _message(srv, req)
    edit_message(message, req.json or {}, req.files)
    return 200, message


@route("DELETE", "/channels/{channel_id}/messages/{message_id}")
async def delete_message(srv: LoopbackDiscord, req: Request):
    del srv.state.messages[_message(srv, req)["id"]]
    return 204, None


@route("POST", "/channels/{channel_id}/typing")
@route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me")
@route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me")
async def no_content(srv: LoopbackDiscord, req: Request):
    return 204, None


# -- channels -------------------------------------------------------------------------------------
@route("GET", "/channels/{channel_id}")
async def get_channel(srv: LoopbackDiscord, req: Request):
    return 200, _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)


@route("PATCH", "/channels/{channel_id}")
async def patch_channel(srv: LoopbackDiscord, req: Request):
    channel = _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)
    for key, value in (req.json or {}).items():
        if key == "permission_overwrites":
            value = [normalize_overwrite(o) for o in value or []]
        elif key == "parent_id" and value is not None:
            value = str(value)
        channel[key] = value
    await srv.dispatch("CHANNEL_UPDATE", channel)
    return 200, channel


@route("DELETE", "/channels/{channel_id}")
async def delete_channel(srv: LoopbackDiscord, req: Request):
    channel = _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)
    del srv.state.channels[channel["id"]]
    await srv.dispatch("CHANNEL_DELETE", channel)
    return 200, channel


@route("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
async def put_overwrite(srv: LoopbackDiscord, req: Request):
    channel = _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)
    overwrite = normalize_overwrite({**(req.json or {}), "id": req.params["overwrite_id"]})
    channel["permission_overwrites"] = [
        o for o in channel["permission_overwrites"] if o["id"] != overwrite["id"]
    ] + [overwrite]
    await srv.dispatch("CHANNEL_UPDATE", channel)
    return 204, None


@route("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}")
async def delete_overwrite(srv: LoopbackDiscord, req: Request):
    channel = _get(srv.state.channels, req.params["channel_id"], "Channel", 10003)
    channel["permission_overwrites"] = [
        o for o in channel["permission_overwrites"] if o["id"] != req.params["overwrite_id"]
    ]
    await srv.dispatch("CHANNEL_UPDATE", channel)
    return 204, None


@route("POST", "/users/@me/channels")
async def open_dm(srv: LoopbackDiscord, req: Request):
    recipient = _get(srv.state.users, str(req.json["recipient_id"]), "User", 10013)
    for channel in srv.state.channels.values():
        if channel["type"] == 1 and channel["recipients"][0]["id"] == recipient["id"]:
            return 200, channel
    channel = srv.state.add_channel(None, None, type=1, recipients=[recipient], last_message_id=None)
    return 200, channel


# -- guilds, roles, members -----------------------------------------------------------------------
def _guild(srv: LoopbackDiscord, req: Request) -> dict[str, Any]:
    return _get(srv.state.guilds, req.params["guild_id"], "Guild", 10004)


@route("GET", "/guilds/{guild_id}")
async def get_guild(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    return 200, {**guild, "roles": list(srv.state.roles[guild["id"]].values())}


@route("GET", "/guilds/{guild_id}/channels")
async def list_channels(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    return 200, [c for c in srv.state.channels.values() if c.get("guild_id") == guild["id"]]


@route("POST", "/guilds/{guild_id}/channels")
async def create_channel(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    body = dict(req.json)
    channel = srv.state.add_channel(guild["id"], body.pop("name"), type=int(body.pop("type", 0) or 0), **body)
    await srv.dispatch("CHANNEL_CREATE", channel)
    return 201, channel


@route("GET", "/guilds/{guild_id}/roles")
async def list_roles(srv: LoopbackDiscord, req: Request):
    return 200, list(srv.state.roles[_guild(srv, req)["id"]].values())


@route("POST", "/guilds/{guild_id}/roles")
async def create_role(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    body = {k: v for k, v in (req.json or {}).items() if v is not None}
    role = srv.state.add_role(
        guild["id"], body.pop("name", "new role"), permissions=int(body.pop("permissions", 0))
    )
    role.update({k: v for k, v in body.items() if k in ("color", "hoist", "mentionable", "unicode_emoji")})
    await srv.dispatch("GUILD_ROLE_CREATE", {"guild_id": guild["id"], "role": role})
    return 200, role


@route("PATCH", "/guilds/{guild_id}/roles/{role_id}")
async def edit_role(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    role = _get(srv.state.roles[guild["id"]], req.params["role_id"], "Role", 10011)
    for key, value in (req.json or {}).items():
        role[key] = str(value) if key == "permissions" else value
    await srv.dispatch("GUILD_ROLE_UPDATE", {"guild_id": guild["id"], "role": role})
    return 200, role


@route("DELETE", "/guilds/{guild_id}/roles/{role_id}")
async def delete_role(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    role = _get(srv.state.roles[guild["id"]], req.params["role_id"], "Role", 10011)
    del srv.state.roles[guild["id"]][role["id"]]
    await srv.dispatch("GUILD_ROLE_DELETE", {"guild_id": guild["id"], "role_id": role["id"]})
    return 204, None


def _member(srv: LoopbackDiscord, req: Request) -> dict[str, Any]:
    guild = _guild(srv, req)
    return _get(srv.state.members[guild["id"]], req.params["user_id"], "Member", 10007)


async def _member_updated(srv: LoopbackDiscord, guild_id: str, member: dict[str, Any]) -> None:
    await srv.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": guild_id, **member})


@route("GET", "/guilds/{guild_id}/members")
async def list_members(srv: LoopbackDiscord, req: Request):
    after = int(req.query.get("after", 0))
    members = [m for m in srv.state.members[_guild(srv, req)["id"]].values() if int(m["user"]["id"]) > after]
    return 200, members[: int(req.query.get("limit", 1))]


@route("GET", "/guilds/{guild_id}/members/{user_id}")
async def get_member(srv: LoopbackDiscord, req: Request):
    return 200, _member(srv, req)


@route("PATCH", "/guilds/{guild_id}/members/{user_id}")
async def edit_member(srv: LoopbackDiscord, req: Request):
    member = _member(srv, req)
    for key, value in (req.json or {}).items():
        member[key] = [str(r) for r in value] if key == "roles" else value
    await _member_updated(srv, req.params["guild_id"], member)
    return 200, member


@route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def add_member_role(srv: LoopbackDiscord, req: Request):
    member = _member(srv, req)
    _get(srv.state.roles[req.params["guild_id"]], req.params["role_id"], "Role", 10011)
    if req.params["role_id"] not in member["roles"]:
        member["roles"].append(req.params["role_id"])
    await _member_updated(srv, req.params["guild_id"], member)
    return 204, None


@route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def remove_member_role(srv: LoopbackDiscord, req: Request):
    member = _member(srv, req)
    member["roles"] = [r for r in member["roles"] if r != req.params["role_id"]]
    await _member_updated(srv, req.params["guild_id"], member)
    return 204, None


# -- scheduled events -----------------------------------------------------------------------------
def _event(srv: LoopbackDiscord, req: Request) -> dict[str, Any]:
    event = _get(
        srv.state.scheduled_events, req.params["guild_scheduled_event_id"], "Guild Scheduled Event", 10070
    )
    if event["guild_id"] != req.params["guild_id"]:
        raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
    return event


@route("GET", "/guilds/{guild_id}/scheduled-events")
async def list_events(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    return 200, [e for e in srv.state.scheduled_events.values() if e["guild_id"] == guild["id"]]


@route("POST", "/guilds/{guild_id}/scheduled-events")
async def create_event(srv: LoopbackDiscord, req: Request):
    guild = _guild(srv, req)
    body = req.json
    event = {
        "id": srv.state.next_id(),
        "guild_id": guild["id"],
        "creator_id": srv.state.application_id,
        "creator": srv.state.bot_user,
        "name": body["name"],
        "description": body.get("description"),
        "channel_id": None if body.get("channel_id") is None else str(body["channel_id"]),
        "scheduled_start_time": body["scheduled_start_time"],
        "scheduled_end_time": body.get("scheduled_end_time"),
        "privacy_level": body["privacy_level"],
        "status": 1,
        "entity_type": body["entity_type"],
        "entity_id": None,
        "entity_metadata": body.get("entity_metadata"),
        "user_count": 0,
        "image": None,
        "recurrence_rule": body.get("recurrence_rule"),
    }
    srv.state.scheduled_events[event["id"]] = event
    await srv.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event)
    return 200, event


@route("GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def get_event(srv: LoopbackDiscord, req: Request):
    return 200, _event(srv, req)


@route("PATCH", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def edit_event(srv: LoopbackDiscord, req: Request):
    event = _event(srv, req)
    event.update(req.json or {})
    await srv.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event)
    return 200, event


@route("DELETE", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def delete_event(srv: LoopbackDiscord, req: Request):
    event = srv.state.scheduled_events.pop(_event(srv, req)["id"])
    await srv.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event)
    return 204, None


# -- interactions and their webhooks --------------------------------------------------------------
@route("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
async def interaction_callback(srv: LoopbackDiscord, req: Request):
    record = srv.state.interactions.get(req.params["interaction_id"])
    if record is None or record.token != req.params["interaction_token"]:
        raise DiscordError(404, 10062, "Unknown interaction")
    if record.response is not None:
        raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
    body = req.json
    kind, data = body["type"], body.get("data") or {}
    flags = data.get("flags") or 0
    message = None
    channel_id = record.payload.get("channel_id") or record.payload.get("channel", {}).get("id")
    if kind == 4:
        message = build_message(srv, channel_id, data, req.files, interaction=record)
    elif kind == 5:
        message = build_message(srv, channel_id, {}, {}, flags=LOADING | flags, interaction=record)
    elif kind in (6, 7) and "message" in record.payload:
        # the component's message: edited now (7), or later through @original (6, as Discord does)
        message = srv.state.messages.get(record.payload["message"]["id"], dict(record.payload["message"]))
        if kind == 7:
            edit_message(message, data, req.files)
    record.response = body
    record.original = message
    record.responded.set()
    if kind in (4, 5) and message is not None:
        await _announce(srv, message)
    srv.emit("interaction_response", record)
    if req.query.get("with_response") not in ("1", "true", "True"):
        return 204, None
    answer: dict[str, Any] = {
        "interaction": {
            "id": record.id,
            "type": record.payload["type"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        },
        "resource": {"type": kind},
    }
    if message is not None:
        answer["interaction"]["response_message_id"] = message["id"]
        answer["resource"]["message"] = message
    return 200, answer


def _interaction_by_token(srv: LoopbackDiscord, req: Request) -> InteractionRecord:
    if req.params["webhook_id"] != srv.state.application_id:
        raise DiscordError(404, 10015, "Unknown Webhook")
    for record in srv.state.interactions.values():
        if record.token == req.params["webhook_token"]:
            return record
    raise DiscordError(404, 10015, "Unknown Webhook")


def _webhook_message(srv: LoopbackDiscord, req: Request) -> tuple[InteractionRecord, dict[str, Any]]:
    record = _interaction_by_token(srv, req)
    message_id = req.params.get("message_id", "@original")
    if message_id == "@original":
        if record.original is None:
            raise DiscordError(404, 10008, "Unknown Message")
        return record, record.original
    for message in record.followups:
        if message["id"] == message_id:
            return record, message
    raise DiscordError(404, 10008, "Unknown Message")


@route("POST", "/webhooks/{webhook_id}/{webhook_token}")
async def followup(srv: LoopbackDiscord, req: Request):
    record = _interaction_by_token(srv, req)
    if record.response is None:
        raise DiscordError(404, 10015, "Unknown Webhook")  # Discord: no follow-up before the callback
    body = req.json or {}
    message = build_message(srv, record.payload.get("channel_id"), body, req.files, interaction=record)
    record.followups.append(message)
    await _announce(srv, message)
    srv.emit("interaction_followup", record)
    if req.query.get("wait") in ("1", "true", "True"):
        return 200, message
    return 204, None


@route("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@route("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def get_webhook_message(srv: LoopbackDiscord, req: Request):
    return 200, _webhook_message(srv, req)[1]


@route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def edit_webhook_message(srv: LoopbackDiscord, req: Request):
    record, message = _webhook_message(srv, req)
    record.edits.append(req.json or {})
    edit_message(message, req.json or {}, req.files)
    srv.emit("interaction_edit", record)
    return 200, message


@route("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@route("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def delete_webhook_message(srv: LoopbackDiscord, req: Request):
    record, message = _webhook_message(srv, req)
    srv.state.messages.pop(message["id"], None)
    if message is record.original:
        record.original = None
    else:
        record.followups.remove(message)
    return 204, None
