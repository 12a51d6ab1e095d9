"""`python -m bot groups plan`: plan study groups offline from a roster exported from the LMS.

    python -m bot groups plan --roster roster.csv --strategy availability --size 5-6 [--seed N] [--json]

Same algorithm as `/groups form` (bot.services.formation). Bad input (sizes,
timezone, any bad roster row) is reported with its line number on stderr, with
exit code 2 and nothing planned. `main(argv)` runs it without the rest of the bot.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from typing import Any

from bot.clock import SystemClock
from bot.errors import DomainError
from bot.i18n import LANGUAGES, t
from bot.services.availability import format_availability, from_utc_week, resolve_timezone
from bot.services.formation import (
    DEFAULT_SIZE_MAX,
    DEFAULT_SIZE_MIN,
    STRATEGIES,
    PlannedGroup,
    check_sizes,
    plan_groups,
    sizes_fit,
)
from bot.services.roster import RosterError, decode, parse_roster_csv

EXIT_OK = 0
EXIT_BAD_INPUT = 2
_SIZE_RE = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|—|:|\.\.|to|à|a)\s*(\d+))?\s*$")


class BadInput(Exception):
    """A message already rendered for the user."""


def register(subparsers: Any) -> None:
    """Add `groups plan …` to an argparse sub-parsers object; the handler is `args.handler(args) -> int`."""
    groups = subparsers.add_parser("groups", help="study groups: plan them from a roster (teachers' tool)")
    groups_sub = groups.add_subparsers(dest="groups_command", required=True)
    plan = groups_sub.add_parser(
        "plan",
        help="print groups for a roster CSV (name,city,region,timezone,availability,about)",
        description="Plan study groups from a roster exported from the LMS, with the same algorithm as "
        "/groups form. Nothing is saved.",
    )
    plan.add_argument("--roster", required=True, help="roster CSV file ('-' for standard input)")
    plan.add_argument("--strategy", default="availability", choices=STRATEGIES,
                      help="how to form groups (default: availability)")
    plan.add_argument("--size", default=f"{DEFAULT_SIZE_MIN}-{DEFAULT_SIZE_MAX}",
                      help="group size MIN-MAX, or N (default: 5-6)")
    plan.add_argument("--seed", type=int, default=0, help="breaks ties; same seed, same groups (default: 0)")
    plan.add_argument("--json", action="store_true", help="print JSON instead of a table")
    plan.add_argument("--lang", default="fr", choices=LANGUAGES, help="language of the output (default: fr)")
    plan.add_argument("--timezone", default="Europe/Paris",
                      help="timezone for rows without one, and to show shared slots (default: Europe/Paris)")
    plan.add_argument("--date", default=None,
                      help="a day in the week planned, YYYY-MM-DD: summer or winter time (default: today)")
    plan.set_defaults(handler=run_plan)


def main(argv: list[str] | None = None) -> int:
    """Run `groups …` on its own (tests, scripts); returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "plan":
        argv = ["groups", *argv]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    return args.handler(args)


def parse_size(text: str) -> tuple[int, int]:
    """'5-6' → (5, 6), '4' → (4, 4). Raises DomainError for unreadable or impossible sizes."""
    match = _SIZE_RE.match(text or "")
    if not match:
        raise DomainError("planning.size.unreadable", value=text, example="5-6")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    check_sizes(low, high)
    return low, high


