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
from django.utils import timezone

from encounters.models import Encounter
from organisations.models import Organisation
from outreach.models import OutreachSession
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


def _fragments(texts) -> set[str]:
    """Pieces of catalogue sentences long enough not to be found by chance."""
    found = set()
    for text in texts:
        for piece in PLACEHOLDER.split(text):
            piece = piece.strip(" .:,;·—–()«»“”\n")
            if len(piece) >= 12 and " " in piece:
                found.add(piece)
    return found


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
    return {f for f in en if f not in data}, {f for f in fr if f not in data}


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
        ],
        "direction@prades.demo": [
            "/dashboard/",
            "/members/",
            "/members/invite/",
            "/organisation/settings/",
        ],
        "federation@terrain.demo": [f"/federation/month/{month}/"],
    }


def _problems(page: str, lang: str, english: set[str], french: set[str]) -> list[str]:
    text = _visible_text(page)
    if lang == "fr":
        found = [f for f in english if f in text]
        found += sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})
    else:
        found = [f for f in french if f in text]
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


def test_the_check_sees_english_in_a_french_page():
    english, french = _catalogue()
    assert _problems("<p>Partenaire or kind of partner</p>", "fr", english, french)
    assert _problems("<p>Toutes les actions de l’organisation X</p>", "en", english, french)
    assert not _problems("<p>Toutes les actions</p>", "fr", english, french)
