"""How a person using Terrain is named on screen: one spelling everywhere.

``user_label(user)`` in Python, ``{{ user|user_label }}`` in templates (a builtin filter,
see TEMPLATES in the settings): the full name the member gave, else their e-mail.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def user_label(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.email


def users_label(users) -> str:
    return ", ".join(user_label(user) for user in users)
