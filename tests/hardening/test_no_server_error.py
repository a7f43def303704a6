"""Every URL pattern, walked with odd values as every role: never a 500.

The patterns come from the resolver, so a new page is walked without touching this file.
Odd values: years 0001 and 9999, months 00 and 13, huge ids, NUL bytes, malformed dates
in the query string, htmx headers on pages that have no fragment, empty and odd POSTs.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from organisations.models import Invitation, Role
from tests.encounters.factories import EncounterFactory, ReferralFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import (
    ObservationFactory,
    PartnerFactory,
    PlaceFactory,
    TerritoryFactory,
)

HUGE_IDS = [str(2**63), "9" * 30]
ODD_DATES = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2026-13-01", "\x00"]
# The query parameters any page reads, all given the same odd value at once, then the
# edges of each period kind and agenda view.
QUERY_KEYS = ["date", "day", "on", "start", "end", "territory", "member", "q", "all", "kind"]
ODD_QUERY = [
    *(dict.fromkeys(QUERY_KEYS, value) for value in [*ODD_DATES, "2026-00-10", "x" * 300]),
    *(
        {"period": period, "view": view, **dict.fromkeys(("date", "on", "start", "end"), day)}
        for (period, view), day in itertools.product(
            [("month", "week"), ("quarter", "month"), ("year", "week"), ("custom", "month")],
            ["0001-01-01", "9999-12-31", "2000-01-01", "2100-12-31"],
        )
    ),
    {"period": "custom", "start": "2000-01-01", "end": "2100-12-31"},
]
REPORT_KEYS = [
    ("month", "9999-12"),
    ("month", "0001-01"),
    ("month", "2101-01"),
    ("month", "2000-01"),
    ("month", "2026-00"),
    ("month", "2026-13"),
    ("month", "2026-3"),
    ("year", "9999"),
    ("year", "0001"),
    ("year", "2100"),
    ("year", "+2026"),
    ("quarter", "0001-Q1"),
    ("quarter", "9999-Q4"),
    ("quarter", "2026-Q5"),
    ("week", "2026"),
    ("month\x00", "2026-03"),
]
DATE_FIELDS = ("day", "date", "first_date", "last_date", "observed_on", "occurred_at")
OTHER_FIELDS = ("start_time", "end_time", "brief_contacts", "refusals", "organisation", "role")
OTHER_FIELDS += ("email", "name", "tap", "client_uuid", "outcome", "small_count_threshold")
# Form fields any page may take: dates at the edges, NUL bytes, huge numbers.
ODD_POSTS = [
    {},
    {**dict.fromkeys(DATE_FIELDS, "9999-12-31"), **dict.fromkeys(OTHER_FIELDS, "9" * 30)},
    {**dict.fromkeys(DATE_FIELDS, "0001-01-01"), **dict.fromkeys(OTHER_FIELDS, "\x00")},
]
ROLES = ["anonymous", "no organisation", Role.VOLUNTEER, Role.COORDINATOR, Role.MANAGER]


def _patterns(resolvers=None, prefix: str = ""):
    """(route, name) of every pattern, with the prefixes of the includes."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _fill(route: str, values: dict[str, str]) -> str:
    # Admin routes are regular expressions; the others use converters.
    route = route.lstrip("^").rstrip("$")

    def replace(match: re.Match) -> str:
        return values.get(match.group("name"), "1")

    route = re.sub(r"<(?:(?:\w+):)?(?P<name>\w+)>", replace, route)
    route = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", replace, route)
    route = route.replace("\\", "")
    return "/" + route


# Which object a route's <pk> names, from its URL name.
PK_OBJECT = [
    ("territory", "territory"),
    ("observation_create", "territory"),
    ("observation", "observation"),
    ("place", "place"),
    ("partner", "partner"),
    ("session", "session"),
    ("field", "session"),
    ("encounter_create", "session"),
    ("encounter", "encounter"),
    ("referral", "referral"),
    ("member", "membership"),
    ("invitation", "invitation"),
]


