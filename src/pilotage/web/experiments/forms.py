from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.web.experiments.models import Decision, Experiment
from pilotage.web.workspaces.models import Membership, Role


class ExperimentForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = [
            "name",
            "we_believe",
            "will",
            "because",
            "channel",
            "objective",
            "metric",
            "metric_type",
            "guardrails",
            "unit",
            "baseline",
            "baseline_sd",
            "mde",
            "daily_traffic",
            "arms",
            "planned_start",
            "duration_days",
            "assignee",
        ]
        widgets = {"planned_start": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Membership.objects.filter(workspace=workspace, role=Role.AGENCY)
        self.fields["assignee"].queryset = self.fields["assignee"].queryset.filter(
            memberships__in=agencies
        )

    def clean(self):
        data = super().clean()
        if data.get("metric_type") == "proportion" and (data.get("baseline") or 0) >= 1:
            self.add_error("baseline", _("A conversion rate is below 1: write 0.04 for 4%."))
        if data.get("metric_type") == "mean" and not data.get("baseline_sd"):
            self.add_error("baseline_sd", _("An average value needs its standard deviation."))
        return data


class ResultForm(forms.Form):
    """Cumulative figures of every arm as of a day."""

    day = forms.DateField(label=_("as of"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, experiment: Experiment, **kwargs):
        super().__init__(*args, **kwargs)
        self.experiment = experiment
        for arm in experiment.arm_names:
            self.fields[f"users_{arm}"] = forms.IntegerField(
                label=_("%(arm)s: units") % {"arm": arm}, min_value=0
            )
            if experiment.metric_type == "proportion":
                self.fields[f"conversions_{arm}"] = forms.IntegerField(
                    label=_("%(arm)s: conversions") % {"arm": arm}, min_value=0
                )
            else:
                self.fields[f"total_{arm}"] = forms.FloatField(
                    label=_("%(arm)s: sum of values") % {"arm": arm}
                )
                self.fields[f"total_squares_{arm}"] = forms.FloatField(
                    label=_("%(arm)s: sum of squared values") % {"arm": arm}, min_value=0
                )

    def clean(self):
        data = super().clean()
        for arm in self.experiment.arm_names:
            users, conversions = data.get(f"users_{arm}"), data.get(f"conversions_{arm}")
            if users is not None and conversions is not None and conversions > users:
                self.add_error(f"conversions_{arm}", _("More conversions than units."))
            total, squares = data.get(f"total_{arm}"), data.get(f"total_squares_{arm}")
            if users and total is not None and squares is not None and squares < total**2 / users:
                self.add_error(
                    f"total_squares_{arm}",
                    _("Smaller than (sum of values)² / units: check the figures."),
                )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    rationale = forms.CharField(label=_("rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    budget_amount = forms.DecimalField(
        label=_("budget to add to the plan (industrialise)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    budget_month = forms.IntegerField(
        label=_("in month"), required=False, min_value=1, max_value=12
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.INDUSTRIALISE and not data.get("budget_amount"):
            self.add_error("budget_amount", _("Industrialising needs the budget it will take."))
        return data


class ResultFileForm(forms.Form):
    """The same figures as a CSV of per-arm summary statistics (docs/experiments.md)."""

    day = forms.DateField(label=_("as of"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, experiment: Experiment, **kwargs):
        super().__init__(*args, **kwargs)
        self.experiment = experiment

    def clean(self):
        from pilotage.models.experiments.summary_csv import SummaryError, parse_arms

        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        try:
            text = upload.read(1_000_000).decode("utf-8")
            arms = parse_arms(text, upload.name, self.experiment.metric_type)
        except (UnicodeDecodeError, SummaryError) as exc:
            raise forms.ValidationError(str(exc)) from exc
        names = [a.name for a in arms]
        if names != self.experiment.arm_names:
            raise forms.ValidationError(
                _("%(file)s: expected the arms %(expected)s in this order, got %(got)s")
                % {
                    "file": upload.name,
                    "expected": ", ".join(self.experiment.arm_names),
                    "got": ", ".join(names),
                }
            )
        data["arms"] = arms
        return data
