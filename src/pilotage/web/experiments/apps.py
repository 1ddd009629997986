from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "pilotage.web.experiments"
    label = "experiments"
    verbose_name = _("Test & Learn")
