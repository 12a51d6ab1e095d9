"""The teachers' course report: through real discord.py (SimCord) — /activity report's summary, chart
and CSV — and the service's figures, windows and stages on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import select

from bot.clock import FakeClock
from bot.services.reports import ReportService, render_chart, render_csv
from storage.models import (
    ActivityDay,
    Course,
    GroupMember,
    LearnerGroup,
    Meetup,
    MeetupAttendance,
    MeetupFeedback,
    Poll,
)
from tests.helpers import final_text, locale
from tests.test_activity import START, cohort  # noqa: F401
from tests.test_nudges_service import course_row

TODAY = datetime(2026, 10, 14, 21, 30, tzinfo=UTC)  # Wednesday 23:30 in Paris


async def report_message(result, seconds: float = 60.0):
    """The report, once drawn: the chart is drawn off the event loop, which SimCord does not wait
    for past its settle timeout (on a fresh machine matplotlib first builds its font cache)."""
    for _ in range(int(seconds / 0.05)):
        for message in (*result.followups, result.response.message if result.response else None):
            if message is not None and message.embeds:
                return message
        await asyncio.sleep(0.05)
    raise AssertionError("no report within the time allowed")


async def test_report_through_discord(cohort, clock):  # noqa: F811
    channels, members, teacher = cohort["channels"], cohort["members"], cohort["teacher"]
    general = cohort["guild"].channels["general"]
    clock.set(START + timedelta(days=2))
    for member in members[1][:3]:
        await member.send(channels[1], "On fait le point sur le TD ?")
    clock.set(START + timedelta(days=9))
    # no scan ran since the groups were made: the newest group channel is watched all the same
    await members[2][0].send(channels[2], "Il y a quelqu'un ?")
    with locale("fr"):
        result = await teacher.slash(general, "activity report", weeks=2)
    assert result.ephemeral
    sent = await report_message(result)
    embed = sent.embeds[0]
    assert embed.title == "Rapport — Apprenants L1"
    assert "Du 03/09/2026 au 16/09/2026 (2 semaine(s)" in embed.description
    assert "🔴 isolement : 1 · 🟡 entraide : 1 · 🟢 communauté : 0" in embed.description
    assert "🟡 **Groupe 1** · 6 membres · 3 messages" in embed.description
    assert "🔴 **Groupe 2** · 6 membres · 1 messages" in embed.description
    assert embed.image.url.startswith("attachment://report-")
    png, table = sent.attachments
    assert png.filename.endswith(".png") and (await png.read()).startswith(b"\x89PNG\r\n\x1a\n")
    rows = list(csv.DictReader(io.StringIO((await table.read()).decode("utf-8-sig"))))
    assert [(r["groupe"], r["debut_semaine"], r["messages"]) for r in rows] == [
        ("1", "2026-09-03", "3"),
        ("1", "2026-09-10", "0"),
        ("2", "2026-09-03", "0"),
        ("2", "2026-09-10", "1"),
    ]
    assert rows[1]["etape"] == "entraide" and rows[3]["etape"] == "isolement"


async def test_report_before_groups_says_how_to_make_them(simcord_env, clock):
    from tests.helpers import school
    from tests.test_groups_flow import setup_course

    world = await school(simcord_env, 3)
    await setup_course(world)
    with locale("fr"):
        result = await world[6].slash(world[2], "activity report")
    assert "`/groups form`" in final_text(result)


# --- the service ------------------------------------------------------------------------------------


async def seed(sessions) -> Course:
    async with sessions() as s, s.begin():
        course = course_row(name="Licence")
        s.add(course)
        await s.flush()
        groups = [
            LearnerGroup(course_id=course.id, number=n, channel_id=100 + n, created_at=START)
            for n in (1, 2, 3)
        ]
        s.add_all(groups)
        await s.flush()
        g1, g2, g3 = (g.id for g in groups)
        for g in groups:
            for u in range(5):
                s.add(
                    GroupMember(group_id=g.id, course_id=course.id, user_id=g.id * 100 + u, joined_at=START)
                )
        # group 1: three members talk on the last days, meet (4 present) and rate the meetup
        for u in range(3):
            s.add(
                ActivityDay(guild_id=1, group_id=g1, user_id=g1 * 100 + u, day=date(2026, 10, 14), messages=2)
            )
        s.add(ActivityDay(guild_id=1, group_id=g1, user_id=g1 * 100, day=date(2026, 9, 30), voice_minutes=45))
        meetup = Meetup(
            group_id=g1,
            guild_id=1,
            title="Visio",
            starts_at=datetime(2026, 10, 8, 18, 30, tzinfo=UTC),
            ends_at=datetime(2026, 10, 8, 19, 30, tzinfo=UTC),
            status="done",
            created_by=g1 * 100,
            created_at=START,
        )
        cancelled = Meetup(
            group_id=g1,
            guild_id=1,
            title="Annulée",
            starts_at=datetime(2026, 10, 9, 18, 30, tzinfo=UTC),
            ends_at=datetime(2026, 10, 9, 19, 30, tzinfo=UTC),
            status="cancelled",
            created_by=g1 * 100,
            created_at=START,
        )
        s.add_all([meetup, cancelled])
        await s.flush()
        for u in range(5):
            s.add(MeetupAttendance(meetup_id=meetup.id, user_id=g1 * 100 + u, seconds=1800, present=u < 4))
        s.add(MeetupFeedback(meetup_id=meetup.id, user_id=g1 * 100, rating=5, again=True, updated_at=START))
        s.add(
            MeetupFeedback(meetup_id=meetup.id, user_id=g1 * 100 + 1, rating=4, again=False, updated_at=START)
        )
        s.add(
            Poll(group_id=g1, channel_id=101, created_by=1, title="Quand ?", deadline=START, created_at=TODAY)
        )
        # group 2: two members, the second only 15 days ago (outside the stage's 14 days)
        s.add(ActivityDay(guild_id=1, group_id=g2, user_id=g2 * 100, day=date(2026, 10, 13), messages=1))
        s.add(ActivityDay(guild_id=1, group_id=g2, user_id=g2 * 100 + 1, day=date(2026, 9, 30), messages=3))
        # group 3: someone talked before the period only
        s.add(ActivityDay(guild_id=1, group_id=g3, user_id=g3 * 100, day=date(2026, 9, 1), messages=9))
        # another course's group: never in this report
        other_course = Course(**{**course.model_dump(exclude={"id"}), "learner_role_id": 99, "name": "Autre"})
        s.add(other_course)
        await s.flush()
        other = LearnerGroup(course_id=other_course.id, number=1, created_at=START)
        s.add(other)
        await s.flush()
        s.add(ActivityDay(guild_id=1, group_id=other.id, user_id=7, day=date(2026, 10, 14), messages=50))
    return course


async def test_windows_figures_and_stages(sessions):
    course = await seed(sessions)
    report = await ReportService(sessions, FakeClock(TODAY)).course_report(course, weeks=3)
    assert report.today == date(2026, 10, 14)  # the course's day, not UTC's
    assert report.week_starts == [date(2026, 9, 24), date(2026, 10, 1), date(2026, 10, 8)]
    g1, g2, g3 = report.groups
    assert (g1.members, g1.messages, g1.voice_minutes) == (5, 6, 45)
    assert [(w.messages, w.voice_minutes, w.active_members) for w in g1.weeks] == [
        (0, 45, 1),
        (0, 0, 0),
        (6, 0, 3),
    ]
    assert (g1.meetups, g1.present, g1.rating_average, g1.again_yes, g1.again_no, g1.polls) == (
        1,
        [4],
        4.5,
        1,
        1,
        1,
    )
    assert g1.stage == "community"
    assert [w.messages for w in g2.weeks] == [3, 0, 1] and g2.stage == "isolation"
    assert g3.messages == 0 and g3.last_active == date(2026, 9, 1) and g3.stage == "isolation"
    assert report.stage_counts() == {"isolation": 2, "mutual_aid": 0, "community": 1}

    table = list(csv.reader(io.StringIO(render_csv(report))))
    assert table[0][:3] == ["group", "week_start", "week_end"]
    assert len(table) == 1 + 3 * 3
    assert table[3][1:3] == ["2026-10-08", "2026-10-14"]  # the current week, so far
    assert table[3][-4:] == ["1", "4.0", "4.5", "community"] and table[1][-1] == ""
    assert render_chart(report, "en").startswith(b"\x89PNG")

    shorter = await ReportService(sessions, FakeClock(TODAY)).course_report(course, weeks=1)
    assert shorter.groups[0].meetups == 1 and shorter.groups[1].weeks[0].messages == 1


async def test_the_stage_reads_the_last_14_days_whatever_the_weeks_shown(sessions):
    course = await seed(sessions)
    later = ReportService(sessions, FakeClock(TODAY + timedelta(days=10)))  # the meetup is 16 days old
    for weeks in (1, 4, 26):
        g1 = (await later.course_report(course, weeks=weeks)).groups[0]
        assert g1.stage == "mutual_aid"  # still 3 active in 14 days, but no meetup in them any more
        assert g1.meetups == (0 if weeks == 1 else 1)  # shown in the weeks that hold it


def test_chart_of_a_large_course_shows_forty_groups_and_the_csv_all():
    import struct

    from bot.services.reports import CHART_MAX_GROUPS, CourseReport, GroupReport, WeekCell

    starts = [date(2026, 10, 1), date(2026, 10, 8)]
    groups = [GroupReport(n, n, 6, [WeekCell(d, n, 0, n % 7) for d in starts]) for n in range(1, 61)]
    report = CourseReport("Grand cours", "Europe/Paris", starts[0], date(2026, 10, 14), starts, groups)
    png = render_chart(report, "fr")
    _width, height = struct.unpack(">II", png[16:24])  # the PNG header
    assert height <= (1.2 + 0.5 * CHART_MAX_GROUPS + 0.5) * 110  # 40 rows drawn, not 60
    assert render_csv(report).count("\n") == 1 + 60 * 2  # every group and week in the CSV


async def test_a_course_with_more_meetups_than_a_query_takes_arguments(sessions):
    """asyncpg takes at most 32 767 arguments a query: the report must not send one per meetup."""
    course = await seed(sessions)
    async with sessions() as s, s.begin():
        query = select(LearnerGroup.id).where(LearnerGroup.course_id == course.id, LearnerGroup.number == 1)
        g1 = (await s.exec(query)).one()
        start = TODAY - timedelta(days=20)
        rows = [
            {
                "group_id": g1,
                "guild_id": 1,
                "title": "Visio",
                "starts_at": start + timedelta(seconds=30 * i),
                "ends_at": start + timedelta(seconds=30 * i + 60),
                "status": "done",
                "created_by": 1,
                "created_at": START,
                "voice_removed": False,
            }
            for i in range(33_000)
        ]
        await (await s.connection()).execute(insert(Meetup.__table__), rows)
    report = await ReportService(sessions, FakeClock(TODAY)).course_report(course, weeks=4)
    assert report.groups[0].meetups == 33_001  # and the seeded one


def test_a_chart_past_eight_weeks_keeps_a_width_discord_can_show():
    import struct

    from bot.services.reports import CourseReport, GroupReport, WeekCell

    def width(weeks: int) -> int:
        starts = [date(2026, 5, 1) + timedelta(days=7 * i) for i in range(weeks)]
        groups = [GroupReport(n, n, 6, [WeekCell(d, n, 3, n % 7) for d in starts]) for n in range(1, 14)]
        today = starts[-1] + timedelta(days=6)
        png = render_chart(CourseReport("Cours", "Europe/Paris", starts[0], today, starts, groups), "fr")
        return struct.unpack(">II", png[16:24])[0]

    assert width(26) <= (1.5 + 0.55 * 26) * 110 + 1  # 4 169 px before: 1.4 in a column whatever the weeks
    assert width(8) >= (1.5 + 1.4 * 8) * 110 - 1  # up to 8 weeks, the full cells
