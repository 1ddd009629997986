from django.urls import path

from pilotage.web.control import views

urlpatterns = [
    path("w/<slug:slug>/control/", views.control, name="control"),
    path("w/<slug:slug>/control/drill/", views.drilldown, name="control_drill"),
    path("w/<slug:slug>/control/variance/", views.variance_page, name="control_variance"),
    path(
        "w/<slug:slug>/control/attribution/",
        views.attribution_page,
        name="control_attribution",
    ),
    path(
        "w/<slug:slug>/control/settings/",
        views.attribution_settings,
        name="control_settings",
    ),
    path("w/<slug:slug>/control/export/<str:table>.<str:fmt>", views.export, name="control_export"),
]
