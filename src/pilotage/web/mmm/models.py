"""A marketing-mix model fitted in the background on a workspace's warehouse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.models.mmm.report import COUNT_PER
from pilotage.web.imports.models import JobStatus
from pilotage.web.workspaces.models import Workspace


class MmmTarget(models.TextChoices):
    REVENUE = "revenue", _("revenue")
    LEADS = "leads", _("leads")


# ROIs of leads per € are tiny numbers: pages show (and take) them per 1,000 of the currency
ROI_DISPLAY_SCALE = {MmmTarget.REVENUE: 1.0, MmmTarget.LEADS: float(COUNT_PER)}


class MmmFit(models.Model):
    """One fit of the marketing-mix model: its progress while it runs, then the saved model
    (``model``: the JSON of ``MarketingMixModel.save``) and what the pages show (``results``:
    channel results, diagnostics, summaries, response curves, the last week of data)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mmm_fits")
    target = models.CharField(_("outcome"), max_length=20, choices=MmmTarget.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # the last progress saved
    finished_at = models.DateTimeField(null=True, blank=True)
    model = models.JSONField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("marketing-mix model fit")
        verbose_name_plural = _("marketing-mix model fits")

    def __str__(self) -> str:
        return f"MMM fit {self.pk} ({self.target}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def converged(self) -> bool:
        return bool(self.results.get("diagnostics", {}).get("converged"))

    @property
    def usable(self) -> bool:
        """Done, converged and saved: the scenario planner can use it."""
        return self.status == JobStatus.DONE and self.converged and self.model is not None


class MmmLiftTest(models.Model):
    """An experiment's measured effect of extra spend on one channel, which calibrates the
    next fits: ``extra_spend`` more in total over ``weeks`` weeks, on top of the channel's
    usual pace, brought ``extra_outcome`` ± ``standard_error`` (in the model's outcome: revenue,
    or leads). See ``pilotage.models.mmm.Lift``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="lift_tests")
    channel = models.CharField(_("channel"), max_length=200)
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    extra_spend = models.DecimalField(_("extra spend"), max_digits=14, decimal_places=2)
    extra_outcome = models.DecimalField(_("extra outcome"), max_digits=16, decimal_places=2)
    standard_error = models.DecimalField(_("standard error"), max_digits=16, decimal_places=2)
    source = models.CharField(_("where it comes from"), max_length=300, blank=True)
    # the outcome the workspace's model explained when the test was entered, so a later
    # change (a B2B workspace that starts importing orders) does not misread its figures;
    # blank for tests entered before it was recorded
    outcome = models.CharField(_("outcome"), max_length=10, choices=MmmTarget.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["channel", "-created_at", "-pk"]
        verbose_name = _("lift test")
        verbose_name_plural = _("lift tests")

    def __str__(self) -> str:
        return f"{self.channel}: +{self.extra_spend} over {self.weeks} weeks → {self.extra_outcome}"


class MmmRoiPrior(models.Model):
    """What a marketer expects a channel to return before the data speak: the central 90%
    interval of its ROI, which replaces the default prior (0.2–8 per unit spent) for that
    channel in the next fits. In the outcome the workspace's model explained when it was
    entered, as the pages show it: revenue per unit of currency, or leads per 1,000 of it
    (``ROI_DISPLAY_SCALE``). One per channel and outcome: entering another replaces it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="roi_priors")
    channel = models.CharField(_("channel"), max_length=200)
    low = models.DecimalField(_("low end"), max_digits=14, decimal_places=4)
    high = models.DecimalField(_("high end"), max_digits=14, decimal_places=4)
    outcome = models.CharField(_("outcome"), max_length=10, choices=MmmTarget.choices)
    source = models.CharField(_("what it rests on"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["channel", "outcome"]
        verbose_name = _("expected return")
        verbose_name_plural = _("expected returns")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "channel", "outcome"], name="mmm_one_roi_prior_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.low}–{self.high} ({self.outcome})"

    def interval(self) -> tuple[float, float]:
        """The interval in the model's units (outcome per unit of currency)."""
        scale = ROI_DISPLAY_SCALE[MmmTarget(self.outcome)]
        return float(self.low) / scale, float(self.high) / scale