def run_plan(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        output = _plan(args)
    except BadInput as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except RosterError as exc:
        print(t(exc.key, lang, **exc.params), file=sys.stderr)
        for line, key, params in exc.problems:
            reason = t(key, lang, **params)
            print(t("planning.roster.problem", lang, line=line, reason=reason), file=sys.stderr)
        return EXIT_BAD_INPUT
    except DomainError as exc:
        print(t(exc.key, lang, **exc.params), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(output)
    return EXIT_OK


def _plan(args: argparse.Namespace) -> str:
    lang = args.lang
    size_min, size_max = parse_size(args.size)
    display_zone = resolve_timezone(args.timezone)
    if args.date:
        try:
            reference = date.fromisoformat(args.date)
        except ValueError:
            raise BadInput(t("planning.cli.bad_date", lang, value=args.date)) from None
    else:
        reference = SystemClock().now().astimezone(display_zone).date()
    data = _read(args.roster, lang)
    learners = parse_roster_csv(data, default_tz=display_zone.key)
    groups = plan_groups(
        learners, args.strategy, size_min, size_max, seed=args.seed, reference_date=reference
    )
    warnings = _warnings(len(learners), size_min, size_max)
    if args.json:
        return json.dumps(_as_json(args, groups, reference, size_min, size_max, warnings, lang),
                          ensure_ascii=False, indent=2)
    return _as_table(args, groups, reference, size_min, size_max, warnings, display_zone.key)


def _read(path: str, lang: str) -> str:
    try:
        if path == "-":
            return decode(sys.stdin.buffer.read())
        with open(path, "rb") as handle:
            return decode(handle.read())
    except OSError:
        raise BadInput(t("planning.cli.file_not_found", lang, path=path)) from None


def _warnings(count: int, size_min: int, size_max: int) -> list[tuple[str, dict[str, Any]]]:
    if 0 < count < size_min:
        return [("planning.cli.undersized", {"count": count, "min": size_min})]
    if count and not sizes_fit(count, size_min, size_max):
        return [("planning.cli.oversized", {"count": count, "min": size_min, "max": size_max})]
    return []


def _hours(value: float, lang: str) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def _shared_text(group: PlannedGroup, zone: str, reference: date, lang: str) -> str:
    return format_availability(from_utc_week(group.shared_utc, zone, reference), lang)


def _as_json(args, groups, reference, size_min, size_max, warnings, lang) -> dict[str, Any]:
    return {
        "strategy": args.strategy,
        "seed": args.seed,
        "size": {"min": size_min, "max": size_max},
        "reference_date": reference.isoformat(),
        "learners": sum(g.size for g in groups),
        "groups": [
            {
                "members": [m.name for m in g.members],
                "shared_hours": g.shared_hours,
                "unknown_availability": [m.name for m in g.unknown],
                "regions": list(g.regions),
                "timezones": list(g.timezones),
                "shared_slots_utc": [list(pair) for pair in g.shared_utc],
                "shared_slots": _shared_text(g, args.timezone, reference, lang),
            }
            for g in groups
        ],
        "groups_with_shared_hour": sum(1 for g in groups if g.shared_hours >= 1),
        "size_violations": sum(1 for g in groups if not size_min <= g.size <= size_max),
        "unassigned": [],
        "warnings": [t(key, lang, **params) for key, params in warnings],
    }


def _as_table(args, groups, reference, size_min, size_max, warnings, zone) -> str:
    lang = args.lang
    if not groups:
        return t("planning.cli.no_learners", lang)
    lines = [
        t("planning.cli.header", lang, count=sum(g.size for g in groups), groups=len(groups), min=size_min,
          max=size_max, strategy=t(f"planning.strategy.{args.strategy}", lang), seed=args.seed)
    ]
    lines.extend(t(key, lang, **params) for key, params in warnings)
    dash = t("planning.cli.unknown", lang)
    for number, group in enumerate(groups, 1):
        lines.append("")
        lines.append(t("planning.cli.group", lang, number=number, size=group.size,
                       hours=_hours(group.shared_hours, lang), regions=", ".join(group.regions) or dash))
        if group.shared_utc:
            lines.append(t("planning.cli.shared_times", lang, timezone=zone,
                           times=_shared_text(group, zone, reference, lang)))
        if group.unknown:
            names = ", ".join(m.name for m in group.unknown)
            lines.append(t("planning.cli.unknown_members", lang, names=names))
        not_given = t("planning.cli.availability_not_given", lang)
        for member in group.members:
            lines.append(t("planning.cli.member", lang, name=member.name, city=member.city or dash,
                           region=member.region or dash, timezone=member.timezone,
                           availability=format_availability(member.availability, lang)
                           if member.availability else not_given))
    with_hour = sum(1 for g in groups if g.shared_hours >= 1)
    average = sum(g.shared_hours for g in groups) / len(groups)
    lines.append("")
    lines.append(t("planning.cli.summary", lang, with_hour=with_hour, groups=len(groups),
                   average=_hours(round(average, 1), lang)))
    unknown = sum(len(g.unknown) for g in groups)
    if unknown:
        lines.append(t("planning.cli.unknown_summary", lang, count=unknown,
                       groups=sum(1 for g in groups if g.unknown)))
    return "\n".join(lines)
