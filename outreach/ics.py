"""iCalendar (.ics) rendering of outreach sessions, for the calendar feeds."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vGeo

from core.labels import users_label
from outreach.models import OutreachSession, SessionStatus


def _summary(session: OutreachSession) -> str:
    where = session.place.name if session.place else session.territory.name
    summary = f"{session.get_kind_display()} · {where}"
    if session.status == SessionStatus.CANCELLED:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    return summary


def _description(session: OutreachSession) -> str:
    lines = []
    team = users_label(session.members.all())
    if team:
        lines.append(_("Team: %(team)s") % {"team": team})
    if session.objectives:
        lines.append(session.objectives)
    if session.status == SessionStatus.CANCELLED:
        lines.append(_("Reason for cancelling: %(reason)s") % {"reason": session.cancel_reason})
    return "\n".join(lines)


def calendar_for(
    *, name: str, sessions: Iterable[OutreachSession], url_for: Callable[[OutreachSession], str]
) -> bytes:
    """An iCalendar document with one event per session, times in UTC (no VTIMEZONE
    needed; calendar apps show them in the phone's own time zone)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Terrain//outreach sessions//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    # Calendar apps poll feeds; ask for an hourly refresh.
    calendar.add("refresh-interval", "PT1H", parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@terrain")
        event.add("dtstamp", stamp)
        event.add("last-modified", session.updated_at)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", _summary(session))
        location = session.territory.name
        if session.place:
            location = f"{session.place.name}, {location}"
            if session.place.has_coordinates:
                event.add(
                    "geo", vGeo((float(session.place.latitude), float(session.place.longitude)))
                )
        event.add("location", location)
        description = _description(session)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        event.add("url", url_for(session))
        calendar.add_component(event)
    return calendar.to_ical()
