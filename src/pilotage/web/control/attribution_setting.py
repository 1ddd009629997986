"""The workspace's attribution setting: the model the metrics layer uses for CAC by channel and
ROMI on the control page and its exports. Form and service; no HTTP."""

from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from pilotage.metrics.query import ATTRIBUTIONS, Attribution
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record


class AttributionForm(forms.Form):
    """The model choice (a plain form: a ModelForm would change the workspace before the
    service records the old value)."""

    attribution_model = forms.ChoiceField(
        label=Workspace._meta.get_field("attribution_model").verbose_name,
        choices=Workspace._meta.get_field("attribution_model").choices,
        widget=forms.RadioSelect,
    )


def model_of(workspace: Workspace) -> Attribution:
    """The workspace's model as the metrics layer names it (first touch if unknown)."""
    model = workspace.attribution_model
    return model if model in ATTRIBUTIONS else "first_touch"  # type: ignore[return-value]


@transaction.atomic
def change(workspace: Workspace, model: str, actor: AbstractBaseUser | None) -> bool:
    """Set the workspace's attribution model, with an audit event; False when unchanged."""
    old = workspace.attribution_model
    if model == old:
        return False
    workspace.attribution_model = model
    workspace.full_clean(validate_unique=False, validate_constraints=False)
    workspace.save(update_fields=["attribution_model"])
    record(workspace, actor, AuditAction.UPDATE, workspace, {"attribution_model": [old, model]})
    return True
