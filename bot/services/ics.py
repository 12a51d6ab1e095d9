"""An `.ics` calendar file for a meetup (RFC 5545, through the icalendar package)."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

PRODID = "-//Cohort bot//meetups//FR"


def meetup_ics(
    *, uid: str, title: str, starts_at: datetime, ends_at: datetime, stamp: datetime, description: str = ""
) -> bytes:
    """One VEVENT in UTC; `stamp` is DTSTAMP (from the injected clock)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("dtstamp", stamp)
    if description:
        event.add("description", description)
    cal.add_component(event)
    return cal.to_ical()
