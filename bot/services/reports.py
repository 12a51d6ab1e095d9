"""The teachers' course report: each group's activity week by week, its meetups, and where it stands.

- `ReportService.course_report(course, weeks)`: per active group, `weeks` windows of 7 days ending
  today (course timezone; the last one is the current week so far): messages, voice minutes,
  members active, learners who left the course; meetups held in the period (members present
  ≥ 10 min, average rating, "meet again?"), polls opened; the last active day; and the group's stage.
- Stages, after the research in seeds/002 (collectives move from isolation to a mutual-aid
  network to a micro-community, and can fall back), read on the last 14 days whatever the period
  shown: `isolation` when fewer than 2 members posted or spoke; `community` when, on top of that,
  the group held a meetup in those 14 days with at least 3 members present; `mutual_aid` otherwise.
- `render_chart` (a PNG heat map: groups × weeks, coloured by the share of members active, each
  cell with them, its messages and voice minutes) and `render_csv` (one row per group and week)
  turn it into files.

Group figures only: no learner's activity is listed (the isolation alerts name those who need a
word). Counts come from the activity watch's daily rows, never from message content.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bot.clock import Clock
from bot.i18n import t
from bot.services.activity import local_day, local_today
from storage.db import SessionFactory
from storage.models import (
    ActivityDay,
    Course,
    DepartureRecord,
    GroupMember,
    LearnerGroup,
    Meetup,
    MeetupAttendance,
    MeetupFeedback,
    Poll,
)

MAX_WEEKS = 26
CHART_MAX_GROUPS = 40  # a taller picture is unreadable in Discord: the CSV has every group
CHART_FULL_CELLS_WEEKS = 8  # beyond, cells show only "active/members", in narrower columns
CHART_LABELS = ("group", "week", "cell", "cell_short", "short", "colorbar", "more")
STAGE_DAYS = 14
COMMUNITY_PRESENT = 3
STAGES = ("isolation", "mutual_aid", "community")


@dataclass(frozen=True)
class WeekCell:
    start: date  # first day of the 7-day window (course timezone)
    messages: int = 0
    voice_minutes: int = 0
    active_members: int = 0
    left: int = 0  # learners who left the course from this group that week


@dataclass
class GroupReport:
    group_id: int
    number: int
    members: int
    weeks: list[WeekCell] = field(default_factory=list)
    meetups: int = 0  # held in the period (ended, not cancelled)
    present: list[int] = field(default_factory=list)  # members present, per meetup held
    ratings: list[int] = field(default_factory=list)
    again_yes: int = 0
    again_no: int = 0
    polls: int = 0
    last_active: date | None = None
    stage: str = "isolation"

    @property
    def messages(self) -> int:
        return sum(w.messages for w in self.weeks)

    @property
    def voice_minutes(self) -> int:
        return sum(w.voice_minutes for w in self.weeks)

    @property
    def left(self) -> int:
        return sum(w.left for w in self.weeks)

    @property
    def present_average(self) -> float | None:
        return round(sum(self.present) / len(self.present), 1) if self.present else None

    @property
    def rating_average(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


@dataclass
class CourseReport:
    course: str
    timezone: str
    first_day: date
    today: date
    week_starts: list[date]
    groups: list[GroupReport]
    left_elsewhere: int = 0  # learners who left while waiting for a group, or from a group since archived

    @property
    def learners(self) -> int:
        return sum(g.members for g in self.groups)

    @property
    def left(self) -> int:
        return self.left_elsewhere + sum(g.left for g in self.groups)

    def stage_counts(self) -> dict[str, int]:
        return {s: sum(1 for g in self.groups if g.stage == s) for s in STAGES}


def stage_of(active_recent: int, community_meetup: bool) -> str:
    if active_recent < 2:
        return "isolation"
    return "community" if community_meetup else "mutual_aid"


class ReportService:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def course_report(self, course: Course, weeks: int = 4) -> CourseReport:
        weeks = max(1, min(MAX_WEEKS, weeks))
        today = local_today(self._clock, course.timezone)
        first = today - timedelta(days=7 * weeks - 1)
        starts = [first + timedelta(days=7 * i) for i in range(weeks)]
        recent = today - timedelta(days=STAGE_DAYS - 1)
        now = self._clock.now()
        since = min(first, recent)
        bound = datetime.combine(since - timedelta(days=1), time.min, UTC)
        async with self._sessions() as s:
            groups = (
                await s.exec(
                    select(LearnerGroup)
                    .where(LearnerGroup.course_id == course.id, LearnerGroup.status == "active")
                    .order_by(LearnerGroup.number)
                )
            ).all()
            ids = [g.id for g in groups]
            sizes = dict(
                (
                    await s.exec(
                        select(GroupMember.group_id, func.count())
                        .where(col(GroupMember.group_id).in_(ids))
                        .group_by(GroupMember.group_id)
                    )
                ).all()
            )
            days = (
                await s.exec(
                    select(
                        ActivityDay.group_id,
                        ActivityDay.user_id,
                        ActivityDay.day,
                        ActivityDay.messages,
                        ActivityDay.voice_minutes,
                    ).where(
                        col(ActivityDay.group_id).in_(ids), ActivityDay.day >= since, ActivityDay.day <= today
                    )
                )
            ).all()
            last_days = dict(
                (
                    await s.exec(
                        select(ActivityDay.group_id, func.max(ActivityDay.day))
                        .where(col(ActivityDay.group_id).in_(ids), ActivityDay.day <= today)
                        .group_by(ActivityDay.group_id)
                    )
                ).all()
            )
            # Meetups and polls of the days read (a day of margin for the timezone; the exact course
            # days are kept below). Attendance and feedback through a subquery: a course's meetups
            # can outnumber what a driver takes as query parameters (asyncpg: 32 767).
            held = (
                col(Meetup.group_id).in_(ids),
                Meetup.status != "cancelled",
                Meetup.ends_at <= now,
                Meetup.starts_at >= bound,
            )
            meetups = (await s.exec(select(Meetup.id, Meetup.group_id, Meetup.starts_at).where(*held))).all()
            held_ids = select(Meetup.id).where(*held)
            present = dict(
                (
                    await s.exec(
                        select(MeetupAttendance.meetup_id, func.count())
                        .where(col(MeetupAttendance.meetup_id).in_(held_ids), col(MeetupAttendance.present))
                        .group_by(MeetupAttendance.meetup_id)
                    )
                ).all()
            )
            feedback = (
                await s.exec(
                    select(MeetupFeedback.meetup_id, MeetupFeedback.rating, MeetupFeedback.again).where(
                        col(MeetupFeedback.meetup_id).in_(held_ids)
                    )
                )
            ).all()
            polls = (
                await s.exec(
                    select(Poll.group_id, Poll.created_at).where(
                        col(Poll.group_id).in_(ids), Poll.created_at >= bound
                    )
                )
            ).all()
            departures = (
                await s.exec(
                    select(DepartureRecord.group_id, DepartureRecord.left_at).where(
                        DepartureRecord.course_id == course.id, DepartureRecord.left_at >= bound
                    )
                )
            ).all()

        reports = {g.id: GroupReport(g.id, g.number, int(sizes.get(g.id, 0))) for g in groups}
        cells: dict[tuple[int, int], list] = {}
        active: dict[tuple[int, int], set[int]] = {}
        recent_active: dict[int, set[int]] = {}
        for group_id, user_id, day, messages, voice in days:
            if day >= recent and (messages or voice):
                recent_active.setdefault(group_id, set()).add(user_id)
            if day < first:
                continue
            key = (group_id, (day - first).days // 7)
            totals = cells.setdefault(key, [0, 0])
            totals[0] += messages
            totals[1] += voice
            if messages or voice:
                active.setdefault(key, set()).add(user_id)
        left: dict[tuple[int | None, int], int] = {}  # (group or None, week) → learners who left
        for group_id, left_at in departures:
            day = local_day(left_at, course.timezone)
            if first <= day <= today:
                slot = (group_id if group_id in reports else None, (day - first).days // 7)
                left[slot] = left.get(slot, 0) + 1
        for g in reports.values():
            g.weeks = [
                WeekCell(
                    start,
                    *cells.get((g.group_id, i), (0, 0)),
                    len(active.get((g.group_id, i), ())),
                    left.get((g.group_id, i), 0),
                )
                for i, start in enumerate(starts)
            ]
            g.last_active = last_days.get(g.group_id)
        zone_day = {m_id: local_day(starts_at, course.timezone) for m_id, _, starts_at in meetups}
        held_in_period = {m_id for m_id, day in zone_day.items() if first <= day <= today}
        community = {
            group_id
            for m_id, group_id, _ in meetups
            if recent <= zone_day[m_id] <= today and present.get(m_id, 0) >= COMMUNITY_PRESENT
        }
        for m_id, group_id, _ in meetups:
            if m_id not in held_in_period:
                continue
            g = reports[group_id]
            g.meetups += 1
            g.present.append(int(present.get(m_id, 0)))
        group_of_meetup = {m_id: group_id for m_id, group_id, _ in meetups}
        for m_id, rating, again in feedback:
            if m_id not in held_in_period:
                continue
            g = reports[group_of_meetup[m_id]]
            if rating is not None:
                g.ratings.append(rating)
            g.again_yes += again is True
            g.again_no += again is False
        for group_id, created_at in polls:
            if first <= local_day(created_at, course.timezone) <= today:
                reports[group_id].polls += 1
        for g in reports.values():
            g.stage = stage_of(len(recent_active.get(g.group_id, ())), g.group_id in community)
        elsewhere = sum(n for (group_id, _), n in left.items() if group_id is None)
        return CourseReport(
            course.name, course.timezone, first, today, starts, list(reports.values()), elsewhere
        )


# --- files -----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "group",
    "week_start",
    "week_end",
    "members",
    "messages",
    "voice_minutes",
    "active_members",
    "left",
    "meetups",
    "present_average",
    "rating_average",
    "stage",
)


def render_csv(report: CourseReport, lang: str | None = None) -> str:
    """One row per group and week. Meetups and their averages cover the whole period, and the stage
    is read today: they fill each group's last row. Column names and stages in `lang` (the catalog's
    `report.csv.*`, `report.stage.*`); without it, the code's names."""
    header = {c: t(f"report.csv.{c}", lang) for c in CSV_COLUMNS} if lang else {}
    stages = {s: t(f"report.stage.{s}", lang) for s in STAGES} if lang else {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header.get(c, c) for c in CSV_COLUMNS])
    for g in report.groups:
        for i, w in enumerate(g.weeks):
            last = i == len(g.weeks) - 1
            writer.writerow(
                [
                    g.number,
                    w.start.isoformat(),
                    min(w.start + timedelta(days=6), report.today).isoformat(),
                    g.members,
                    w.messages,
                    w.voice_minutes,
                    w.active_members,
                    w.left,
                    g.meetups if last else "",
                    ("" if g.present_average is None else g.present_average) if last else "",
                    ("" if g.rating_average is None else g.rating_average) if last else "",
                    stages.get(g.stage, g.stage) if last else "",
                ]
            )
    return out.getvalue()


