from django.urls import path

from pilotage.web.plans import recurring, views

urlpatterns = [
    path("w/<slug:slug>/budget/", views.budget, name="budget"),
    path("w/<slug:slug>/budget/new/", views.budget_create, name="budget_create"),
    path("w/<slug:slug>/budget/<int:pk>/export.xlsx", views.budget_export, name="budget_export"),
    path("w/<slug:slug>/budget/<int:pk>/upload/", views.budget_upload, name="budget_upload"),
    path("w/<slug:slug>/budget/<int:pk>/approve/", views.budget_approve, name="budget_approve"),
    path("w/<slug:slug>/budget/<int:pk>/baseline/", views.budget_baseline, name="budget_baseline"),
    path("w/<slug:slug>/budget/targets/", views.targets, name="targets"),
    path("w/<slug:slug>/budget/targets/add/", views.target_add, name="target_add"),
    path("w/<slug:slug>/budget/costs/", recurring.recurring_costs, name="recurring_costs"),
    path(
        "w/<slug:slug>/budget/costs/<int:pk>/delete/",
        recurring.recurring_cost_delete,
        name="recurring_cost_delete",
    ),
    path(
        "w/<slug:slug>/budget/targets/<int:pk>/delete/",
        views.target_delete,
        name="target_delete",
    ),
]