def _path_variants(route: str, name: str | None, objects: dict) -> list[str]:
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    names = {p[1] for p in params}
    if not names:
        return [_fill(route, {})]
    if route.startswith("admin/"):
        # The admin's own routes: odd ids and NUL bytes (walked as a superuser below).
        return [_fill(route, dict.fromkeys(names, v)) for v in ("9" * 30, "\x00")]
    variants = []
    if names == {"pk"}:
        own = next(
            (objects[obj].pk for prefix, obj in PK_OBJECT if (name or "").startswith(prefix)),
            None,
        )
        ids = [*HUGE_IDS, *([str(own)] if own else [])]
        variants = [_fill(route, {"pk": i}) for i in ids]
    elif names <= {"token", "uidb64"}:
        variants = [
            _fill(route, dict.fromkeys(names, t))
            for t in ("abc", "\x00", "x" * 500, "é", "MQ", "set-password")
        ]
    elif names >= {"kind", "key"}:
        variants = [_fill(route, {"kind": k, "key": key, "fmt": "csv"}) for k, key in REPORT_KEYS]
        if "fmt" in names:
            variants += [
                _fill(route, {"kind": "month", "key": "2000-01", "fmt": fmt})
                for fmt in ("xlsx", "pdf\x00", "exe")
            ]
    else:
        raise AssertionError(f"The walk does not know the parameters of {route!r}: add them.")
    return variants


@pytest.fixture
def world(db):
    org = OrganisationFactory(slug="walk")
    other = OrganisationFactory(slug="walk-other")
    territory = TerritoryFactory(organisation=org)
    session = OutreachSessionFactory(
        territory=territory, starts_at=timezone.now() - timedelta(hours=1)
    )
    encounter = EncounterFactory(session=session)
    return {
        "territory": territory,
        "place": PlaceFactory(territory=territory),
        "partner": PartnerFactory(organisation=org),
        "observation": ObservationFactory(territory=territory),
        "session": session,
        "encounter": encounter,
        "referral": ReferralFactory(encounter=encounter),
        "membership": MembershipFactory(organisation=org, role=Role.VOLUNTEER),
        "invitation": Invitation.objects.create(
            organisation=org,
            email="invite@example.org",
            role=Role.VOLUNTEER,
            token_hash="0" * 64,
            expires_at=timezone.now() + timedelta(days=3),
        ),
        "org": org,
        "other": other,
    }


def _client(who: str, world: dict) -> Client:
    client = Client()
    if who == "anonymous":
        return client
    if who == "no organisation":
        client.force_login(UserFactory())
        return client
    membership = MembershipFactory(organisation=world["org"], role=who)
    # A second organisation: the switcher and the federation pages have something to show.
    MembershipFactory(organisation=world["other"], role=who, user=membership.user)
    client.force_login(membership.user)
    return client


def _send(client: Client, method: str, url: str, failures: list, data=None, headers=None):
    try:
        response = getattr(client, method)(url, data, headers=headers)
    except Exception as error:  # the test client re-raises what would have been a 500
        failures.append(f"{method.upper()} {url!r} {data} {headers}: {error!r}")
        return
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {url!r} {data} {headers}: {response.status_code}")


def _report(failures: list) -> str:
    return "\n".join(failures[:40]) + f"\n({len(failures)} in all)"


@pytest.mark.parametrize("who", ROLES)
def test_no_url_answers_500(world, who):
    client = _client(who, world)
    failures: list[str] = []
    routes = list(_patterns())
    assert len(routes) > 40
    for route, name in routes:
        if name == "logout":  # it would log the walking client out
            continue
        for url in _path_variants(route, name, world):
            _send(client, "get", url, failures)
            if route.startswith("admin/"):
                continue
            _send(client, "get", url, failures, headers={"HX-Request": "true"})
            for data in ODD_POSTS:
                _send(client, "post", url, failures, data)
    assert not failures, _report(failures)


def test_admin_answers_no_500_to_staff(world):
    """The admin as a superuser, with odd ids and NUL bytes in its own routes."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    failures: list[str] = []
    for route, name in _patterns():
        if route.startswith("admin/") and name != "logout":
            for url in _path_variants(route, name, world):
                _send(client, "get", url, failures)
    assert not failures, _report(failures)


@pytest.mark.parametrize("who", [Role.VOLUNTEER, Role.COORDINATOR])
def test_no_query_string_answers_500(world, who):
    """The pages without parameters in their path, given odd query strings."""
    client = _client(who, world)
    failures: list[str] = []
    for route, name in _patterns():
        if "<" in route or route.startswith("admin/") or name in {"logout", "service_worker"}:
            continue
        url = _fill(route, {})
        for query in ODD_QUERY:
            _send(client, "get", url, failures, query)
    assert not failures, _report(failures)
