from django.urls import path

from pilotage.web.mmm import views

urlpatterns = [
    path("w/<slug:slug>/mmm/", views.model, name="mmm"),
    path("w/<slug:slug>/mmm/fit/", views.start, name="mmm_fit"),
    path("w/<slug:slug>/mmm/scenarios/", views.scenarios, name="mmm_scenarios"),
    path("w/<slug:slug>/mmm/scenarios/apply/", views.apply, name="mmm_apply"),
    path("w/<slug:slug>/mmm/lift-tests/", views.lift_tests, name="mmm_lift_tests"),
    path(
        "w/<slug:slug>/mmm/lift-tests/<int:pk>/delete/",
        views.delete_lift_test,
        name="mmm_lift_test_delete",
    ),
    path("w/<slug:slug>/mmm/expected-returns/", views.roi_priors, name="mmm_roi_priors"),
    path(
        "w/<slug:slug>/mmm/expected-returns/<int:pk>/delete/",
        views.delete_roi_prior,
        name="mmm_roi_prior_delete",
    ),
]
