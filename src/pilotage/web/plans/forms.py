from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.web.plans.models import TARGET_DIMENSIONS, TARGET_METRICS, Budget, KpiTarget

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class BudgetForm(forms.Form):
    """A new draft version: fiscal year and version name."""

    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Version"), max_length=Budget._meta.get_field("name").max_length)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Budget template (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB."), params={"max": MAX_UPLOAD_BYTES >> 20}
            )
        return upload


class TargetForm(forms.Form):
    """The value a KPI should reach over a period, overall or for one channel, segment…"""

    metric = forms.ChoiceField(
        label=_("KPI"), choices=[(k, m.label) for k, m in TARGET_METRICS.items()]
    )
    period_start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    dimension = forms.ChoiceField(
        label=_("Split by"),
        choices=[("", _("— whole company —")), *TARGET_DIMENSIONS.items()],
        required=False,
    )
    dimension_value = forms.CharField(
        label=_("For"),
        required=False,
        max_length=KpiTarget._meta.get_field("dimension_value").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Paid search")}),
    )
    value = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=4, localize=True)
