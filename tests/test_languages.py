"""Every page, in French and in English, holds no words of the other language.

The demo data (written in French) is on the pages in both languages, so the English
pages are checked against the French catalogue's own sentences, and the French pages
against both the English msgids and English function words (which no French text has).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from core.time import add_months
from encounters.models import Encounter
from organisations.models import Organisation
from outreach.models import OutreachSession, SessionSeries
from reports.services import report_get_or_create, report_validate
from territories.models import Partner, Place, Territory

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"
_WORDS = [
    "the",
    "and",
    "or",
    "of",
    "for",
    "with",
    "your",
    "this",
    "these",
    "are",
    "from",
    "has",
    "have",
    "been",
    "will",
    "which",
    "session",
    "sessions",
    "kind",
    "partner",
    "right",
    "topic",
    "save",
    "cancel",
    "edit",
    "new",
    "week",
    "month",
    "today",
    "referral",
    "referrals",
    "pending",
    "refusals",
]
# Lower case or capitalised: "ARE" or "RSA" are French acronyms, not English words.
ENGLISH_WORDS = re.compile(r"\b(" + "|".join(w + "|" + w.capitalize() for w in _WORDS) + r")\b")
ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA = [ROOT / "demo/data.py", ROOT / "demo/encounters.py", ROOT / "encounters/rights.py"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|\{\w+\}|<[^>]+>|%%")
# Msgids that are their own French translation because they are words of both languages
# (or names). Any other such msgid is French written where English belongs: the English
# pages would show it ("Permanence", a session kind, did).
SAME_IN_BOTH = {
    "code", "Code", "description", "position", "note", "Note", "date", "latitude",
    "longitude", "organisation", "organisations", "Organisation", "Organisations",
    "invitation", "invitations", "Invitation", "observation", "observations",
    "Observations", "Total", "Agenda", "Page", "E-mail", "Association", "Commune",
    "Catalan", "Romani", "France Travail", "France Services", "Signal %(n)s",
    "5–15 min", "15–30 min",
}  # fmt: skip


def _fragments(texts) -> set[str]:
    """Pieces of catalogue sentences long enough not to be found by chance."""
    found = set()
    for text in texts:
        for piece in PLACEHOLDER.split(text):
            piece = piece.strip(" .:,;·—–()«»“”\n")
            if len(piece) >= 12 and " " in piece:
                found.add(piece)
    return found


def _same_in_both() -> set[str]:
    """The msgids whose French translation is the msgid itself."""
    return {
        e.msgid
        for e in polib.pofile(str(PO))
        if not e.msgid_plural and e.msgstr.strip() == e.msgid.strip()
    }


def _french_msgids() -> set[str]:
    """Msgids written in French: shown as such on the English pages."""
    return _same_in_both() - SAME_IN_BOTH


def _catalogue() -> tuple[set[str], set[str]]:
    english, french = [], []
    for entry in polib.pofile(str(PO)):
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        for en, fr in pairs:
            if en.strip() != fr.strip():
                english.append(en)
                french.append(fr)
    # A piece of one language inside a sentence of the other is no sign of either.
    en = {f for f in _fragments(english) if not any(f in x for x in french)}
    fr = {f for f in _fragments(french) if not any(f in x for x in english)}
    # Names the demo data also uses ("Salle prêtée par la mairie", "Centre de santé")
    # are data on an English page, not interface.
    data = " ".join(p.read_text() for p in DEMO_DATA)
    return {f for f in en if f not in data}, {f for f in fr if f not in data} | _french_msgids()


def _visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", page)
    labels = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *labels])).replace("\u2019", "’")


@pytest.fixture
def demo_pages(db):
    call_command("seed_demo", verbosity=0)
    prades = Organisation.objects.get(slug="evs-prades")
    now = timezone.now()
    planned = OutreachSession.objects.filter(
        organisation=prades, starts_at__gt=now, status="planned"
    ).first()
    done = OutreachSession.objects.filter(
        organisation=prades, starts_at__lt=now, status="done"
    ).first()
    territory = Territory.objects.get(organisation=prades, name="Prades")
    place = Place.objects.filter(organisation=prades).first()
    partner = Partner.objects.filter(organisation=prades).first()
    encounter = Encounter.objects.filter(organisation=prades).order_by("-pk").first()
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    # A report validated in French, for the English reader too (two months ago).
    validated = add_months(timezone.localdate(), -2)
    with translation.override("fr"):
        report_validate(
            report=report_get_or_create(organisation=prades, kind="month", start=validated),
            by=_user("direction@prades.demo"),
        )
    series = SessionSeries.objects.filter(organisation=prades).first()
    return {
        "coordination@prades.demo": [
            "/",
            "/today/",
            "/agenda/",
            "/agenda/?view=month",
            "/sessions/new/",
            "/sessions/series/new/",
            f"/sessions/{planned.pk}/",
            f"/sessions/{planned.pk}/cancel/",
            f"/sessions/{done.pk}/debrief/",
            f"/sessions/{planned.pk}/field/",
            f"/sessions/{planned.pk}/encounters/new/",
            f"/encounters/{encounter.pk}/",
            "/territories/",
            f"/territories/{territory.pk}/",
            "/places/",
            f"/places/{place.pk}/",
            "/places/new/",
            "/partners/",
            f"/partners/{partner.pk}/",
            "/referrals/",
            "/reports/",
            f"/reports/month/{month}/",
            "/calendar/",
            f"/places/{place.pk}/figures/",
            f"/territories/{territory.pk}/figures/",
            f"/sessions/series/{series.pk}/",
            "/offline/",
            "/two-factor/",
        ],
        "direction@prades.demo": [
            "/dashboard/",
            "/members/",
            "/members/invite/",
            "/organisation/settings/",
            f"/reports/month/{validated:%Y-%m}/",
        ],
        "federation@terrain.demo": [f"/federation/month/{month}/"],
    }


def _problems(page: str, lang: str, english: set[str], french: set[str]) -> list[str]:
    text = _visible_text(page)
    if lang == "fr":
        found = [f for f in english if f in text]
        found += sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})
    else:
        # Whole words: a short French msgid ("Permanence") inside a longer word is no sign.
        found = [f for f in french if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
    return found


def test_every_page_is_in_one_language(demo_pages):
    english, french = _catalogue()
    problems = []
    for email, urls in demo_pages.items():
        client = Client()
        client.force_login(_user(email))
        for lang in ("fr", "en"):
            client.cookies["django_language"] = lang
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                for word in _problems(response.content.decode(), lang, english, french):
                    problems.append(f"[{lang}] {email} {url}: {word!r}")
    assert problems == [], "\n".join(problems)


def _user(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


def test_no_msgid_is_french():
    """A msgid is English: one the French catalogue leaves as it is must be English too."""
    assert _french_msgids() == set(), "translate these msgids into English, or list them"


def test_english_says_session_where_french_says_action():
    """The French interface calls a session "une action"; the English one never does
    ("Start an action now" was the Today page's button)."""
    found = [
        e.msgid
        for e in polib.pofile(str(PO))
        if re.search(r"\b(?:an|the|this|each|every) actions?\b", e.msgid, re.IGNORECASE)
    ]
    assert found == []


def test_the_check_sees_english_in_a_french_page():
    english, french = _catalogue()
    assert _problems("<p>Partenaire or kind of partner</p>", "fr", english, french)
    assert _problems("<p>Toutes les actions de l’organisation X</p>", "en", english, french)
    assert not _problems("<p>Toutes les actions</p>", "fr", english, french)
