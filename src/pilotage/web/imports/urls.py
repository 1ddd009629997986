from django.urls import path

from pilotage.web.imports import views

urlpatterns = [
    path("w/<slug:slug>/imports/", views.index, name="imports"),
    path("w/<slug:slug>/imports/preview/", views.preview, name="import_preview"),
    path("w/<slug:slug>/imports/confirm/", views.confirm, name="import_confirm"),
    path("w/<slug:slug>/imports/mapping/", views.map_columns, name="import_mapping"),
    path("w/<slug:slug>/imports/jobs/<int:pk>/", views.job, name="import_job"),
    path(
        "w/<slug:slug>/imports/channels/reapply/",
        views.channels_reapply,
        name="import_channels_reapply",
    ),
    path("w/<slug:slug>/imports/<int:pk>/undo/", views.undo, name="import_undo"),
    path("w/<slug:slug>/imports/channels/", views.channels, name="import_channels"),
    path(
        "w/<slug:slug>/imports/channels/<int:pk>/delete/",
        views.channel_delete,
        name="import_channel_delete",
    ),
]
