"""The gateway side: one ``GatewayConnection`` per websocket, sessions that survive a drop."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .state import shard_of

if TYPE_CHECKING:
    from .server import LoopbackDiscord

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11


@dataclass
class GatewaySession:
    """What a RESUME needs: the sequence and the events sent so far."""

    id: str
    identify: dict[str, Any]
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def shard(self) -> tuple[int, int]:
        shard_id, count = self.identify.get("shard") or (0, 1)
        return int(shard_id), int(count)

    def receives(self, guild_id: str | None) -> bool:
        """Whether an event of this guild (None: not a guild's, e.g. a DM) goes to this session."""
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else shard_of(guild_id, count))


class GatewayConnection:
    def __init__(self, server: LoopbackDiscord, ws: web.WebSocketResponse, compress: str | None) -> None:
        self.server = server
        self.ws = ws
        self.session: GatewaySession | None = None
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self._later: set[asyncio.Task[None]] = set()

    async def send(self, payload: dict[str, Any]) -> None:
        if self.ws.closed:
            return
        text = json.dumps(payload)
        if self._zlib is not None:
            await self.ws.send_bytes(self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH))
        else:
            await self.ws.send_str(text)

    async def send_dispatch(self, event: str, data: Any) -> None:
        """Number the event in this session, remember it for RESUME and send it."""
        assert self.session is not None
        self.session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.session.seq, "d": data}
        self.session.sent.append(payload)
        await self.send(payload)

    async def run(self) -> None:
        await self.send({"op": HELLO, "d": {"heartbeat_interval": self.server.heartbeat_interval}})
        async for msg in self.ws:
            if msg.type != WSMsgType.TEXT:
                continue  # discord.py only sends JSON text
            payload = json.loads(msg.data)
            op, data = payload.get("op"), payload.get("d")
            self.server.gateway_log.append(payload)
            if op == HEARTBEAT:
                await self.send({"op": HEARTBEAT_ACK})
            elif op == IDENTIFY:
                await self._identify(data)
            elif op == RESUME:
                await self._resume(data)
            elif op == REQUEST_MEMBERS and self.server.answer_member_requests:
                if self.server.member_request_delay:  # answered later; the socket keeps being read
                    self._later.add(task := asyncio.create_task(self._request_members(data)))
                    task.add_done_callback(self._later.discard)
                else:
                    await self._request_members(data)
            self.server.emit(_OP_NAMES.get(op, f"op{op}"), data)

    async def _identify(self, data: dict[str, Any]) -> None:
        server = self.server
        server.identifies.append(data)
        if server.token is not None and data.get("token") != server.token:
            await self.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.session = GatewaySession(secrets.token_hex(16), data)
        server.sessions[self.session.id] = self.session
        state = server.state
        guilds = [gid for gid in state.guilds if self.session.receives(gid)]
        await self.send_dispatch(
            "READY",
            {
                "v": 10,
                "user": state.bot_user,
                "session_id": self.session.id,
                "resume_gateway_url": server.gateway_url,
                "session_type": "normal",
                "guilds": [{"id": gid, "unavailable": True} for gid in guilds],
                "application": {"id": state.application_id, "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": [],
                "shard": list(self.session.shard),
                "_trace": ["loopback"],
            },
        )
        for guild_id in guilds:
            guild = state.guild_create_payload(guild_id)
            if not server.members_in_guild_create:
                guild["members"] = [m for m in guild["members"] if m["user"]["id"] == state.application_id]
            if not server.bot_member_in_gateway:
                guild["members"] = [m for m in guild["members"] if m["user"]["id"] != state.application_id]
            if not server.send_member_count:
                del guild["member_count"]
            await self.send_dispatch("GUILD_CREATE", guild)

    async def _resume(self, data: dict[str, Any]) -> None:
        session = self.server.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != session.identify.get("token"):
            await self.send({"op": INVALID_SESSION, "d": False})
            return
        self.session = session
        for payload in session.sent:
            if payload["s"] > (data.get("seq") or 0):
                await self.send(payload)
        await self.send_dispatch("RESUMED", {"_trace": ["loopback"]})

    async def _request_members(self, data: dict[str, Any]) -> None:
        await asyncio.sleep(self.server.member_request_delay)
        guild_id = str(data["guild_id"])
        members = list(self.server.state.members.get(guild_id, {}).values())
        if not self.server.members_in_chunks:
            members = []
        elif data.get("user_ids"):
            wanted = {str(u) for u in data["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif data.get("query"):
            members = [m for m in members if m["user"]["username"].startswith(data["query"])]
        if not self.server.bot_member_in_gateway:
            members = [m for m in members if m["user"]["id"] != self.server.state.application_id]
        await self.send_dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": guild_id,
                "members": members,
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
                "not_found": [],
            },
        )


_OP_NAMES = {
    HEARTBEAT: "HEARTBEAT",
    IDENTIFY: "IDENTIFY",
    PRESENCE: "PRESENCE_UPDATE",
    VOICE_STATE: "VOICE_STATE_UPDATE",
    RESUME: "RESUME",
    REQUEST_MEMBERS: "REQUEST_GUILD_MEMBERS",
}


async def gateway_handler(request: web.Request) -> web.WebSocketResponse:
    from .server import SERVER_KEY

    server = request.app[SERVER_KEY]
    query = dict(request.query)
    server.gateway_connects.append(query)
    ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
    await ws.prepare(request)
    if query.get("v") != "10" or query.get("encoding", "json") != "json":
        await ws.close(code=4012, message=b"Invalid API version or encoding")
        return ws
    compress = query.get("compress")
    if compress not in (None, "zlib-stream"):
        compress = None  # e.g. zstd-stream: plain text frames are always understood by discord.py
    connection = GatewayConnection(server, ws, compress)
    server.connections.append(connection)
    try:
        await connection.run()
    finally:
        server.connections.remove(connection)
    return ws
