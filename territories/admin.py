from django.contrib import admin

from territories.models import Observation, Partner, Place, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "parent", "is_qpv", "archived_at"]
    list_filter = ["organisation", "kind", "is_qpv"]
    search_fields = ["name", "insee_code"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "organisation", "archived_at"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "archived_at"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["territory", "observed_on", "organisation"]
    list_filter = ["organisation"]
