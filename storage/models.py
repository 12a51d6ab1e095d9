"""SQLModel tables. Snowflakes are BigInteger; datetimes are aware UTC.

Every table change comes with an Alembic revision in storage/migrations/versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, LargeBinary, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from storage.types import Snowflake, UTCDateTime


class BotState(SQLModel, table=True):
    """Small key/value facts about the bot itself (e.g. the hash of the last command sync)."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=4000)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Course(SQLModel, table=True):
    """A course on a guild: its roles, staff channel and settings (edited by /course)."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("guild_id", "learner_role_id", name="uq_course_learner_role"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    name: str = Field(max_length=100)
    learner_role_id: int = Field(sa_type=Snowflake)
    teacher_role_id: int = Field(sa_type=Snowflake)
    staff_channel_id: int = Field(sa_type=Snowflake)
    timezone: str = Field(max_length=64)
    start_date: date
    group_size_min: int = 5
    group_size_max: int = 6
    teachers_see_groups: bool = False
    category_name: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    # Activity watch and weekly nudges (migration 0005).
    quiet_days: int = 7
    isolation_days: int = 10
    unanswered_hours: int = 24
    nudge_weekday: int = 0  # Monday
    nudge_time: str = Field(default="18:00", max_length=5)
    # Polls and meetups (migration 0004).
    meetup_min_attendees: int = 3
    keep_voice_channels: bool = False
    # The language of what the bot posts for the course (migration 0016): "fr" or "en"; None for a
    # course set up before, which keeps the server's.
    language: str | None = Field(default=None, max_length=5)


class Profile(SQLModel, table=True):
    """What a learner tells about themselves (per guild). Never message content."""

    __tablename__ = "profile"
    __table_args__ = (UniqueConstraint("guild_id", "user_id", name="uq_profile_member"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    user_id: int = Field(sa_type=Snowflake)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    timezone: str | None = Field(default=None, max_length=64)
    availability: str | None = Field(default=None, max_length=300)
    about: str | None = Field(default=None, max_length=400)
    # Their own meetup reminder: a private message this many minutes before each meetup of their
    # group, in the language they set it in.
    reminder_minutes: int | None = None
    reminder_lang: str | None = Field(default=None, max_length=10)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LearnerGroup(SQLModel, table=True):
    """A small group of a course and its private channel."""

    __tablename__ = "learner_group"
    __table_args__ = (UniqueConstraint("course_id", "number", name="uq_group_number"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    number: int
    channel_id: int | None = Field(default=None, sa_type=Snowflake, index=True)
    status: str = Field(default="active", max_length=20)  # active | archived
    icebreaker_sent: bool = False
    channel_missing_reported: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class GroupMember(SQLModel, table=True):
    """A learner's place in a group; one group per learner per course."""

    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_member_course"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learner_group.id", index=True)
    course_id: int = Field(foreign_key="course.id")
    user_id: int = Field(sa_type=Snowflake, index=True)
    joined_at: datetime = Field(sa_type=UTCDateTime)


class Formation(SQLModel, table=True):
    """A proposed split of a course's learners, kept so Confirm works after a restart."""

    __tablename__ = "formation"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    strategy: str = Field(max_length=20)
    seed: int = 0
    plan: str  # JSON: [[user_id, ...], ...]
    status: str = Field(default="preview", max_length=20)  # preview | confirmed | cancelled
    created_by: int = Field(sa_type=Snowflake)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Action(SQLModel, table=True):
    """A scheduled or alerting action, claimed atomically before it is done.

    `(kind, key)` is unique: scheduling the same action twice is a no-op, so a
    restart or a second process can never create a duplicate. A claim holds a
    lease; a worker that dies mid-action loses it and another retries the row.
    """

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_action_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=50)
    key: str = Field(max_length=200)
    # the guild it acts in: only the process holding that guild's gateway shard claims it
    guild_id: int | None = Field(default=None, sa_type=Snowflake)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    payload: str = "{}"
    status: str = Field(default="pending", max_length=20, index=True)  # pending|running|done|failed|cancelled
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=100)
    nonce: str = Field(max_length=25)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- activity watch (migration 0005): counts and ids only, never message content -------------------


