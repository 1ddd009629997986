from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.web.workspaces.models import Workspace


class MetricType(models.TextChoices):
    PROPORTION = "proportion", _("Conversion rate")
    MEAN = "mean", _("Average value")


class Unit(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    LEAD = "lead", _("Lead")
    ACCOUNT = "account", _("Account")
    REGION = "region", _("Region")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    INDUSTRIALISE = "industrialise", _("Industrialise")
    ITERATE = "iterate", _("Iterate")
    CUT = "cut", _("Cut")


class Experiment(models.Model):
    """A pilot: a hypothesis, a design with its power, results, and a decision."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="experiments")
    name = models.CharField(_("name"), max_length=120)
    we_believe = models.CharField(_("we believe that"), max_length=255)
    will = models.CharField(_("will"), max_length=255)
    because = models.CharField(_("because"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="experiments_owned"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiments_assigned",
        verbose_name=_("results entered by"),
        help_text=_("An agency member who may enter the results of this pilot."),
    )
    channel = models.CharField(_("channel"), max_length=80)
    objective = models.CharField(_("objective served"), max_length=255)
    metric = models.CharField(_("primary metric"), max_length=80)
    metric_type = models.CharField(
        _("metric type"), max_length=12, choices=MetricType.choices, default=MetricType.PROPORTION
    )
    guardrails = models.CharField(_("guardrail metrics"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.VISITOR)
    baseline = models.FloatField(
        _("baseline"),
        validators=[MinValueValidator(0)],
        help_text=_("The control's rate (0.04 for 4%) or average value."),
    )
    baseline_sd = models.FloatField(
        _("standard deviation"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For an average value: its standard deviation per unit."),
    )
    mde = models.FloatField(
        _("smallest lift worth detecting"),
        default=0.1,
        validators=[MinValueValidator(0.001), MaxValueValidator(10)],
        help_text=_("Relative: 0.1 for +10%."),
    )
    daily_traffic = models.PositiveIntegerField(_("units per day, all arms"))
    arms = models.PositiveSmallIntegerField(
        _("arms"), default=2, validators=[MinValueValidator(2), MaxValueValidator(6)]
    )
    planned_start = models.DateField(_("planned start"), default=dt.date.today)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=15)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.CharField(_("decision"), max_length=14, choices=Decision.choices, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return self.name

    @property
    def arm_names(self) -> list[str]:
        return [chr(ord("A") + i) for i in range(self.arms)]

    @property
    def ends_on(self) -> dt.date:
        return self.planned_start + dt.timedelta(days=self.duration_days - 1)

    def days_left(self, today: dt.date | None = None) -> int:
        today = today or timezone.localdate()
        return max((self.ends_on - today).days + 1, 0)


class ArmResult(models.Model):
    """Cumulative summary statistics of one arm, as of a day (the latest row counts)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="results")
    arm = models.CharField(_("arm"), max_length=1)
    day = models.DateField(_("as of"))
    users = models.PositiveIntegerField(_("units"))
    conversions = models.PositiveIntegerField(_("conversions"), null=True, blank=True)
    total = models.FloatField(_("sum of values"), null=True, blank=True)
    total_squares = models.FloatField(_("sum of squared values"), null=True, blank=True)

    class Meta:
        ordering = ["day", "arm"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "arm", "day"], name="one_result_per_day")
        ]
        verbose_name = _("arm result")
        verbose_name_plural = _("arm results")

    def __str__(self) -> str:
        return f"{self.experiment} {self.arm} {self.day}"
