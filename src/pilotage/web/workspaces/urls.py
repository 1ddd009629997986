from django.urls import path

from pilotage.web.workspaces import views

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("w/<slug:slug>/", views.home, name="home"),
    path("w/<slug:slug>/panel/", views.panel, name="panel"),
    path("w/<slug:slug>/audit/", views.audit, name="audit"),
    path("w/<slug:slug>/settings/holidays/", views.holidays_settings, name="holidays_settings"),
]
