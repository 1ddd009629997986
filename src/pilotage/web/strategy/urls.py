from django.urls import path

from pilotage.web.strategy import choices_views, diagnostic_views, plan_views, segment_views

S = "w/<slug:slug>/strategy/"

urlpatterns = [
    path(S + "diagnostic/", diagnostic_views.diagnostic, name="diagnostic"),
    path(S + "swot/", diagnostic_views.swot, name="swot"),
    path(S + "delete/<str:kind>/<int:pk>/", diagnostic_views.delete, name="strategy_delete"),
    path(S + "segments/", segment_views.segments, name="segments"),
    path(S + "targeting/", choices_views.targeting_page, name="targeting"),
    path(S + "positioning/", segment_views.positioning, name="positioning"),
    path(S + "objectives/", choices_views.objectives, name="objectives"),
    path(S + "mix/", choices_views.mix, name="mix"),
    path(S + "mix/<int:pk>/delete/", diagnostic_views.delete_mix, name="mix_delete"),
    path(S + "plan/", plan_views.plan_document, name="plan_document"),
    path(S + "plan.pdf", plan_views.plan_download, name="plan_download"),
]
