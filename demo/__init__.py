"""The demo: three organisations from DOMAIN.md with a year of sessions and encounters.

The top layer: it stands on every app and nothing imports it. ``demo.data`` holds the
data, ``demo.seed`` and ``demo.encounters`` the code that loads it through the apps'
services (``manage.py seed_demo``).
"""
