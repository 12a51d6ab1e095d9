"""The poll message edit coalescer: at most one edit per interval, the trailing edit always made."""

from __future__ import annotations

import asyncio

from bot.coalescer import Coalescer


async def test_a_burst_gives_one_edit_now_and_one_trailing_edit():
    shown: list[int] = []
    state = {"votes": 0}
    release = asyncio.Event()

    async def cooling(_seconds):
        await release.wait()

    coalescer = Coalescer(2.0, sleep=cooling)

    async def edit():
        shown.append(state["votes"])

    for _ in range(50):
        state["votes"] += 1
        coalescer.request("poll:1", edit)
        await asyncio.sleep(0)
    assert shown == [1]  # the first vote shows at once; the 49 others wait for the cooling
    release.set()
    await coalescer.flush()
    assert shown == [1, 50]  # one trailing edit shows the last state
    assert coalescer.edits == 2


async def test_hundred_votes_in_ten_seconds_need_at_most_ten_edits():
    coalescer = Coalescer(0.02)  # 2 s scaled down 100×, like the 10 s burst below
    count = {"edits": 0}

    async def edit():
        count["edits"] += 1

    for _ in range(100):
        coalescer.request("poll:1", edit)
        await asyncio.sleep(0.001)  # 100 votes in 0.1 s (10 s scaled down 100×)
    await coalescer.flush()
    assert 2 <= count["edits"] <= 10
