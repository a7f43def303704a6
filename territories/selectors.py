"""Reads of territories, places, partners and observations, always within one organisation."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from core.text import fold
from organisations.models import Organisation
from territories.models import Observation, Partner, Place, Territory


def _search(queryset: QuerySet, q: str) -> QuerySet:
    for word in fold(q).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _archived(queryset: QuerySet, archived: bool) -> QuerySet:
    return queryset if archived else queryset.live()


def territory_subtree_ids(*, organisation: Organisation, territory: Territory) -> list[int]:
    """The ids of ``territory`` and all its descendants (one query per tree level)."""
    ids = [territory.pk]
    level = [territory.pk]
    while level:
        level = list(
            Territory.objects.filter(organisation=organisation, parent_id__in=level).values_list(
                "pk", flat=True
            )
        )
        ids.extend(level)
    return ids


def territory_list(
    *,
    organisation: Organisation,
    q: str = "",
    kind: str = "",
    territory: Territory | None = None,
    archived: bool = False,
) -> QuerySet[Territory]:
    qs = Territory.objects.filter(organisation=organisation).select_related("parent")
    qs = _archived(_search(qs, q), archived)
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        qs = qs.filter(pk__in=territory_subtree_ids(organisation=organisation, territory=territory))
    return qs.annotate(
        place_count=Count("places", filter=Q(places__archived_at__isnull=True), distinct=True),
        child_count=Count("children", filter=Q(children__archived_at__isnull=True), distinct=True),
    ).order_by("name")


def place_list(
    *,
    organisation: Organisation,
    q: str = "",
    kind: str = "",
    territory: Territory | None = None,
    archived: bool = False,
    subtree: list[int] | None = None,
) -> QuerySet[Place]:
    qs = Place.objects.filter(organisation=organisation).select_related("territory")
    qs = _archived(_search(qs, q), archived)
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        ids = subtree or territory_subtree_ids(organisation=organisation, territory=territory)
        qs = qs.filter(territory_id__in=ids)
    return qs.order_by("name")


def partner_list(
    *,
    organisation: Organisation,
    q: str = "",
    kind: str = "",
    territory: Territory | None = None,
    archived: bool = False,
    subtree: list[int] | None = None,
) -> QuerySet[Partner]:
    qs = Partner.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("territories", queryset=Territory.objects.order_by("name"))
    )
    qs = _archived(_search(qs, q), archived)
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        # A partner serving a commune also serves its neighbourhoods, and vice versa
        # a neighbourhood's list shows partners of the commune above it.
        ids = subtree or territory_subtree_ids(organisation=organisation, territory=territory)
        ids = [*ids, *(t.pk for t in territory_ancestors(territory))]
        qs = qs.filter(territories__in=ids).distinct()
    return qs.order_by("name")


def territory_ancestors(territory: Territory) -> list[Territory]:
    """The territories above ``territory``, nearest first (select_related the parents)."""
    chain, parent = [], territory.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return chain


def territory_observations(
    *, territory: Territory, archived: bool = False, limit: int = 50
) -> list[Observation]:
    qs = Observation.objects.filter(
        organisation_id=territory.organisation_id, territory=territory
    ).select_related("author")
    return list(_archived(qs, archived)[:limit])


def directory_counts(*, organisation: Organisation) -> dict[str, int]:
    """How many live territories, places and partners the organisation has."""
    return {
        key: model.objects.live().filter(organisation=organisation).count()
        for key, model in (("territories", Territory), ("places", Place), ("partners", Partner))
    }
