from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from pilotage.web.api import api
from pilotage.web.workspaces.login import ThrottledLoginView

urlpatterns = [
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("pilotage/favicon.svg"), permanent=True)),
    path("", include("pilotage.web.workspaces.urls")),
    path("", include("pilotage.web.plans.urls")),
    path("", include("pilotage.web.control.urls")),
    path("", include("pilotage.web.experiments.urls")),
    path("", include("pilotage.web.imports.urls")),
    path("", include("pilotage.web.customers.urls")),
    path("", include("pilotage.web.mmm.urls")),
    path("", include("pilotage.web.actions.urls")),
    path("", include("pilotage.web.strategy.urls")),
    path("api/", api.urls),
]
