"""Two things, kept apart by module: the project package (``settings``, root ``urls``,
``wsgi``, which may name any app) and the outreach sessions: recurring series, the
agenda, Today, debriefs and iCalendar feeds.

The sessions stand on ``territories``, ``organisations`` and ``core``; their write
services keep the figures exact through ``reports.counters``, the one call upwards.
"""
