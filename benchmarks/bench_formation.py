"""Group formation benchmark: each strategy against the alphabetical baseline, in the same run.

    python -m benchmarks.bench_formation [--quick]

Rosters come from bot.services.synthetic (France, overseas and abroad, evening-heavy
availability, backgrounds). For 75 learners the figures are averaged over several
rosters (one class varies a lot); for 10 000, one roster. Each timing starts cold
(memoised conversions cleared) and includes everything `plan_groups` does:
timezone conversion, masks, grouping, shared hours. Reported per strategy:

- time (median of the runs) and its ratio to alphabetical;
- "≥1 h gave": share of groups whose members who gave availability share at least
  one hour a week (a learner who left it empty is unknown, not never free: this is
  `PlannedGroup.shared_hours`, and the target), with the worst roster;
- "≥1 h all": the strict share, every member counted and an unknown availability
  counted as no hour (a group with one such member never passes);
- mean weekly shared hours per group (members who gave availability);
- mean number of distinct backgrounds per group;
- the most members of unknown availability in one group;
- size violations (groups outside [min, max]).

Targets checked at the end: 10 000 learners in ≤ 1 s for every strategy, and
`availability` giving ≥ 90 % of groups a shared hour (members who gave availability).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from bot.services.formation import STRATEGIES, clear_caches, plan_groups
from bot.services.synthetic import generate_roster

REFERENCE = date(2026, 10, 5)  # a week of October: summer time in France
SIZE_MIN, SIZE_MAX = 5, 6
ORDER = ("alphabetical", *(s for s in STRATEGIES if s != "alphabetical"))


def measure(roster, strategy: str, repeats: int) -> dict[str, float]:
    times = []
    groups = []
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        groups = plan_groups(roster, strategy, SIZE_MIN, SIZE_MAX, seed=0, reference_date=REFERENCE)
        times.append(time.perf_counter() - start)
    count = len(groups)
    return {
        "time": statistics.median(times),
        "with_hour": sum(g.shared_hours >= 1 for g in groups) / count,
        "strict": sum(g.shared_hours >= 1 and not g.unknown for g in groups) / count,
        "hours": sum(g.shared_hours for g in groups) / count,
        "backgrounds": sum(len({m.background_category for m in g.members}) for g in groups) / count,
        "unknown_max": max(len(g.unknown) for g in groups),
        "violations": sum(not SIZE_MIN <= g.size <= SIZE_MAX for g in groups),
        "groups": count,
    }


def run_size(n: int, roster_seeds: list[int], repeats: int) -> dict[str, dict[str, float]]:
    rosters = [generate_roster(n, seed) for seed in roster_seeds]
    results: dict[str, dict[str, float]] = {}
    for strategy in ORDER:
        runs = [measure(roster, strategy, repeats) for roster in rosters]
        merged = {key: statistics.mean(r[key] for r in runs) for key in runs[0]}
        merged["time"] = statistics.median(r["time"] for r in runs)
        merged["violations"] = sum(r["violations"] for r in runs)
        merged["worst_with_hour"] = min(r["with_hour"] for r in runs)
        merged["unknown_max"] = max(r["unknown_max"] for r in runs)
        results[strategy] = merged
    base = results["alphabetical"]
    print(f"\n{n} learners, groups of {SIZE_MIN}-{SIZE_MAX}, {len(rosters)} roster(s), "
          f"{int(base['groups'])} groups each")
    print(f"{'strategy':<13} {'time':>9} {'×alpha':>7} {'≥1 h gave':>10} {'worst':>6} {'≥1 h all':>9} "
          f"{'hours/grp':>10} {'×alpha':>7} {'backgrounds':>11} {'unk./grp':>8} {'size viol.':>10}")
    for strategy, r in results.items():
        hours_ratio = r["hours"] / base["hours"] if base["hours"] else float("inf")
        print(f"{strategy:<13} {r['time'] * 1000:>7.1f}ms {r['time'] / base['time']:>7.1f} "
              f"{r['with_hour']:>10.1%} {r['worst_with_hour']:>6.0%} {r['strict']:>9.1%} "
              f"{r['hours']:>10.2f} {hours_ratio:>7.1f} {r['backgrounds']:>11.2f} {int(r['unknown_max']):>8} "
              f"{int(r['violations']):>10}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_formation")
    parser.add_argument("--quick", action="store_true", help="fewer rosters and repeats")
    args = parser.parse_args(argv)
    small = run_size(75, list(range(1, 6 if args.quick else 21)), repeats=1 if args.quick else 3)
    large = run_size(10_000, [1], repeats=1 if args.quick else 3)
    slowest = max(r["time"] for r in large.values())
    checks = [
        ("10 000 learners ≤ 1 s (slowest strategy)", slowest <= 1.0, f"{slowest:.3f} s"),
        ("availability: ≥ 90 % of groups share an hour (10 000)", large["availability"]["with_hour"] >= 0.9,
         f"{large['availability']['with_hour']:.1%} (strict: {large['availability']['strict']:.1%})"),
        ("availability: ≥ 90 % of groups share an hour (75)", small["availability"]["with_hour"] >= 0.9,
         f"{small['availability']['with_hour']:.1%} (strict: {small['availability']['strict']:.1%})"),
        ("no size violations", all(r["violations"] == 0 for r in (*small.values(), *large.values())), ""),
    ]
    print()
    for label, ok, detail in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}  {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
