from __future__ import annotations

from django.urls import path

from encounters import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_queue, name="offline_queue"),
    path("offline/token/", views.offline_token, name="offline_token"),
    path("sessions/<int:pk>/field/", views.field_mode, name="field_mode"),
    path("sessions/<int:pk>/field/tap/", views.tap, name="field_tap"),
    path("sessions/<int:pk>/field/undo/", views.tap_undo, name="field_tap_undo"),
    path("sessions/<int:pk>/encounters/new/", views.encounter_create, name="encounter_create"),
    path("encounters/<int:pk>/", views.encounter_detail, name="encounter_detail"),
    path("encounters/<int:pk>/edit/", views.encounter_edit, name="encounter_edit"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
]
