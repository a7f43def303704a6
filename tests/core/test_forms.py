"""The screened-text mixin: a refused text is kept, and its message stays short."""

from __future__ import annotations

from django import forms
from django.utils import translation

from core.forms import MAX_LISTED, ScreenedTextMixin


class NoteForm(ScreenedTextMixin, forms.Form):
    screened_fields = ("note",)
    note = forms.CharField(max_length=20_000)


def test_a_finding_repeated_a_thousand_times_is_named_once():
    form = NoteForm({"note": "Mme Dupont et Kevin Martin, " * 500})
    assert not form.is_valid()
    [message] = form.errors["note"]
    assert message.count("Mme Dupont") == 1
    assert message.count("Kevin Martin") == 1
    assert len(message) < 400


def test_many_different_findings_are_listed_up_to_a_limit():
    phones = [f"06 12 34 56 {n:02d}" for n in range(MAX_LISTED + 4)]
    form = NoteForm({"note": ". ".join(f"Appeler le {p}" for p in phones)})
    with translation.override("fr"):
        assert not form.is_valid()
        [message] = form.errors["note"]
    assert all(p in message for p in phones[:MAX_LISTED])
    assert phones[MAX_LISTED] not in message
    assert message.endswith("et 4 autres.")
    # Every one of them is still highlighted in the text given back.
    assert form.fields["note"].screened_html.count("<mark") == len(phones)
