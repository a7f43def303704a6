"""The figures' entry points for the write services of outreach and encounters.

This is the one place where a lower layer calls up into ``reports`` (DESIGN.md,
"Layers"): a write that changes what the dashboard counts calls one of these three
functions inside its own transaction, after its writes, so that the figures change in
the same commit as the data. Nothing else of ``reports`` may be imported from below.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from reports import rollups

if TYPE_CHECKING:
    from encounters.models import Encounter, NonTakeUpSignal, Referral
    from outreach.models import OutreachSession


def count_new_encounter(
    encounter: Encounter,
    *,
    session: OutreachSession,
    topics: list[str],
    signals: list[NonTakeUpSignal],
    referrals: list[Referral],
) -> None:
    """Add a new encounter, just saved with its signals and referrals, to the figures of
    its day and month (a few increments: the hot path of field mode)."""
    rollups.rollup_add_encounter(
        encounter, session=session, topics=topics, signals=signals, referrals=referrals
    )


def recount_days(*, organisation_id: int, days: Iterable[date]) -> None:
    """Recompute the figures of some local days (and their months) of an organisation,
    after writes that change them in other ways than adding an encounter."""
    rollups.rollup_refresh_days(organisation_id=organisation_id, days=days)


def recount_session(*, session: OutreachSession, also: Iterable[date] = ()) -> None:
    """Recompute the figures a session's change can move: its day, ``also`` (e.g. its
    former day) and the days of its encounters, whose territory and kind it gives."""
    rollups.rollup_refresh_session(session=session, also=also)