def render_chart(report: CourseReport, lang: str) -> bytes:
    """A PNG heat map: one row per group, one column per week, coloured by the share of the group's
    members who wrote or spoke that week (a group that meets by voice is not shown as quiet); each
    cell shows them, the messages and the voice minutes — only them past CHART_FULL_CELLS_WEEKS
    weeks, in narrower columns (Discord shows a wider picture too small to read, and drawing the
    text is most of the time); the first CHART_MAX_GROUPS groups only (said under the title). Its
    words are the catalog's `report.chart.*` in `lang`."""
    labels = {key: t(f"report.chart.{key}", lang) for key in CHART_LABELS}
    labels["title"] = t("report.chart.title", lang, course=report.course)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    shown = report.groups[:CHART_MAX_GROUPS]
    rows = max(1, len(shown))
    cols = len(report.week_starts)
    share = [[100.0 * w.active_members / g.members if g.members else 0.0 for w in g.weeks] for g in shown]
    data = np.array(share or [[0.0] * cols])
    full = cols <= CHART_FULL_CELLS_WEEKS
    width = 1.5 + (1.4 if full else 0.55) * cols
    fig, ax = plt.subplots(figsize=(max(6.0, width), max(2.5, 1.2 + 0.5 * rows)), dpi=110)
    try:
        image = ax.imshow(data, cmap="YlGn", aspect="auto", vmin=0, vmax=100)
        ax.set_xticks(
            range(cols),
            [labels["week"].format(date=d.strftime("%d/%m")) for d in report.week_starts],
            rotation=0 if full else 60,
            ha="center" if full else "right",
            rotation_mode="anchor",
        )
        ax.set_yticks(range(rows), [labels["group"].format(n=g.number) for g in shown] or [""])
        ax.tick_params(length=0)
        cell = labels["cell" if full else "cell_short"]
        for r, g in enumerate(shown):
            for c, w in enumerate(g.weeks):
                text = cell.format(
                    active=w.active_members, members=g.members, messages=w.messages, voice=w.voice_minutes
                )
                dark = data[r, c] > 60
                ax.text(
                    c, r, text, ha="center", va="center", fontsize=8, color="white" if dark else "#222222"
                )
        title = labels["title"]
        if not full:
            title += "\n" + labels["short"]
        if len(report.groups) > len(shown):
            title += "\n" + labels["more"].format(shown=len(shown), total=len(report.groups))
        ax.set_title(title, fontsize=11, loc="left")
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02).set_label(labels["colorbar"])
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)
