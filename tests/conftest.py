from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from organisations.models import Role
from tests.organisations.factories import MembershipFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits count in the cache: each test starts with none used."""
    cache.clear()


@pytest.fixture
def org():
    return OrganisationFactory(name="EVS de Prades", slug="evs-prades-test")


@pytest.fixture
def other_org():
    return OrganisationFactory(name="Autre association", slug="autre-asso")


@pytest.fixture
def member_client(org):
    """``member_client(role, organisation=org)``: a client logged in as a new member."""

    def make(role: str = Role.VOLUNTEER, organisation=None) -> Client:
        membership = MembershipFactory(organisation=organisation or org, role=role)
        client = Client()
        client.force_login(membership.user)
        client.membership = membership
        return client

    return make


@pytest.fixture
def volunteer_client(member_client):
    return member_client(Role.VOLUNTEER)


@pytest.fixture
def coordinator_client(member_client):
    return member_client(Role.COORDINATOR)


@pytest.fixture
def manager_client(member_client):
    return member_client(Role.MANAGER)
