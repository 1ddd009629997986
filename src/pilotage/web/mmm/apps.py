from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MmmConfig(AppConfig):
    name = "pilotage.web.mmm"
    label = "mmm"
    verbose_name = _("Budget allocation")
