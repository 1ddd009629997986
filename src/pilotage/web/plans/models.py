"""Budgets (versions of the yearly plan, lines by month × channel × pole) and KPI targets.

Money is ``Decimal`` in the workspace's currency (``workspace.currency``), never a float.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pilotage.web.workspaces.models import Workspace

ZERO = Decimal("0.00")


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    BASELINE = "baseline", _("Baseline")


class Pole(models.TextChoices):
    """The three poles of a marketing department (DESIGN.md §1)."""

    BRAND_CONTENT = "brand_content", _("Brand & Content")
    ACQUISITION_PERFORMANCE = "acquisition_performance", _("Acquisition & Performance")
    PRODUCT_DATA = "product_data", _("Product & Data")


class Budget(models.Model):
    """One version of a fiscal year's marketing budget (a draft, an approved one, the baseline).

    The baseline is the approved version that plan-vs-actual compares with: at most one per
    workspace and year.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("version"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "name"],
                name="one_budget_version_name_per_year",
                violation_error_message=_(
                    "This company already has a budget version with this name for this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["workspace", "year"],
                condition=Q(status="baseline"),
                name="one_baseline_per_year",
                violation_error_message=_("This year already has a baseline budget."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def month_start(self, month: int) -> dt.date:
        """The first day of the fiscal year's ``month`` (1–12, a calendar month).

        The fiscal year is labelled by the calendar year it starts in: with a fiscal year
        starting in April, budget 2025 runs from April 2025 to March 2026.
        """
        first = self.workspace.fiscal_year_start_month
        return dt.date(self.year if month >= first else self.year + 1, month, 1)


class BudgetLine(models.Model):
    """What one channel (and pole) plans, has committed and has spent in one month."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    channel = models.CharField(_("channel"), max_length=100)
    pole = models.CharField(_("pole"), max_length=30, choices=Pole.choices, blank=True)
    planned = models.DecimalField(
        _("planned"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )
    committed = models.DecimalField(
        _("committed"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )
    actual = models.DecimalField(
        _("actual"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["month", "channel", "pole"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "month", "channel", "pole"], name="one_budget_line_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="budget_line_month_1_to_12"
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0, committed__gte=0, actual__gte=0),
                name="budget_line_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        pole = f" · {self.get_pole_display()}" if self.pole else ""
        return f"{self.budget} · {self.month:02d} · {self.channel}{pole}"

    @property
    def available(self) -> Decimal:
        """What is left to spend: planned − committed − actual (negative when overspent)."""
        return self.planned - self.committed - self.actual


@dataclass(frozen=True)
class TargetMetric:
    label: Promise
    higher_is_better: bool


# The KPIs a target can be set on (keys of the metrics layer, DESIGN.md §5). The model stores
# any key, so targets written by the API or the library are not limited to this list.
TARGET_METRICS: dict[str, TargetMetric] = {
    "marketing_cost": TargetMetric(_("Marketing cost"), higher_is_better=False),
    "leads": TargetMetric(_("Leads"), higher_is_better=True),
    "new_customers": TargetMetric(_("New customers"), higher_is_better=True),
    "cac": TargetMetric(_("CAC"), higher_is_better=False),
    "cac_fully_loaded": TargetMetric(_("CAC, fully loaded"), higher_is_better=False),
    "ltv": TargetMetric(_("LTV"), higher_is_better=True),
    "ltv_to_cac": TargetMetric(_("LTV/CAC"), higher_is_better=True),
    "romi": TargetMetric(_("ROMI"), higher_is_better=True),
    "roas": TargetMetric(_("ROAS"), higher_is_better=True),
    "mql_to_sql": TargetMetric(_("MQL → SQL"), higher_is_better=True),
    "revenue": TargetMetric(_("Revenue"), higher_is_better=True),
    "nps": TargetMetric(_("NPS"), higher_is_better=True),
}

# The dimensions of the metrics layer a target can be split by.
TARGET_DIMENSIONS = {
    "channel": _("Channel"),
    "campaign": _("Campaign"),
    "segment": _("Segment"),
    "customer_segment": _("Customer segment"),
    "region": _("Region"),
    "country": _("Country"),
    "company_size": _("Company size"),
}


class KpiTarget(models.Model):
    """The value a KPI should reach over a period, overall or for one dimension value.

    ``metric`` is a key of the metrics layer (``leads``, ``cac``, ``ltv_to_cac``, ``nps``…);
    with ``dimension="channel"`` and ``dimension_value="Paid search"`` the target is that
    channel's.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("KPI"), max_length=60)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    dimension = models.CharField(_("split by"), max_length=30, blank=True)
    dimension_value = models.CharField(_("for"), max_length=100, blank=True)
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["period_start", "metric", "dimension", "dimension_value"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "workspace",
                    "metric",
                    "period_start",
                    "period_end",
                    "dimension",
                    "dimension_value",
                ],
                name="one_target_per_metric_period_and_split",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="target_period_not_reversed"
            ),
            models.CheckConstraint(
                condition=Q(dimension="", dimension_value="")
                | (~Q(dimension="") & ~Q(dimension_value="")),
                name="target_dimension_and_value_together",
            ),
        ]

    def __str__(self) -> str:
        split = f" [{self.dimension}={self.dimension_value}]" if self.dimension else ""
        return f"{self.metric}{split} {self.period_start} – {self.period_end}: {self.value}"

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after its first day.")
        if bool(self.dimension) != bool(self.dimension_value):
            field = "dimension_value" if self.dimension else "dimension"
            errors[field] = _("Give both what the target is split by and the value, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def metric_label(self) -> str:
        known = TARGET_METRICS.get(self.metric)
        return str(known.label) if known else self.metric

    @property
    def dimension_label(self) -> str:
        return str(TARGET_DIMENSIONS.get(self.dimension, self.dimension))

    @property
    def higher_is_better(self) -> bool:
        known = TARGET_METRICS.get(self.metric)
        return known.higher_is_better if known else True


class CostKind(models.TextChoices):
    PAYROLL = "payroll", _("Marketing payroll")
    SALES = "sales", _("Sales cost")


class RecurringCost(models.Model):
    """A monthly cost beyond media: marketing payroll or the sales team's cost.

    The fully loaded KPIs add them (``pilotage.metrics.recurring``): marketing cost fully
    loaded, and CAC fully loaded (marketing + payroll + sales cost per new customer).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=CostKind.choices)
    label = models.CharField(_("what"), max_length=120)
    monthly = models.DecimalField(
        _("per month"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty: still running."))

    class Meta:
        ordering = ["kind", "start", "label"]
        verbose_name = _("recurring cost")
        verbose_name_plural = _("recurring costs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="recurring_cost_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.label}"
