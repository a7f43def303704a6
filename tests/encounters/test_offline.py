"""What the phone needs from the server to keep working offline: the service worker,
the queue's review page, the web app manifest, a French page for a stale token."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_service_worker_and_pages_share_one_queue_module(client):
    sw = client.get("/sw.js").content.decode()
    field = (settings.BASE_DIR / "static/js/field.js").read_text()
    queue = (settings.BASE_DIR / "static/js/queue.js").read_text()
    # The database and the URL patterns are named in the queue module only.
    for js in (sw, field):
        assert "indexedDB" not in js
        assert "terrain-offline" not in js
        assert not re.search(r"/\^\\/sessions", js), "a URL pattern outside js/queue.js"
    assert "indexedDB.open(DB_NAME" in queue and "queueable:" in queue


def test_pages_load_the_queue_module_and_register_the_worker_with_it(volunteer_client):
    html = volunteer_client.get("/").content.decode()
    assert re.search(r'<script src="/static/js/queue\.js" defer>', html)
    assert 'data-queue="/static/js/queue.js"' in html and 'data-sw="/sw.js"' in html
    assert html.index("js/queue.js") < html.index("js/field.js")


def test_review_page_is_for_members(volunteer_client, client):
    response = volunteer_client.get("/offline/")
    assert response.status_code == 200
    assert 'id="queue-list"' in response.content.decode()
    assert client.get("/offline/").status_code == 302


def test_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/today/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["short_name"] == "Terrain"
    assert manifest["name"] == "Terrain : l’aller vers sur le terrain"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        size = int(icon["sizes"].split("x")[0])
        with Image.open(finders.find(name)) as image:
            assert image.format == "PNG" and image.size == (size, size)


def test_every_page_links_the_manifest(volunteer_client):
    html = volunteer_client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_a_stale_csrf_token_shows_a_french_page(volunteer_client):
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = volunteer_client.cookies
    response = checked.post("/offline/", {"csrfmiddlewaretoken": "stale"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Cette page n’est plus à jour" in body
    assert "CSRF verification failed" not in body


def test_the_token_for_the_queue_is_the_current_logins(volunteer_client, client):
    """The service worker sends the queue with the token of the login the browser holds
    now, asked here, never with a page's (a page may be older than the last login)."""
    response = volunteer_client.get("/offline/token/")
    who = response.json()
    assert who["user"] == str(response.wsgi_request.user.pk) and len(who["csrf"]) == 64
    assert "no-store" in response["Cache-Control"]
    # Nobody logged in: said so, not a redirect to the login page.
    anonymous = client.get("/offline/token/")
    assert anonymous.status_code == 200 and anonymous.json()["user"] == ""
