"""Which section of the bottom bar a page belongs to (a context processor).

Field mode and the conversation form are reached from "Today" and used during today's
session: they belong there, not to the agenda although their URLs start with /sessions/.
"""

from __future__ import annotations

from django.http import HttpRequest

SECTIONS: dict[str, tuple[str, ...]] = {
    "home": ("home", "dashboard", "team_month"),
    "today": (
        "today",
        "field_mode",
        "encounter_create",
        "encounter_detail",
        "encounter_edit",
        "referral_list",
        "session_debrief",
    ),
    "agenda": (
        "agenda",
        "session_create",
        "series_create",
        "series_detail",
        "session_detail",
        "session_edit",
        "session_cancel",
        "calendar_feeds",
    ),
    "territories": ("territory_", "place_", "observation_"),
    "partners": ("partner_",),
}


def section_of(url_name: str | None) -> str:
    if not url_name:
        return ""
    for section, names in SECTIONS.items():
        for name in names:
            if url_name == name or (name.endswith("_") and url_name.startswith(name)):
                return section
    return ""


def nav_section(request: HttpRequest) -> dict[str, str]:
    match = getattr(request, "resolver_match", None)
    return {"nav_section": section_of(match.url_name if match else None)}
