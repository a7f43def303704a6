"""Foundations that know no domain: the privacy guard for free text, time in
Europe/Paris (local days, months, periods), text folding, token hashing, http and form
helpers, settings parsing and the database router.

Nothing here imports from the apps: every other layer may import from here.
"""
