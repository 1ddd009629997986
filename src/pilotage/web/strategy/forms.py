"""Forms of the diagnostic and the strategic choices, scoped to one workspace and plan year."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pilotage.web.plans.models import TARGET_METRICS
from pilotage.web.strategy.models import (
    AuditItem,
    MixDecision,
    Objective,
    PestelFactor,
    Positioning,
    Segment,
    SwotItem,
    SwotKind,
    TowsOption,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PestelForm(forms.ModelForm):
    class Meta:
        model = PestelFactor
        fields = ["heading", "title", "description", "evidence", "impact", "likelihood", "horizon"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class AuditForm(forms.ModelForm):
    class Meta:
        model = AuditItem
        fields = ["area", "title", "score", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}


class SwotForm(forms.ModelForm):
    class Meta:
        model = SwotItem
        fields = ["kind", "text", "audit_sources", "pestel_sources", "market_evidence"]
        widgets = {"market_evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workspace, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit_sources"].queryset = AuditItem.objects.filter(
            workspace=workspace, year=year
        )
        self.fields["pestel_sources"].queryset = PestelFactor.objects.filter(
            workspace=workspace, year=year
        )

    def clean(self):
        data = super().clean()
        internal = data.get("kind") in (SwotKind.STRENGTH, SwotKind.WEAKNESS)
        if internal and data.get("pestel_sources"):
            self.add_error(
                "pestel_sources",
                _("Strengths and weaknesses come from the internal audit, not from PESTEL."),
            )
        if not internal and data.get("audit_sources"):
            self.add_error(
                "audit_sources",
                _("Opportunities and threats come from PESTEL and market data, not the audit."),
            )
        return data


class TowsForm(forms.ModelForm):
    class Meta:
        model = TowsOption
        fields = ["internal", "external", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workspace, year, **kwargs):
        super().__init__(*args, **kwargs)
        items = SwotItem.objects.filter(workspace=workspace, year=year)
        self.fields["internal"].queryset = items.filter(kind__in=["S", "W"])
        self.fields["external"].queryset = items.filter(kind__in=["O", "T"])


class ObjectiveForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("KPI"))

    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "metric",
            "target_value",
            "deadline",
            "owner",
            "tows_option",
            "segment",
        ]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, workspace, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(k, m.label) for k, m in TARGET_METRICS.items()]
        self.fields["owner"].queryset = get_user_model().objects.filter(
            memberships__workspace=workspace, memberships__role__in=["owner", "manager"]
        )
        self.fields["tows_option"].queryset = TowsOption.objects.filter(
            workspace=workspace, year=year
        )
        self.fields["segment"].queryset = Segment.objects.filter(
            workspace=workspace, year=year, targeted=True
        )
        self.fields["tows_option"].required = True
        self.fields["owner"].required = True


class PositioningForm(forms.ModelForm):
    class Meta:
        model = Positioning
        fields = ["need", "brand", "category", "benefit", "competitor", "proof"]


class RatingsForm(forms.Form):
    """Attribute ratings pasted as CSV: brand, attribute, rating (one per line)."""

    ratings = forms.CharField(
        label=_("ratings"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One line per rating: brand, attribute, rating (1–7). Name the ideal point "
            "“Ideal”. Lines replace this year's ratings."
        ),
    )


class MixForm(forms.ModelForm):
    class Meta:
        model = MixDecision
        fields = ["lever", "customer_view", "decision", "actions"]
        widgets = {
            "customer_view": forms.Textarea(attrs={"rows": 2}),
            "decision": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        from pilotage.web.actions.models import Action

        self.fields["actions"].queryset = Action.objects.filter(workspace=workspace)


class SegmentRunForm(forms.Form):
    method = forms.ChoiceField(
        label=_("method"),
        choices=[("kmeans", _("k-means clustering")), ("gmm", _("Gaussian mixture"))],
    )
    n_segments = forms.IntegerField(
        label=_("number of segments"),
        required=False,
        min_value=2,
        max_value=10,
        help_text=_("Leave empty to let the data choose."),
    )


class TargetingForm(forms.Form):
    """Scores (1–5) of one segment on every criterion, and the decision."""

    targeted = forms.BooleanField(label=_("target this segment"), required=False)
    rationale = forms.CharField(
        label=_("why (not)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in criteria:
            self.fields[key] = forms.IntegerField(label=label, min_value=1, max_value=5)

    def clean(self):
        data = super().clean()
        if data.get("targeted") is not None and not (data.get("rationale") or "").strip():
            self.add_error(
                "rationale",
                _("Say why: deciding is giving up (“décider, c'est renoncer”)."),
            )
        return data
