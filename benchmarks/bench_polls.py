"""Poll benchmark, baselines measured in the same run.

    python -m benchmarks.bench_polls

1. Tally + best slot for 25 slots × 50 voters (every voter answers every slot):
   ours (`bot.services.polls.tally` + `best_slot`, one pass over the votes) against a naive
   version that, for each slot, scans all votes for each member and sorts with a
   comparison function. Median of repeated runs.
2. Message edits for 100 votes arriving within 10 s on one poll message: naive (one edit
   per vote) against the Coalescer (at most one edit per 2 s, trailing edit guaranteed).
   Time is scaled down 50× (votes every 2 ms, cooling 40 ms) so the run takes 0.2 s; the
   count of edits does not depend on the scale. Each edit costs 1 ms of simulated HTTP.
   Target: ≤ 10 edits per 100 votes.
"""

from __future__ import annotations

import asyncio
import functools
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from bot.coalescer import Coalescer
from bot.services.polls import best_slot, tally

SLOTS, VOTERS, REPEAT = 25, 50, 200
SCALE = 50
VOTES, WINDOW, INTERVAL = 100, 10.0, 2.0


def make_poll(seed: int = 7):
    rng = random.Random(seed)
    t0 = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)
    slots = [(i + 1, i + 1, t0 + timedelta(hours=i * 7)) for i in range(SLOTS)]
    members = list(range(1000, 1000 + VOTERS))
    votes = [(sid, m, rng.choice(("yes", "yes", "maybe", "no"))) for sid, _, _ in slots for m in members]
    rng.shuffle(votes)
    return slots, votes, members


def naive_best(slots, votes, members, minimum=3):
    rows = []
    for sid, pos, starts in slots:
        yes = maybe = 0
        for m in members:
            for vs, vu, answer in votes:  # scan every vote for every member of every slot
                if vs == sid and vu == m:
                    yes += answer == "yes"
                    maybe += answer == "maybe"
        rows.append((sid, pos, starts, yes, maybe))

    def compare(a, b):
        ka = (a[3] + a[4] < len(members), -(a[3] + a[4]), -a[3], a[2])
        kb = (b[3] + b[4] < len(members), -(b[3] + b[4]), -b[3], b[2])
        return (ka > kb) - (ka < kb)

    rows.sort(key=functools.cmp_to_key(compare))
    top = rows[0]
    return top[0] if top[3] + top[4] >= minimum else None


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def bench_tally() -> tuple[float, float, bool]:
    slots, votes, members = make_poll()
    ours, best = timed(lambda: best_slot(tally(slots, votes, members), 3), REPEAT)
    naive, naive_id = timed(lambda: naive_best(slots, votes, members), 3)
    return ours, naive, (best.slot_id if best else None) == naive_id


async def count_edits(coalesced: bool) -> int:
    edits = 0

    async def edit():
        nonlocal edits
        edits += 1
        await asyncio.sleep(0.001)

    coalescer = Coalescer(INTERVAL / SCALE)
    gap = WINDOW / VOTES / SCALE
    for _ in range(VOTES):
        if coalesced:
            coalescer.request("poll:1", edit)
        else:
            await edit()
        await asyncio.sleep(gap)
    await coalescer.flush()
    return edits


def main() -> None:
    ours, naive, same = bench_tally()
    print(f"tally + best slot, {SLOTS} slots × {VOTERS} voters ({SLOTS * VOTERS} votes)")
    print(f"  naive (scan per member per slot): {naive * 1000:8.2f} ms")
    print(f"  ours (one pass):                  {ours * 1000:8.3f} ms   ratio {naive / ours:6.0f}× faster")
    print(f"  same best slot: {same}")
    naive_edits = asyncio.run(count_edits(False))
    ours_edits = asyncio.run(count_edits(True))
    print(f"message edits for {VOTES} votes within {WINDOW:g} s (one poll message)")
    print(f"  naive (one edit per vote): {naive_edits}")
    print(
        f"  coalesced (≤ 1 per {INTERVAL:g} s):  {ours_edits}   ratio {naive_edits / ours_edits:.0f}× fewer"
    )
    print(f"  target ≤ 10 edits: {'met' if ours_edits <= 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
