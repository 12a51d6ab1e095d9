"""Pytest fixture: ``from tests.loopback.fixtures import loopback_discord  # noqa`` in a conftest."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .server import LoopbackDiscord


@pytest_asyncio.fixture
async def loopback_discord() -> AsyncIterator[LoopbackDiscord]:
    """A started loopback Discord; the test fails if any request broke the Discord API spec."""
    async with LoopbackDiscord() as server:
        yield server
        server.assert_no_violations()
