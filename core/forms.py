"""Form helpers shared by every app that takes free text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.privacy import find_identifying_data, highlight

# The message names each different finding once, and at most this many: a long text
# repeating one name gets one line about it, not a thousand (the text itself is marked).
MAX_LISTED = 8


def _findings_in_words(findings) -> str:
    listed = list(dict.fromkeys((f.text, f.explanation) for f in findings))
    what = "; ".join(f"« {text} » : {explanation}" for text, explanation in listed[:MAX_LISTED])
    if len(listed) > MAX_LISTED:
        more = len(listed) - MAX_LISTED
        what += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    return what


class ScreenedTextMixin:
    """Refuse free text that could identify a person, keeping it for correction.

    List the free-text fields in ``screened_fields``. When one of them holds a phone
    number, a name after a civility, an address..., the form is invalid: the field gets
    a French error saying what was found and what to change, and the bound field gets a
    ``screened_html`` copy of the text with the findings highlighted, for the template.
    """

    screened_fields: tuple[str, ...] = ()

    def clean(self) -> dict:
        data = super().clean()
        for name in self.screened_fields:
            text = data.get(name)
            findings = find_identifying_data(text) if text else []
            if not findings:
                continue
            self.fields[name].screened_html = highlight(text, findings)
            what = _findings_in_words(findings)
            self.add_error(
                name,
                forms.ValidationError(
                    _(
                        "This text could identify a person. Change the highlighted parts, "
                        "then save again. Found: %(what)s."
                    ),
                    code="identifying",
                    params={"what": what},
                ),
            )
        return data
