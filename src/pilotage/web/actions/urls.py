from django.urls import path

from pilotage.web.actions import exchange_views, planning_views, views

W = "w/<slug:slug>/actions/"

urlpatterns = [
    path(W, views.action_list, name="actions"),
    path(W + "new/", views.action_new, name="action_new"),
    path(W + "<int:pk>/", views.action_detail, name="action"),
    path(W + "<int:pk>/edit/", views.action_edit, name="action_edit"),
    path(W + "<int:pk>/status/", views.action_status, name="action_status"),
    path(W + "<int:pk>/delete/", views.action_delete, name="action_delete"),
    path(W + "<int:pk>/retro-planning/", views.action_retroplan, name="action_retroplan"),
    path(W + "<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        W + "<int:pk>/milestones/<int:milestone>/",
        views.milestone_update,
        name="milestone_update",
    ),
    path(W + "<int:pk>/money/", views.money_add, name="action_money_add"),
    path(W + "<int:pk>/brief.pdf", exchange_views.brief_pdf, name="action_brief"),
    path(W + "timeline/", planning_views.gantt, name="gantt"),
    path(W + "workload/", planning_views.owner_load, name="owner_load"),
    path(W + "money/", planning_views.money, name="action_money"),
    path(W + "money/to-budget/", planning_views.money_to_budget, name="action_money_to_budget"),
    path(W + "projects/", planning_views.projects, name="projects"),
    path(W + "projects/new/", planning_views.project_form, name="project_new"),
    path(W + "projects/<int:pk>/", planning_views.project_form, name="project_edit"),
    path(W + "partners/", planning_views.partners, name="partners"),
    path(W + "export.<str:fmt>", exchange_views.export, name="actions_export"),
    path(W + "calendar/", exchange_views.calendar, name="action_calendar"),
    path(W + "import/", exchange_views.import_actions, name="action_import"),
    path(W + "import/commit/", exchange_views.import_commit, name="action_import_commit"),
    path("calendar/<str:token>.ics", exchange_views.calendar_feed, name="calendar_feed"),
]
