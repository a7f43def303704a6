from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("", False)])
def test_booleans_are_true_or_false(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG", False) is expected


@pytest.mark.parametrize("value", ["True", "1", "yes", "flase", "on"])
def test_anything_else_is_refused(monkeypatch, value):
    monkeypatch.setenv("FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="FLAG must be 'true' or 'false'"):
        env_bool("FLAG", False)


def test_integers_and_lists(monkeypatch):
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("HOSTS", "a.org, b.org,")
    assert env_int("N", 3) == 12
    assert env_list("HOSTS", []) == ["a.org", "b.org"]
    monkeypatch.setenv("N", "douze")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 3)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'outreach.settings'; "
        "django.setup(); from django.conf import settings; print(settings.DEBUG, "
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_debug_is_off_by_default_and_a_secret_key_is_then_required():
    result = _settings_with({})
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    result = _settings_with({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


PRODUCTION = {"SECRET_KEY": "a-real-secret-for-this-test-only-0123456789abcdefghij"}


def test_production_defaults_to_https():
    result = _settings_with({**PRODUCTION, "ALLOWED_HOSTS": "terrain.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000"]


def test_local_http_turns_off_the_four_https_settings_on_localhost():
    result = _settings_with(
        {**PRODUCTION, "LOCAL_HTTP": "true", "ALLOWED_HOSTS": "localhost,127.0.0.1"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "False", "0"]


def test_local_http_is_refused_for_any_other_host():
    result = _settings_with(
        {**PRODUCTION, "LOCAL_HTTP": "true", "ALLOWED_HOSTS": "localhost,terrain.example.org"}
    )
    assert result.returncode != 0
    assert "LOCAL_HTTP=true serves plain HTTP" in result.stderr
