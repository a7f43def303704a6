"""Organisations, their members and invitations, roles, and tenancy.

Stands on ``core`` only. Every app above works inside the current organisation that
``organisations.tenancy`` puts on each request, and fetches objects through
``get_for_org`` so that another organisation's object answers 404.
"""
