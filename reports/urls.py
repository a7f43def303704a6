from __future__ import annotations

from django.urls import path

from reports import data_views, report_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("places/<int:pk>/figures/", views.place_figures, name="place_figures"),
    path("territories/<int:pk>/figures/", views.territory_figures, name="territory_figures"),
    path("organisation/data/", data_views.data_privacy, name="data_privacy"),
    path("organisation/data/export.zip", data_views.data_export, name="data_export"),
]

urlpatterns += [
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/<str:kind>/<str:key>/", report_views.report_detail, name="report_detail"),
    path(
        "reports/<str:kind>/<str:key>/text/",
        report_views.report_narrative,
        name="report_narrative",
    ),
    path(
        "reports/<str:kind>/<str:key>/validate/",
        report_views.report_validate,
        name="report_validate",
    ),
    path(
        "reports/<str:kind>/<str:key>/download.<str:fmt>",
        report_views.report_download,
        name="report_download",
    ),
    path("federation/", report_views.federation_home, name="federation_home"),
    path(
        "federation/<str:kind>/<str:key>/",
        report_views.federation_report,
        name="federation_report",
    ),
    path(
        "federation/<str:kind>/<str:key>/download.<str:fmt>",
        report_views.federation_download,
        name="federation_download",
    ),
]
