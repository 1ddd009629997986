"""Analyse and decide: the diagnostic, segments, targeting, positioning, objectives and mix.

Everything is per workspace and plan year, and linked so that an objective traces back to the
diagnosis that justified it (SWOT item → TOWS option → objective) and forward to the KPI
target and the actions that deliver it. Links that an objective relies on are protected:
deleting a SWOT item used by an objective is refused (``on_delete=PROTECT``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.web.workspaces.models import Workspace

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class PestelHeading(models.TextChoices):
    POLITICAL = "political", _("Political")
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    TECHNOLOGICAL = "technological", _("Technological")
    ENVIRONMENTAL = "environmental", _("Environmental")
    LEGAL = "legal", _("Legal")


class Horizon(models.TextChoices):
    SHORT = "short", _("Under a year")
    MEDIUM = "medium", _("One to three years")
    LONG = "long", _("Beyond three years")


class PestelFactor(models.Model):
    """A factor of the macro-environment, scored by impact (−3…+3) and likelihood (1–5)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    heading = models.CharField(_("heading"), max_length=15, choices=PestelHeading.choices)
    title = models.CharField(_("factor"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    evidence = models.CharField(_("evidence or source"), max_length=500, blank=True)
    impact = models.SmallIntegerField(
        _("impact (−3 to +3)"), validators=[MinValueValidator(-3), MaxValueValidator(3)]
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    horizon = models.CharField(_("time horizon"), max_length=6, choices=Horizon.choices)

    class Meta:
        ordering = ["heading", "-likelihood", "title"]
        verbose_name = _("PESTEL factor")
        verbose_name_plural = _("PESTEL factors")

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        """Impact × likelihood: −15 (a likely severe threat) to +15."""
        return self.impact * self.likelihood


class AuditArea(models.TextChoices):
    SKILLS = "skills", _("Skills")
    BUDGET = "budget", _("Budget")
    BRAND = "brand", _("Brand image")
    TOOLS = "tools", _("Tools")
    DATA = "data", _("Data")
    SALES = "sales", _("Sales alignment")
    OFFER = "offer", _("Offer")
    OTHER = "other", _("Other")


class AuditItem(models.Model):
    """One resource or capability of the internal audit, scored 1 (weak) to 5 (strong)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    area = models.CharField(_("area"), max_length=10, choices=AuditArea.choices)
    title = models.CharField(_("capability"), max_length=200)
    score = models.PositiveSmallIntegerField(
        _("score (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["area", "title"]
        verbose_name = _("audit item")
        verbose_name_plural = _("audit items")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "area", "title"], name="one_audit_item_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SwotKind(models.TextChoices):
    STRENGTH = "S", _("Strength")
    WEAKNESS = "W", _("Weakness")
    OPPORTUNITY = "O", _("Opportunity")
    THREAT = "T", _("Threat")


class SwotItem(models.Model):
    """A strength or weakness (from the audit), an opportunity or threat (from PESTEL, data)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    kind = models.CharField(_("kind"), max_length=1, choices=SwotKind.choices)
    text = models.CharField(_("item"), max_length=300)
    audit_sources = models.ManyToManyField(
        AuditItem, blank=True, related_name="swot_items", verbose_name=_("from the audit")
    )
    pestel_sources = models.ManyToManyField(
        PestelFactor, blank=True, related_name="swot_items", verbose_name=_("from PESTEL")
    )
    market_evidence = models.TextField(_("market or customer data"), blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")

    def __str__(self) -> str:
        return f"{self.kind} · {self.text}"

    @property
    def internal(self) -> bool:
        return self.kind in (SwotKind.STRENGTH, SwotKind.WEAKNESS)


class TowsOption(models.Model):
    """A strategic option born of one internal item (S or W) and one external (O or T)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    internal = models.ForeignKey(
        SwotItem,
        on_delete=models.PROTECT,
        related_name="tows_as_internal",
        verbose_name=_("strength or weakness"),
    )
    external = models.ForeignKey(
        SwotItem,
        on_delete=models.PROTECT,
        related_name="tows_as_external",
        verbose_name=_("opportunity or threat"),
    )
    text = models.TextField(_("strategic option"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("TOWS option")
        verbose_name_plural = _("TOWS options")

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def quadrant(self) -> str:
        """SO (use strengths to seize), ST, WO or WT."""
        return f"{self.internal.kind}{self.external.kind}"


class SegmentMethod(models.TextChoices):
    KMEANS = "kmeans", _("k-means clustering")
    GMM = "gmm", _("Gaussian mixture")
    RULES = "rules", _("Rules")


class Segment(models.Model):
    """A customer segment found in the data (or defined by rules), with its profile."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="segments")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=6, choices=SegmentMethod.choices)
    definition = models.JSONField(_("definition"), default=dict, blank=True)
    profile = models.JSONField(_("profile"), default=dict, blank=True)
    # targeting
    scores = models.JSONField(_("targeting scores"), default=dict, blank=True)
    targeted = models.BooleanField(_("targeted"), default=False)
    rationale = models.TextField(_("why (not) targeted"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "name"], name="one_segment_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TargetingWeights(models.Model):
    """The weights of the targeting criteria for a plan year (``pilotage.strategy.targeting``)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    weights = models.JSONField(_("weights"), default=dict)

    class Meta:
        verbose_name = _("targeting weights")
        verbose_name_plural = _("targeting weights")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "year"], name="one_weighting_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.workspace} {self.year}"


class Positioning(models.Model):
    """The value proposition for one target segment (Moore's positioning statement)."""

    segment = models.OneToOneField(Segment, on_delete=models.CASCADE, related_name="positioning")
    need = models.CharField(_("who need"), max_length=300)
    brand = models.CharField(_("our brand"), max_length=120)
    category = models.CharField(_("is the"), max_length=200)
    benefit = models.CharField(_("that"), max_length=300)
    competitor = models.CharField(_("unlike"), max_length=200)
    proof = models.CharField(_("because (proof)"), max_length=300)

    class Meta:
        verbose_name = _("positioning")
        verbose_name_plural = _("positionings")

    def __str__(self) -> str:
        return f"{self.segment} · {self.brand}"


class PerceptionRating(models.Model):
    """How customers rate a brand (ours, a competitor, or the ideal) on one attribute."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    brand = models.CharField(_("brand"), max_length=120)
    attribute = models.CharField(_("attribute"), max_length=120)
    rating = models.DecimalField(_("rating"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["brand", "attribute"]
        verbose_name = _("perception rating")
        verbose_name_plural = _("perception ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "brand", "attribute"], name="one_rating_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand} · {self.attribute}: {self.rating}"


class Objective(models.Model):
    """A SMART objective: a KPI to move to a target value by a deadline, with an owner.

    It serves a TOWS option and a target segment; its KPI target is written to the control
    layer (``kpi_target``) so the dashboards follow it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="objectives")
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR)
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    metric = models.CharField(_("KPI"), max_length=60)
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)
    deadline = models.DateField(_("deadline"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives_owned",
        verbose_name=_("owner"),
    )
    tows_option = models.ForeignKey(
        TowsOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("TOWS option served"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("target segment"),
    )
    kpi_target = models.OneToOneField(
        "plans.KpiTarget",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objective",
        verbose_name=_("KPI target"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-year", "deadline", "title"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class MixLever(models.TextChoices):
    """The 4P, each with the customer's 4C counterpart."""

    PRODUCT = "product", _("Product ↔ Customer needs")
    PRICE = "price", _("Price ↔ Cost to satisfy")
    PLACE = "place", _("Place ↔ Convenience")
    PROMOTION = "promotion", _("Promotion ↔ Communication")


class MixDecision(models.Model):
    """A decision on one lever of the mix for one target segment, and the actions doing it."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="mix")
    lever = models.CharField(_("lever"), max_length=10, choices=MixLever.choices)
    customer_view = models.TextField(_("what the customer sees (4C)"), blank=True)
    decision = models.TextField(_("our decision (4P)"))
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="mix_decisions", verbose_name=_("actions")
    )

    class Meta:
        ordering = ["segment", "lever", "pk"]
        verbose_name = _("mix decision")
        verbose_name_plural = _("mix decisions")

    def __str__(self) -> str:
        return f"{self.segment} · {self.get_lever_display()}"
