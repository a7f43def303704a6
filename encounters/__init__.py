"""Field mode: the rights reference list, brief-contact taps, anonymous encounters with
their non-take-up signals and referrals, referrals to follow, the offline queue's
service worker.

Stands on ``outreach`` (an encounter happens during a session), ``territories``,
``organisations`` and ``core``; its write services keep the figures exact through
``reports.counters``, the one call upwards.
"""
