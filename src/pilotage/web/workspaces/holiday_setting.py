"""The workspace's public holidays: the country (and region) whose days off the company keeps,
which the marketing-mix model controls for and the retro-planning skips. Form and service; no
HTTP."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pilotage.calendars import countries
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record
from pilotage.web.workspaces.templatetags.pilotage import country as country_name


class HolidaysForm(forms.Form):
    """Country and region, checked against the calendars known (a plain form: a ModelForm
    would change the workspace before the service records the old values)."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=40,
        help_text=_("Only where its holidays differ from the country's: QC, VD, ENG…"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        named = sorted(((country_name(c), c) for c in countries()), key=lambda p: _sortable(p[0]))
        self.fields["country"].choices = [("", _("None: no public holidays"))] + [
            (code, f"{name} ({code})") for name, code in named
        ]

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        # the workspace's own rules, on a copy: the messages name the field at fault
        probe = Workspace(country=data.get("country", ""), region=data.get("region", ""))
        try:
            probe.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
            return data
        data["country"], data["region"] = probe.country, probe.region
        return data


def _sortable(name: str) -> str:
    """``États-Unis`` sorts with the E's, not after Zimbabwe."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def upcoming(workspace: Workspace, today: dt.date, days: int = 365) -> list[dt.date]:
    """The workspace's public holidays from ``today`` over the next ``days`` days."""
    end = today + dt.timedelta(days=days)
    found = workspace.public_holidays(range(today.year, end.year + 1))
    return sorted(d for d in found if today <= d < end)


@transaction.atomic
def change(workspace: Workspace, country: str, region: str, actor: AbstractBaseUser | None) -> bool:
    """Set the workspace's holiday calendar, with an audit event; False when unchanged."""
    old = {"country": workspace.country, "region": workspace.region}
    new = {"country": country, "region": region}
    if new == old:
        return False
    workspace.country, workspace.region = country, region
    workspace.full_clean(validate_unique=False, validate_constraints=False)
    workspace.save(update_fields=["country", "region"])
    changes = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
    record(workspace, actor, AuditAction.UPDATE, workspace, changes)
    return True
