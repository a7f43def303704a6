"""Test settings: production settings with DEBUG off, plus what tests need."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The figures read the rollups, as in production. The factories keep them exact as the
# write services do (tests/outreach/factories.py, tests/encounters/factories.py); the
# live tables answer the member filter and tests that turn the setting off.
os.environ.setdefault("REPORTS_USE_ROLLUPS", "true")

from outreach.settings import *  # noqa: E402,F403
from outreach.settings import TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """Fail a test on any unknown template variable instead of rendering ''."""

    def __mod__(self, other):
        raise AssertionError(f"Unknown template variable: {other!r}")

    def __bool__(self) -> bool:  # so that {% if missing %} still works as False
        return False


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")

# The manifest storage needs collectstatic; under live_server it would 404 htmx.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "fr"