class ActivityDay(SQLModel, table=True):
    """Messages and voice minutes of one member on one day (course timezone).

    `group_id` 0: activity outside the group channels (help channels, voice…)."""

    __tablename__ = "activity_day"
    __table_args__ = (
        UniqueConstraint("guild_id", "group_id", "user_id", "day", name="uq_activity_day"),
        # groups' days in a period, a group's last active day (reports, digests, nudges)
        Index("ix_activity_day_group_day", "group_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    group_id: int = 0
    user_id: int = Field(sa_type=Snowflake)
    day: date = Field(index=True)
    messages: int = 0
    voice_minutes: int = 0


class MemberLastActive(SQLModel, table=True):
    """The last day a member posted or spoke anywhere on the guild (for the isolation scan)."""

    __tablename__ = "member_last_active"
    __table_args__ = (UniqueConstraint("guild_id", "user_id", name="uq_member_last_active"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    user_id: int = Field(sa_type=Snowflake)
    day: date


class GroupWatch(SQLModel, table=True):
    """A group's last active day and the teachers' snooze (for the quiet scan)."""

    __tablename__ = "group_watch"

    group_id: int = Field(primary_key=True)
    last_active_day: date | None = None
    snoozed_until: date | None = None
    snoozes: int = 0


class OpenQuestion(SQLModel, table=True):
    """A question seen in a group or help channel: ids and times only, never the text."""

    __tablename__ = "open_question"

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    course_id: int | None = None
    channel_id: int = Field(sa_type=Snowflake, index=True)
    message_id: int = Field(sa_type=Snowflake, unique=True)
    author_id: int = Field(sa_type=Snowflake)
    asked_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Newcomer(SQLModel, table=True):
    """A learner who arrived after the course start, and where they were placed (and by which rule);
    `left` once they left the course, `removed` when a teacher took them out of their group (they are
    not placed again automatically; a learner of the first groups gets a row then too)."""

    __tablename__ = "newcomer"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_newcomer"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    user_id: int = Field(sa_type=Snowflake)
    arrived_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="waiting", max_length=20)  # waiting | placed | left | removed
    group_id: int | None = None
    rule: str | None = Field(default=None, max_length=20)  # room | overflow | new_group
    placed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DepartureRecord(SQLModel, table=True):
    """A learner who left a course (the server, the learner role, or taken out by a teacher): for the
    weekly digest and the course report. `group_id` is the group they left; None when they were
    waiting for one."""

    __tablename__ = "departure"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    user_id: int = Field(sa_type=Snowflake)
    group_id: int | None = None
    reason: str = Field(max_length=20)  # server | role | away | teacher
    left_at: datetime = Field(sa_type=UTCDateTime)


class NudgeOptOut(SQLModel, table=True):
    """A learner who asked (/nudges off) not to be mentioned by weekly nudges."""

    __tablename__ = "nudge_optout"
    __table_args__ = (UniqueConstraint("guild_id", "user_id", name="uq_nudge_optout"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    user_id: int = Field(sa_type=Snowflake)
    created_at: datetime = Field(sa_type=UTCDateTime)


class WatchOptOut(SQLModel, table=True):
    """A learner who asked (/mydata watch follow:False) not to be followed by the activity watch: no
    counts of their own (their messages and voice minutes count for their group, anonymously) and no
    isolation alert about them. Migration 0015."""

    __tablename__ = "watch_optout"
    __table_args__ = (UniqueConstraint("guild_id", "user_id", name="uq_watch_optout"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    user_id: int = Field(sa_type=Snowflake)
    created_at: datetime = Field(sa_type=UTCDateTime)


# --- polls and meetups (migration 0004) -----------------------------------------------------------


class Poll(SQLModel, table=True):
    """A "find a time" poll in a group channel; closed once (conditional UPDATE on status)."""

    __tablename__ = "poll"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learner_group.id", index=True)
    channel_id: int = Field(sa_type=Snowflake)
    message_id: int | None = Field(default=None, sa_type=Snowflake)
    created_by: int = Field(sa_type=Snowflake)
    title: str = Field(max_length=100)
    length_minutes: int = 60
    deadline: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="open", max_length=20)  # open | closed | cancelled
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    best_slot_id: int | None = None
    timezone: str = Field(default="Europe/Paris", max_length=64)  # the creator's, for display
    close_reason: str | None = Field(default=None, max_length=20)  # deadline | early | all_answered
    # A weekly poll: a week after it opened, the next week's poll opens with its slots a week later.
    repeat_weekly: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    repeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # when the next one opens
    # The poll of the week before, unique: the next poll of a series is opened once.
    repeated_from: int | None = Field(default=None, foreign_key="poll.id", unique=True)


class PollSlot(SQLModel, table=True):
    __tablename__ = "poll_slot"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    starts_at: datetime = Field(sa_type=UTCDateTime)


class PollVote(SQLModel, table=True):
    """One member's answer for one slot: yes | maybe | no (changeable until the close)."""

    __tablename__ = "poll_vote"
    __table_args__ = (UniqueConstraint("poll_id", "slot_id", "user_id", name="uq_poll_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    slot_id: int = Field(foreign_key="poll_slot.id")
    user_id: int = Field(sa_type=Snowflake)
    answer: str = Field(max_length=5)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Meetup(SQLModel, table=True):
    """A group meeting by voice: its channel, its Discord scheduled event, its life cycle."""

    __tablename__ = "meetup"
    __table_args__ = (UniqueConstraint("poll_id", name="uq_meetup_poll"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learner_group.id", index=True)
    poll_id: int | None = Field(default=None, foreign_key="poll.id")
    guild_id: int = Field(default=0, sa_type=Snowflake, index=True)
    title: str = Field(max_length=100)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    voice_channel_id: int | None = Field(default=None, sa_type=Snowflake, index=True)
    event_id: int | None = Field(default=None, sa_type=Snowflake)
    status: str = Field(default="scheduled", max_length=20)  # scheduled | active | done | cancelled
    created_by: int = Field(sa_type=Snowflake)
    created_at: datetime = Field(sa_type=UTCDateTime)
    voice_empty_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voice_removed: bool = False
    feedback_message_id: int | None = Field(default=None, sa_type=Snowflake)


class MeetupAttendance(SQLModel, table=True):
    """Time a member spent in the meetup's voice channel within its window (seconds, accumulated)."""

    __tablename__ = "meetup_attendance"
    __table_args__ = (UniqueConstraint("meetup_id", "user_id", name="uq_meetup_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    meetup_id: int = Field(foreign_key="meetup.id", index=True)
    user_id: int = Field(sa_type=Snowflake)
    seconds: int = 0
    joined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # open interval, if in the channel
    present: bool = False


class MeetupFeedback(SQLModel, table=True):
    """After a meetup: a 1–5 rating and "meet again?", one row per member, changeable."""

    __tablename__ = "meetup_feedback"
    __table_args__ = (UniqueConstraint("meetup_id", "user_id", name="uq_meetup_feedback"),)

    id: int | None = Field(default=None, primary_key=True)
    meetup_id: int = Field(foreign_key="meetup.id", index=True)
    user_id: int = Field(sa_type=Snowflake)
    rating: int | None = None
    again: bool | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime)


# --- FAQ (migration 0006): the teachers' base, learners' questions to the bot, votes -----------------

_GUILD_WIDE = text("course_id IS NULL")


class FaqEntryRow(SQLModel, table=True):
    """One entry of a FAQ base: a course's (course_id set) or the guild's (course_id NULL)."""

    __tablename__ = "faq_entry"
    __table_args__ = (
        UniqueConstraint("guild_id", "course_id", "entry_id", name="uq_faq_entry"),
        # NULLs are distinct in a unique constraint: the guild-wide base needs its own index.
        Index(
            "uq_faq_entry_guild_wide",
            "guild_id",
            "entry_id",
            unique=True,
            sqlite_where=_GUILD_WIDE,
            postgresql_where=_GUILD_WIDE,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    course_id: int | None = Field(default=None, index=True)
    entry_id: str = Field(max_length=64)
    question: str = Field(max_length=300)
    variants: str = Field(default="[]", max_length=20000)  # JSON list of strings
    answer: str = Field(max_length=1800)  # the teacher's markdown, kept as typed
    tags: str = Field(default="[]", max_length=2000)  # JSON list of strings
    lang: str = Field(default="fr", max_length=5)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # +1 on every change: how a bot process tells that its live matcher is behind the database
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class FaqQuestion(SQLModel, table=True):
    """A question put to the FAQ: `/faq ask` (kind "ask", the learner's text kept only while it may
    be a gap) or an auto-suggestion under a help-channel message (kind "suggest", ids only)."""

    __tablename__ = "faq_question"

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake)
    course_id: int | None = Field(default=None, index=True)
    kind: str = Field(max_length=10)  # ask | suggest
    user_id: int = Field(sa_type=Snowflake)
    channel_id: int = Field(sa_type=Snowflake, index=True)
    message_id: int | None = Field(default=None, sa_type=Snowflake, unique=True)  # suggest: the message
    text: str | None = Field(default=None, max_length=300)
    entry_id: str | None = Field(default=None, max_length=64)  # the best entry, even when unsure
    picked_entry_id: str | None = Field(default=None, max_length=64)  # the close entry the asker opened
    score: float = 0.0
    confident: bool = False
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class FaqVote(SQLModel, table=True):
    """Helpful / not helpful: one per member per question, changeable."""

    __tablename__ = "faq_vote"
    __table_args__ = (UniqueConstraint("question_id", "user_id", name="uq_faq_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="faq_question.id", index=True)
    user_id: int = Field(sa_type=Snowflake)
    helpful: bool
    updated_at: datetime = Field(sa_type=UTCDateTime)


class FaqHelpChannel(SQLModel, table=True):
    """A channel (text or forum) where questions get FAQ auto-suggestions, and whose base it uses."""

    __tablename__ = "faq_help_channel"

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    channel_id: int = Field(sa_type=Snowflake, unique=True)
    course_id: int | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class FaqCourseSetting(SQLModel, table=True):
    """Per course: whether auto-suggest also answers in the groups' private channels (off by default)."""

    __tablename__ = "faq_course_setting"

    course_id: int = Field(foreign_key="course.id", primary_key=True)
    suggest_in_groups: bool = False


class FaqVector(SQLModel, table=True):
    """An FAQ entry text's embedding, so a restart does not embed the whole base again.

    `scope` is "<guild id>:<course id or ->"; `key` hashes the model's name with the text, so an
    edited entry or another model simply misses and is embedded again.
    """

    __tablename__ = "faq_vector"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_faq_vector"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=50, index=True)
    key: str = Field(max_length=64)
    vector: bytes = Field(sa_type=LargeBinary)


metadata = SQLModel.metadata
