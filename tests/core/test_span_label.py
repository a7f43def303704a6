"""Days of a period in words, in both languages: "1er" is French, English says "1"."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from core.time import Period, span_label


def test_the_first_of_the_month_in_french_and_in_english():
    days = Period.custom(date(2026, 12, 1), date(2026, 12, 2))
    across = Period.custom(date(2026, 11, 30), date(2026, 12, 1))
    with translation.override("fr"):
        assert span_label(days) == "1er–2 décembre 2026"
        assert span_label(across) == "30 novembre – 1er décembre 2026"
    with translation.override("en"):
        assert span_label(days) == "1–2 December 2026"
        assert span_label(across) == "30 November – 1 December 2026"
