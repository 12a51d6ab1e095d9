"""``LoopbackDiscord``: an in-process fake Discord (REST + gateway) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import math
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from aiohttp import web

from .gateway import GatewayConnection, GatewaySession, gateway_handler
from .rest import ROUTES, DiscordError, Request
from .spec import DiscordSpec, default_spec_path
from .state import DiscordState, InteractionRecord

API_PREFIX = "/api/v10"
SERVER_KEY: web.AppKey[LoopbackDiscord] = web.AppKey("loopback_discord")
JSON = "application/json"  # exactly: discord.py compares the header with ==


@lru_cache(maxsize=4)
def _load_spec(path: str) -> DiscordSpec:
    return DiscordSpec(path)


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    files: dict[str, str]  # multipart part name -> filename
    headers: dict[str, str]
    spec_template: str | None = None
    status: int | None = None


@dataclass
class Violation:
    method: str
    path: str
    reason: str


@dataclass
class Injection:
    method: str
    path_glob: str
    status: int
    retry_after: float
    times: int
    is_global: bool = False
    hits: list[RecordedRequest] = field(default_factory=list)


class LoopbackDiscord:
    """Fake Discord for end-to-end tests. Use as ``async with LoopbackDiscord() as server:``."""

    def __init__(
        self,
        spec_path: str | None = None,
        *,
        token: str | None = "loopback-token",
        heartbeat_interval: int = 41250,
        host: str = "127.0.0.1",
    ) -> None:
        self.spec = _load_spec(str(spec_path or default_spec_path()))
        self.token = token  # None accepts any token
        self.heartbeat_interval = heartbeat_interval
        # how the gateway gives members out, to play a Discord that does it otherwise (or wrong):
        self.members_in_guild_create = True  # False: only the bot's own member, as for a large guild
        self.bot_member_in_gateway = True  # False: the bot's own member is never sent (REST has it)
        self.send_member_count = True  # False: no `member_count` (a list nobody can tell is whole)
        self.answer_member_requests = True  # False: REQUEST_GUILD_MEMBERS is never answered
        self.members_in_chunks = True  # False: it is answered with no member
        self.member_request_delay = 0.0  # seconds before it is answered
        self.permissions_in_interactions = True  # False: an interaction's member has no `permissions`
        self.host = host
        self.port = 0
        self.state = DiscordState()
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.unimplemented: list[RecordedRequest] = []  # spec-valid routes the fake does not serve (404)
        self.identifies: list[dict[str, Any]] = []
        self.gateway_log: list[dict[str, Any]] = []  # every payload received from clients
        self.gateway_connects: list[dict[str, str]] = []  # query string of every websocket connection
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[GatewayConnection] = []
        self.injections: list[Injection] = []
        self._history: list[tuple[str, Any]] = []
        self._waiters: list[tuple[Callable[[str, Any], bool], asyncio.Future[Any]]] = []
        self._runner: web.AppRunner | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    async def start(self) -> LoopbackDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app[SERVER_KEY] = self
        app.router.add_route("*", API_PREFIX.rsplit("/", 1)[0] + "/{tail:.*}", self._handle_rest)
        app.router.add_get("/", gateway_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for connection in list(self.connections):
            await connection.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LoopbackDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    @property
    def application_id(self) -> str:
        return self.state.application_id

    @property
    def bot_user(self) -> dict[str, Any]:
        return self.state.bot_user

    def bot_env(self) -> dict[str, str]:
        """Environment for a bot subprocess (``python -m bot``)."""
        return {
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
            "DISCORD_TOKEN": self.token or "loopback-token",
        }

    @contextlib.contextmanager
    def patch_discord_py(self) -> Iterator[None]:
        """Point an in-process discord.py at this server, restoring the real endpoints afterwards."""
        import discord.gateway
        import discord.http
        import yarl

        old = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old

    # -- builders (state only: call them before the bot connects, or dispatch the event yourself) --
    def add_guild(
        self, name: str = "Loopback guild", preferred_locale: str = "fr", shard: tuple[int, int] | None = None
    ) -> dict[str, Any]:
        return self.state.add_guild(name, preferred_locale=preferred_locale, shard=shard)

    def add_channel(
        self,
        guild_id: str,
        name: str,
        type: int = 0,
        parent_id: str | None = None,
        permission_overwrites: list[dict[str, Any]] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        return self.state.add_channel(
            str(guild_id),
            name,
            type,
            parent_id=parent_id,
            permission_overwrites=permission_overwrites or [],
            **fields,
        )

    def add_user(self, name: str, bot: bool = False) -> dict[str, Any]:
        return self.state.add_user(name, bot=bot)

    def add_member(
        self, guild_id: str, user_id: str, roles: list[str] | None = None, nick: str | None = None
    ):
        return self.state.add_member(str(guild_id), str(user_id), roles=roles, nick=nick)

    def add_role(self, guild_id: str, name: str, permissions: int = 0, **fields: Any) -> dict[str, Any]:
        return self.state.add_role(str(guild_id), name, permissions=permissions, **fields)

    # -- events and waiting -----------------------------------------------------------------------
    def emit(self, kind: str, data: Any) -> None:
        self._history.append((kind, data))
        for predicate, future in list(self._waiters):
            if not future.done() and predicate(kind, data):
                future.set_result(data)

    async def wait_for(
        self,
        what: str | Callable[[str, Any], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - the tests' API: a plain timeout reads best
        *,
        include_past: bool = True,
    ) -> Any:
        """Wait for an event kind (``"IDENTIFY"``, ``"RESUME"``, ``"request"``, ``"interaction_response"``,
        ``"violation"``...) or for ``predicate(kind, data)``; returns its data. Past events count unless
        ``include_past=False``."""
        predicate = (lambda kind, _data: kind == what) if isinstance(what, str) else what
        if include_past:
            for kind, data in self._history:
                if predicate(kind, data):
                    return data
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiters.remove(entry)

    async def wait_for_request(
        self,
        method: str,
        path_glob: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        include_past: bool = True,
    ) -> RecordedRequest:
        def matches(kind: str, data: Any) -> bool:
            return (
                kind == "request"
                and data.method == method.upper()
                and fnmatch.fnmatchcase(data.path, path_glob)
            )

        return await self.wait_for(matches, timeout, include_past=include_past)

    def find_requests(self, method: str, path_glob: str) -> list[RecordedRequest]:
        return [
            r for r in self.requests if r.method == method.upper() and fnmatch.fnmatchcase(r.path, path_glob)
        ]

    def assert_no_violations(self) -> None:
        if self.violations:
            lines = "\n".join(f"  {v.method} {v.path}: {v.reason}" for v in self.violations)
            raise AssertionError(f"{len(self.violations)} Discord API spec violation(s):\n{lines}")

    # -- fault injection --------------------------------------------------------------------------
    def inject(
        self,
        method: str,
        path_glob: str,
        status: int = 429,
        retry_after: float = 0.05,
        times: int = 1,
        *,
        is_global: bool = False,
    ) -> Injection:
        """Answer the next ``times`` matching requests with ``status`` (429 or 5xx) instead of serving."""
        injection = Injection(method.upper(), path_glob, status, retry_after, times, is_global)
        self.injections.append(injection)
        return injection

    def _injected(self, record: RecordedRequest) -> web.Response | None:
        for injection in self.injections:
            if (
                injection.times > 0
                and injection.method in (record.method, "*")
                and fnmatch.fnmatchcase(record.path, injection.path_glob)
            ):
                injection.times -= 1
                injection.hits.append(record)
                if injection.status != 429:
                    body = {"message": f"{injection.status}: Injected server error", "code": 0}
                    return _json_response(injection.status, body)
                headers = {
                    "Retry-After": str(math.ceil(injection.retry_after)),
                    "X-RateLimit-Limit": "1",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + injection.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{injection.retry_after:.3f}",
                    "X-RateLimit-Bucket": "loopback-" + injection.path_glob,
                    "X-RateLimit-Scope": "global" if injection.is_global else "user",
                    "Via": "1.1 google",  # discord.py treats a 429 without Via as a Cloudflare ban
                }
                if injection.is_global:
                    headers["X-RateLimit-Global"] = "true"
                body = {
                    "message": "You are being rate limited.",
                    "retry_after": injection.retry_after,
                    "global": injection.is_global,
                    "code": 0,
                }
                return _json_response(429, body, headers)
        return None

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every gateway websocket (4000: unknown error, which makes discord.py RESUME)."""
        for connection in list(self.connections):
            await connection.ws.close(code=code, message=b"loopback drop")

    # -- gateway dispatch -------------------------------------------------------------------------
    async def dispatch(self, event: str, data: Any) -> None:
        """Send a DISPATCH to every identified connection whose shard receives it (or queue it for a
        RESUME if the socket is down): a guild's events go to the guild's shard, the rest to shard 0."""
        guild_id = _event_guild(event, data)
        live = {c.session.id for c in self.connections if c.session is not None and not c.ws.closed}
        for connection in list(self.connections):
            if connection.session is not None and not connection.ws.closed:
                if connection.session.receives(guild_id):
                    await connection.send_dispatch(event, data)
        for session in self.sessions.values():
            if session.id not in live and session.receives(guild_id):
                session.seq += 1
                session.sent.append({"op": 0, "t": event, "s": session.seq, "d": data})
        self.emit("dispatch", (event, data))

    async def send_interaction(
        self,
        type: int,
        data: dict[str, Any] | None,
        *,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        locale: str = "fr",
        message: dict[str, Any] | None = None,
    ) -> InteractionRecord:
        state = self.state
        channel = state.channels[str(channel_id)]
        interaction_id = state.next_id()
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": state.application_id,
            "type": type,
            "token": "loopback-" + secrets.token_urlsafe(24),
            "version": 1,
            "channel_id": channel["id"],
            "channel": channel,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 26_214_400,
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = message
        if guild_id is not None:
            guild_id = str(guild_id)
            bot = state.member_with_permissions(guild_id, state.application_id)
            member = state.member_with_permissions(guild_id, str(user_id))
            if not self.permissions_in_interactions:
                del member["permissions"]
            payload.update(
                guild_id=guild_id,
                member=member,
                guild={"id": guild_id, "locale": state.guilds[guild_id]["preferred_locale"], "features": []},
                guild_locale=state.guilds[guild_id]["preferred_locale"],
                app_permissions=bot["permissions"],
                authorizing_integration_owners={"0": guild_id},
                context=0,
            )
        else:
            payload.update(
                user=state.users[str(user_id)],
                authorizing_integration_owners={"1": str(user_id)},
                context=1,
                app_permissions="0",
            )
        record = InteractionRecord(interaction_id, payload["token"], payload)
        state.interactions[interaction_id] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def send_slash(
        self,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        locale: str = "fr",
    ) -> InteractionRecord:
        """Invoke a registered slash command. ``name`` may hold a subcommand path ("poll create");
        ``options`` is ``{option_name: value}`` (ids for users, channels, roles) or Discord-shaped."""
        top, *path = name.split()
        command = self._find_command(guild_id, top)
        data: dict[str, Any] = {"id": command["id"], "name": top, "type": command["type"]}
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        container, definitions = data, command.get("options") or []
        for part in path:
            definition = next((d for d in definitions if d["name"] == part and d["type"] in (1, 2)), None)
            if definition is None:
                raise LookupError(f"/{name}: no subcommand {part!r}")
            child: dict[str, Any] = {"name": part, "type": definition["type"]}
            container["options"] = [child]
            container, definitions = child, definition.get("options") or []
        resolved: dict[str, dict[str, Any]] = {}
        container["options"] = self._options(guild_id, definitions, options, resolved)
        if resolved:
            data["resolved"] = resolved
        return await self.send_interaction(
            2, data, guild_id=guild_id, channel_id=channel_id, user_id=user_id, locale=locale
        )

    async def send_component(
        self,
        message_id: str,
        custom_id: str,
        user_id: str,
        *,
        values: list[str] | None = None,
        component_type: int = 2,
        locale: str = "fr",
    ) -> InteractionRecord:
        """Click a button (or pick ``values`` in a select menu, ``component_type=3``) on a stored message."""
        message = self.state.messages[str(message_id)]
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        return await self.send_interaction(
            3,
            data,
            guild_id=message.get("guild_id"),
            channel_id=message["channel_id"],
            user_id=user_id,
            locale=locale,
            message=message,
        )

    def _find_command(self, guild_id: str | None, name: str) -> dict[str, Any]:
        tables = [self.state.guild_commands.get(str(guild_id), {}), self.state.global_commands]
        for table in tables:
            for command in table.values():
                if command["name"] == name and command["type"] == 1:
                    return command
        raise LookupError(f"no registered slash command /{name} (was the tree synced?)")

    def _options(
        self,
        guild_id: str | None,
        definitions: list[dict[str, Any]],
        options: dict[str, Any] | list[dict[str, Any]] | None,
        resolved: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        if options is None:
            return []
        if isinstance(options, list):
            return options
        state, result = self.state, []
        for name, value in options.items():
            definition = next((d for d in definitions if d["name"] == name), None)
            if definition is None:
                raise LookupError(f"the command has no option {name!r}")
            kind = definition["type"]
            if kind in (6, 7, 8, 9):
                value = str(value)
                if value in state.users:
                    resolved.setdefault("users", {})[value] = state.users[value]
                    if guild_id is not None and value in state.members[str(guild_id)]:
                        member = state.member_with_permissions(str(guild_id), value)
                        member.pop("user")
                        resolved.setdefault("members", {})[value] = member
                elif value in state.channels:
                    channel = state.channels[value]
                    resolved.setdefault("channels", {})[value] = {
                        "id": value,
                        "name": channel.get("name"),
                        "type": channel["type"],
                        "permissions": str((1 << 51) - 1),
                        "parent_id": channel.get("parent_id"),
                    }
                elif guild_id is not None and value in state.roles[str(guild_id)]:
                    resolved.setdefault("roles", {})[value] = state.roles[str(guild_id)][value]
            result.append({"name": name, "type": kind, "value": value})
        return result

    async def wait_interaction_response(
        self,
        interaction: str | InteractionRecord,
        timeout: float = 3.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """The callback body the bot posted (``{"type": 4, "data": {...}}``); edits and follow-ups are
        on ``server.interaction(id)``."""
        record = interaction if isinstance(interaction, InteractionRecord) else self.interaction(interaction)
        await asyncio.wait_for(record.responded.wait(), timeout)
        assert record.response is not None
        return record.response

    def interaction(self, interaction_id: str) -> InteractionRecord:
        return self.state.interactions[str(interaction_id)]

    async def send_message_create(
        self, channel_id: str, author_id: str, content: str = "", message_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """A user posts a message: stored, then dispatched as MESSAGE_CREATE. `message_id`: the
        message's id, e.g. the thread's own id for the opening message of a forum post."""
        from .rest import _announce, build_message

        author = self.state.users[str(author_id)]
        message = build_message(self, str(channel_id), {"content": content, **fields}, {}, author=author)
        if message_id is not None:
            del self.state.messages[message["id"]]
            message["id"] = str(message_id)
            self.state.messages[message["id"]] = message
        await _announce(self, message)
        return message

    # -- REST -------------------------------------------------------------------------------------
    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        full_path = request.path
        path = full_path.removeprefix(API_PREFIX) if full_path.startswith(API_PREFIX + "/") else full_path
        record = RecordedRequest(
            request.method,
            path,
            dict(request.query),
            None,
            {},
            {
                k: v
                for k, v in request.headers.items()
                if k.lower() in ("authorization", "x-audit-log-reason")
            },
        )
        self.requests.append(record)
        errors: list[str] = []
        files: dict[str, tuple[str, bytes]] = {}
        content_type, has_body = None, False
        try:
            content_type, has_body, files = await self._read_body(request, record)
        except ValueError as exc:
            errors.append(str(exc))
        if not full_path.startswith(API_PREFIX + "/"):
            errors.append(f"API version prefix {API_PREFIX} expected")
        match = self.spec.match(request.method, path)
        errors += match.errors
        record.spec_template = match.template
        if match.operation is not None:
            errors += self.spec.check_parameters(match.operation, match.path_params, record.query)
            if not errors:
                errors += self.spec.check_body(match.operation, content_type, record.json, has_body)
            if "Authorization" not in request.headers and {} not in match.operation.spec.get(
                "security", [{}]
            ):
                errors.append("missing Authorization header")
        response = self._respond(record, match, errors, files)
        if isinstance(response, web.Response):
            return self._finish(record, response)
        return self._finish(record, await response)

    async def _read_body(
        self, request: web.Request, record: RecordedRequest
    ) -> tuple[str | None, bool, dict[str, tuple[str, bytes]]]:
        files: dict[str, tuple[str, bytes]] = {}
        if not request.can_read_body:
            return None, False, files
        content_type = request.content_type
        if content_type == "multipart/form-data":
            reader = await request.multipart()
            payload: Any = {}
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.name and part.name.startswith("files[") and part.filename:
                    files[part.name] = (part.filename, await part.read())
                    record.files[part.name] = part.filename
                else:
                    raise ValueError(f"unexpected multipart part {part.name!r}")
            record.json = payload
            return content_type, True, files
        raw = await request.read()
        if not raw:
            return content_type or None, False, files
        if content_type != JSON:
            raise ValueError(f"unsupported content type {content_type!r}")
        try:
            record.json = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"body is not JSON: {exc}") from None
        return content_type, True, files

    def _respond(self, record, match, errors, files):
        if errors:
            for reason in errors:
                violation = Violation(record.method, record.path, reason)
                self.violations.append(violation)
                self.emit("violation", violation)
            status = 404 if match.operation is None else 400
            body = {
                "code": 0 if status == 404 else 50035,
                "message": "404: Not Found" if status == 404 else "Invalid Form Body",
                "errors": {
                    "_loopback": {"_errors": [{"code": "SPEC_VIOLATION", "message": e} for e in errors]}
                },
            }
            return _json_response(status, body)
        auth = record.headers.get("Authorization")
        if self.token is not None and auth is not None and auth != f"Bot {self.token}":
            return _json_response(401, {"message": "401: Unauthorized", "code": 0})
        injected = self._injected(record)
        if injected is not None:
            return injected
        handler = ROUTES.get((record.method, match.template))
        if handler is None:
            self.unimplemented.append(record)
            body = {"message": f"Unknown route (not implemented by loopback: {match.template})", "code": 0}
            return _json_response(404, body)
        return self._call(handler, record, match, files)

    async def _call(self, handler, record, match, files) -> web.Response:
        request = Request(record.method, record.path, record.query, record.json, files, match.path_params)
        try:
            status, body = await handler(self, request)
        except DiscordError as exc:
            return _json_response(exc.status, {"message": exc.message, "code": exc.code})
        if status == 204:
            return web.Response(status=204)
        return _json_response(status, body)

    def _finish(self, record: RecordedRequest, response: web.Response) -> web.Response:
        record.status = response.status
        self.emit("request", record)
        return response


def _event_guild(event: str, data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        return data.get("id")
    return data.get("guild_id")


def _json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(body).encode(), headers={"Content-Type": JSON, **(headers or {})}
    )
