"""Error pages for requests refused before any view runs."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 when the request body is over DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django raises these while reading the form (in the CSRF check or the view), so the
    page says what happened in plain French instead of a bare "Bad Request".
    """
    if isinstance(exception, RequestDataTooBig):
        status = 413
        message = _(
            "What you sent is too large to be saved. Shorten the text (a note holds at most "
            "2,000 characters, a report section 10,000), then send it again."
        )
    elif isinstance(exception, TooManyFieldsSent):
        status = 400
        message = _("The form sent too many fields. Reload the page and fill it in again.")
    else:
        status = 400
        message = _("The request could not be understood. Reload the page and try again.")
    return render(request, "400.html", {"message": message}, status=status)
