"""Forms of the action plan. The QQOQCCP check itself is ``pilotage.execution.qqoqccp``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pilotage.execution import qqoqccp
from pilotage.web.actions import exchange, services
from pilotage.web.actions.models import Action, MoneyEntry, MoneyKind, Partner, Project, Status
from pilotage.web.imports.services import taxonomy
from pilotage.web.strategy.models import Objective
from pilotage.web.workspaces.models import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The form fields that answer each letter (where the error is shown).
LETTER_FIELDS = {
    "qui": "owner",
    "quoi": "deliverable",
    "ou": "channel",
    "quand": "start",
    "comment": "approach",
    "combien": "budget",
    "pourquoi": "objective",
}


def _language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def add_letter_errors(form: forms.BaseForm, problems: list[qqoqccp.Problem], workspace) -> None:
    """Show each blocking problem on the field that answers its letter, in the UI language."""
    for problem in problems:
        field = LETTER_FIELDS.get(problem.letter or "")
        message = services.problem_message(problem, workspace)
        form.add_error(field if field in form.fields else None, message)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "title",
            "status",
            "priority",
            "owner",
            "partner",
            "pole",
            "deliverable",
            "channel",
            "market",
            "start",
            "end",
            "approach",
            "budget",
            "objective",
            "reason",
            "project",
            "depends_on",
            "effort",
            "links",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "deliverable": forms.Textarea(attrs={"rows": 2}),
            "approach": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "links": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.was = self.instance.status if self.instance.pk else Status.IDEA
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(memberships__workspace=workspace).order_by("username")
        )
        self.fields["partner"].queryset = Partner.objects.filter(workspace=workspace)
        self.fields["objective"].queryset = Objective.objects.filter(workspace=workspace)
        self.fields["project"].queryset = Project.objects.filter(workspace=workspace)
        others = Action.objects.filter(workspace=workspace)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others
        channels = taxonomy(workspace).channels
        current = self.instance.channel
        choices = [("", "—"), *((c, c) for c in channels)]
        if current and current not in channels:
            choices.append((current, current))
        self.fields["channel"] = forms.ChoiceField(
            label=_("channel"), choices=choices, required=False
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        answers = services.answers(
            self.workspace,
            owner=data.get("owner") or data.get("partner"),
            pole=data.get("pole"),
            deliverable=data.get("deliverable"),
            channel=data.get("channel"),
            market=data.get("market"),
            start=data.get("start"),
            end=data.get("end"),
            approach=data.get("approach"),
            budget=data.get("budget"),
            objective=data.get("objective"),
            reason=data.get("reason"),
        )
        problems = qqoqccp.check_transition(self.was, data["status"], answers)
        add_letter_errors(self, problems, self.workspace)
        return data


class StatusForm(forms.Form):
    """What an agency member may change on an action assigned to them."""

    status = forms.ChoiceField(label=_("status"), choices=Status.choices)


class RetroPlanForm(forms.Form):
    template = forms.ChoiceField(label=_("template"))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    business_days = forms.BooleanField(label=_("working days only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["template"].choices = [
            (key, template.name(language)) for key, template in services.templates().items()
        ]


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("milestone"), max_length=160)
    due = forms.DateField(label=_("due"), widget=DATE)


class MoneyForm(forms.ModelForm):
    class Meta:
        model = MoneyEntry
        fields = ["kind", "reference", "supplier", "amount", "date", "settles", "in_spend_data"]
        widgets = {"date": DATE}

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settles"].queryset = MoneyEntry.objects.filter(
            action=action, kind=MoneyKind.COMMITMENT
        )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "email", "account", "capacity"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = get_user_model().objects.filter(
            memberships__workspace=workspace, memberships__role=Role.AGENCY
        )


class ProjectForm(forms.ModelForm):
    criteria = forms.CharField(
        label=_("acceptance criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One criterion per line; start a line with [x] when it is met."),
    )

    class Meta:
        model = Project
        fields = ["name", "budget", "planned_end", "forecast_end", "satisfaction"]
        widgets = {"planned_end": DATE, "forecast_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["criteria"].initial = "\n".join(
                ("[x] " if c.get("met") else "") + c.get("text", "")
                for c in self.instance.acceptance_criteria
            )

    def clean_criteria(self) -> list[dict]:
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            line = line.strip()
            if not line:
                continue
            met = line.lower().startswith("[x]")
            text = line[3:].strip() if met else line.removeprefix("[ ]").strip()
            criteria.append({"text": text, "met": met})
        return criteria

    def save(self, commit: bool = True) -> Project:
        self.instance.acceptance_criteria = self.cleaned_data["criteria"]
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("export file (CSV or XLSX)"))
    tool = forms.ChoiceField(label=_("tool"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [("", _("Recognise from the columns"))] + [
            (key, exchange.TOOL_NAMES.get(key, key)) for key in services.import_tools()
        ]
