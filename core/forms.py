"""Form helpers shared by every app that takes free text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from core.privacy import find_identifying_data, highlight


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
            what = "; ".join(f"« {f.text} » : {f.explanation}" for f in findings)
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
