from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "pilotage.web.control"
    label = "control"
    verbose_name = _("Control")
