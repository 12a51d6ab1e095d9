"""The Discord permissions the bot asks for in its invite link, and why.

Kept in one place: the README's invite URL is checked against it by a test. A bot can only
allow, in a channel's permission overwrites, permissions it has itself: every permission the
group and meetup channels grant their members is in this list.
"""

from __future__ import annotations

# (name as discord.py spells it, bit, why)
REQUIRED = (
    ("manage_channels", 1 << 4, "create private group text/voice channels and categories"),
    ("stream", 1 << 9, "let group members share video in their meetup's voice channel (overwrite)"),
    ("view_channel", 1 << 10, "see the channels it works in"),
    ("send_messages", 1 << 11, "post icebreakers, polls, nudges and teacher alerts"),
    ("embed_links", 1 << 14, "show intro cards, polls and reports as embeds"),
    ("attach_files", 1 << 15, "send .ics calendar files and exports"),
    ("read_message_history", 1 << 16, "find its own poll and icebreaker messages again"),
    ("connect", 1 << 20, "let group members join their meetup's voice channel (overwrite)"),
    ("speak", 1 << 21, "let group members speak in their meetup's voice channel (overwrite)"),
    ("manage_roles", 1 << 28, "set who can see each group channel (permission overwrites)"),
    ("manage_events", 1 << 33, "create and cancel the scheduled events of meetups"),
    ("send_messages_in_threads", 1 << 38, "answer questions in help forum posts"),
    ("create_events", 1 << 44, "create the scheduled events of meetups"),
)

PERMISSIONS_INTEGER = sum(bit for _, bit, _ in REQUIRED)


def invite_url(application_id: int | str) -> str:
    return (
        "https://discord.com/oauth2/authorize"
        f"?client_id={application_id}&scope=bot+applications.commands&permissions={PERMISSIONS_INTEGER}"
    )
