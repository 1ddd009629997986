from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.importers import importers
from pilotage.web.imports.models import ChannelRule

TIMEZONES = [
    "UTC",
    "Europe/Paris",
    "Europe/London",
    "Europe/Brussels",
    "Europe/Zurich",
    "America/New_York",
    "America/Montreal",
    "America/Los_Angeles",
]


def source_choices() -> list[tuple[str, str]]:
    found = sorted(importers().values(), key=lambda imp: imp.label)
    return [("auto", _("Detect from the file")), *((imp.name, imp.label) for imp in found)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


def table_choices() -> list[tuple[str, str]]:
    from pilotage.warehouse import TABLES

    return [("", "—"), *((t, t) for t in TABLES)]


class OptionsForm(forms.Form):
    source = forms.ChoiceField(label=_("Format"), choices=source_choices, initial="auto")
    table = forms.ChoiceField(
        label=_("Table (for a file with a column mapping)"), choices=table_choices, required=False
    )
    preset = forms.CharField(label=_("Saved column mapping"), required=False)
    mapping = forms.CharField(widget=forms.HiddenInput, required=False)
    timezone_name = forms.ChoiceField(
        label=_("Time zone of times without one"),
        choices=[(z, z) for z in TIMEZONES],
        initial="UTC",
    )

    def clean_mapping(self) -> dict[str, str]:
        import json

        raw = self.cleaned_data.get("mapping") or ""
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("The column mapping is not valid.")) from exc
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise forms.ValidationError(_("The column mapping is not valid."))
        return value

    date_order = forms.ChoiceField(
        label=_("Order of day and month"),
        choices=[
            ("", _("Decide from the file (refuse if ambiguous)")),
            ("dmy", _("Day first (31/01/2026)")),
            ("mdy", _("Month first (01/31/2026)")),
        ],
        required=False,
    )


class UploadForm(OptionsForm):
    files = MultipleFileField(label=_("Export files (CSV, TSV, XLSX, Parquet)"))


class ChannelRuleForm(forms.ModelForm):
    class Meta:
        model = ChannelRule
        fields = ["channel", "platform", "source", "medium", "campaign"]
