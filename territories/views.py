"""Views of the territory directory: territories, places, partners, observations.

The three kinds of directory entry share one set of views, configured by a
``Directory`` passed from the URLconf: same permissions, same list/search/archive
behaviour, one place to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import render_form, render_page
from organisations.models import DIRECTORY_EDITORS
from organisations.tenancy import OrgRequest, get_for_org, member_required
from territories import selectors, services
from territories.forms import (
    DirectoryFilterForm,
    ObservationForm,
    PartnerForm,
    PlaceForm,
    TerritoryForm,
)
from territories.models import Observation, Partner, Place, Territory


def _territory_detail_context(request: OrgRequest, territory: Territory) -> dict[str, Any]:
    org = request.organisation
    # The subtree costs a query per level of the tree: read it once for both lists.
    subtree = selectors.territory_subtree_ids(organisation=org, territory=territory)
    return {
        "children": list(territory.children.live().order_by("name")),
        "places": list(
            selectors.place_list(organisation=org, territory=territory, subtree=subtree)
        ),
        "partners": list(
            selectors.partner_list(organisation=org, territory=territory, subtree=subtree)
        ),
        "observations": selectors.territory_observations(territory=territory),
        "ancestors": list(reversed(selectors.territory_ancestors(territory))),
    }


@dataclass(frozen=True)
class Directory:
    model: type[Model]
    form_class: type[ModelForm]
    list_selector: Callable
    name: str  # URL name prefix and template stem: "territory", "place", "partner"
    plural: str
    title: Any
    new_title: Any
    with_territory_filter: bool = True
    select_related: tuple[str, ...] = ()
    detail_context: Callable[[OrgRequest, Any], dict[str, Any]] = field(
        default=lambda request, entry: {}
    )

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"{self.name}_{action}", args=args)


TERRITORIES = Directory(
    model=Territory,
    form_class=TerritoryForm,
    list_selector=selectors.territory_list,
    name="territory",
    plural="territories",
    title=_("Territories"),
    new_title=_("New territory"),
    select_related=("parent__parent__parent",),
    detail_context=_territory_detail_context,
)
PLACES = Directory(
    model=Place,
    form_class=PlaceForm,
    list_selector=selectors.place_list,
    name="place",
    plural="places",
    title=_("Places"),
    new_title=_("New place"),
    select_related=("territory",),
)
PARTNERS = Directory(
    model=Partner,
    form_class=PartnerForm,
    list_selector=selectors.partner_list,
    name="partner",
    plural="partners",
    title=_("Partner structures"),
    new_title=_("New partner structure"),
)


def _template(directory: Directory, page: str) -> str:
    return f"territories/{directory.name}_{page}.html"


@require_GET
@member_required()
def entry_list(request: OrgRequest, directory: Directory) -> HttpResponse:
    filter_form = DirectoryFilterForm(
        request.GET,
        organisation=request.organisation,
        kinds=directory.model.Kind.choices,
        with_territory=directory.with_territory_filter,
    )
    # list() runs the query here, not while the template renders.
    entries = list(
        directory.list_selector(organisation=request.organisation, **filter_form.filters())
    )
    context = {"directory": directory, "filter_form": filter_form, "entries": entries}
    return render_page(request, "territories/directory_list.html", context)


@require_GET
@member_required()
def entry_detail(request: OrgRequest, pk: int, directory: Directory) -> HttpResponse:
    entry = get_for_org(
        directory.model.objects.select_related(*directory.select_related), request, pk=pk
    )
    context = {"directory": directory, "entry": entry, **directory.detail_context(request, entry)}
    return render_page(request, _template(directory, "detail"), context, partial="")


def _entry_form(request: OrgRequest, directory: Directory, entry: Model | None) -> HttpResponse:
    form = directory.form_class(
        request.POST or None,
        instance=entry,
        organisation=request.organisation,
        initial=_initial_from_query(request, directory) if entry is None else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.directory_entry_save(organisation=request.organisation, form=form)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": saved})
        return redirect(directory.url("detail", saved.pk))
    context = {
        "directory": directory,
        "entry": entry,
        "title": directory.new_title if entry is None else entry,
        "cancel_url": directory.url("detail", entry.pk) if entry else directory.url("list"),
    }
    return render_form(request, "form_page.html", context, form=form)


def _initial_from_query(request: OrgRequest, directory: Directory) -> dict[str, Any]:
    """Let "add a place here" links pre-select the territory (?territory=ID)."""
    territory_id = request.GET.get("territory", "")
    if directory is not TERRITORIES and territory_id.isdigit():
        return {"territory": territory_id}
    if directory is TERRITORIES and territory_id.isdigit():
        return {"parent": territory_id}
    return {}


@require_http_methods(["GET", "POST"])
@member_required(DIRECTORY_EDITORS)
def entry_create(request: OrgRequest, directory: Directory) -> HttpResponse:
    return _entry_form(request, directory, None)


@require_http_methods(["GET", "POST"])
@member_required(DIRECTORY_EDITORS)
def entry_edit(request: OrgRequest, pk: int, directory: Directory) -> HttpResponse:
    return _entry_form(request, directory, get_for_org(directory.model, request, pk=pk))


@require_POST
@member_required(DIRECTORY_EDITORS)
def entry_archive(request: OrgRequest, pk: int, directory: Directory) -> HttpResponse:
    entry = get_for_org(directory.model, request, pk=pk)
    archived = request.POST.get("restore") != "1"
    services.entry_set_archived(entry=entry, archived=archived)
    if archived:
        messages.success(request, _("“%(name)s” has been archived.") % {"name": entry})
    else:
        messages.success(request, _("“%(name)s” has been restored.") % {"name": entry})
    return redirect(directory.url("detail", entry.pk))


@require_http_methods(["GET", "POST"])
@member_required(DIRECTORY_EDITORS)
def observation_create(request: OrgRequest, pk: int) -> HttpResponse:
    territory = get_for_org(Territory, request, pk=pk)
    return _observation_form(request, territory, None)


@require_http_methods(["GET", "POST"])
@member_required(DIRECTORY_EDITORS)
def observation_edit(request: OrgRequest, pk: int) -> HttpResponse:
    observation = get_for_org(Observation.objects.select_related("territory"), request, pk=pk)
    return _observation_form(request, observation.territory, observation)


def _observation_form(
    request: OrgRequest, territory: Territory, observation: Observation | None
) -> HttpResponse:
    form = ObservationForm(request.POST or None, instance=observation)
    if request.method == "POST" and form.is_valid():
        services.observation_save(
            organisation=request.organisation,
            form=form,
            territory=territory,
            author=request.user,
        )
        messages.success(request, _("The observation has been saved."))
        return redirect(TERRITORIES.url("detail", territory.pk))
    context = {
        "title": _("Observation on %(territory)s") % {"territory": territory},
        "cancel_url": TERRITORIES.url("detail", territory.pk),
    }
    return render_form(request, "form_page.html", context, form=form)


@require_POST
@member_required(DIRECTORY_EDITORS)
def observation_archive(request: OrgRequest, pk: int) -> HttpResponse:
    observation = get_for_org(Observation, request, pk=pk)
    services.entry_set_archived(entry=observation, archived=request.POST.get("restore") != "1")
    messages.success(request, _("The observation has been archived."))
    return redirect(TERRITORIES.url("detail", observation.territory_id))
