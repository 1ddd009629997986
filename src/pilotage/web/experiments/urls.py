from django.urls import path

from pilotage.web.experiments import views

urlpatterns = [
    path("w/<slug:slug>/pilots/", views.registry, name="experiments"),
    path("w/<slug:slug>/pilots/new/", views.create, name="experiment_new"),
    path("w/<slug:slug>/pilots/<int:pk>/", views.detail, name="experiment"),
    path("w/<slug:slug>/pilots/<int:pk>/start/", views.start, name="experiment_start"),
    path("w/<slug:slug>/pilots/<int:pk>/results/", views.results, name="experiment_results"),
    path(
        "w/<slug:slug>/pilots/<int:pk>/results/file/",
        views.results_file,
        name="experiment_results_file",
    ),
    path("w/<slug:slug>/pilots/<int:pk>/decide/", views.decide, name="experiment_decide"),
]
