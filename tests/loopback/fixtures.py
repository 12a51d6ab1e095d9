"""Pytest fixture: ``from tests.loopback.fixtures import loopback_discord  # noqa`` in a conftest,
and ``bot_process`` to run ``python -m bot`` against a loopback Discord."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from .server import LoopbackDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture
async def loopback_discord() -> AsyncIterator[LoopbackDiscord]:
    """A started loopback Discord; the test fails if any request broke the Discord API spec."""
    async with LoopbackDiscord() as server:
        yield server
        server.assert_no_violations()


@contextlib.asynccontextmanager
async def bot_process(
    server: LoopbackDiscord, *args: str, env: dict[str, str] | None = None, ready_timeout: float = 20.0
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``python -m bot *args`` against ``server`` until the block ends; waits for its IDENTIFY."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO_ROOT,
        env={**os.environ, **server.bot_env(), **(env or {})},
    )
    try:
        identified = asyncio.ensure_future(server.wait_for("IDENTIFY", ready_timeout))
        exited = asyncio.ensure_future(process.wait())
        await asyncio.wait({identified, exited}, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        if not identified.done():
            identified.cancel()
            raise RuntimeError(f"python -m bot exited with {process.returncode} before identifying")
        identified.result()  # re-raises a timeout
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
