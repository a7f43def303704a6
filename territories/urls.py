from __future__ import annotations

from django.urls import path

from territories import views
from territories.views import PARTNERS, PLACES, TERRITORIES


def _directory_urls(prefix: str, directory: views.Directory) -> list:
    name = directory.name
    config = {"directory": directory}
    return [
        path(f"{prefix}/", views.entry_list, config, name=f"{name}_list"),
        path(f"{prefix}/new/", views.entry_create, config, name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", views.entry_detail, config, name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.entry_edit, config, name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/archive/", views.entry_archive, config, name=f"{name}_archive"),
    ]


urlpatterns = [
    *_directory_urls("territories", TERRITORIES),
    *_directory_urls("places", PLACES),
    *_directory_urls("partners", PARTNERS),
    path(
        "territories/<int:pk>/observations/new/",
        views.observation_create,
        name="observation_create",
    ),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/archive/", views.observation_archive, name="observation_archive"),
]
