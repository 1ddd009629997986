"""The action plan: actions that answer QQOQCCP, their milestones, money and projects.

QQOQCCP — Qui, Quoi, Où, Quand, Comment, Combien, Pourquoi (who, what, where, when, how, how
much, why): an action that does not answer all seven cannot leave the *idea* status. The rules
live in ``pilotage.execution.qqoqccp``; these models store the answers.

Money is ``Decimal`` in the workspace's currency.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilotage.web.plans.models import Pole
from pilotage.web.strategy.models import Objective
from pilotage.web.workspaces.models import Workspace

ZERO = Decimal("0.00")


class Status(models.TextChoices):
    IDEA = "idea", pgettext_lazy("action status", "Idea")
    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class PartnerKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    FREELANCE = "freelance", _("Freelancer")


class Partner(models.Model):
    """An agency or a freelancer the company outsources actions to.

    ``account`` is the partner's login in Pilotage (an agency member of the workspace): it
    sees the actions assigned to the partner, and only those.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=PartnerKind.choices)
    email = models.EmailField(_("email"), blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_accounts",
        verbose_name=_("account in Pilotage"),
    )
    capacity = models.DecimalField(
        _("capacity (full-time people)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Full-time people it puts on our work: 2 for a team of two."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_partner_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Project(models.Model):
    """Actions grouped under one goal, judged on the triptych cost / quality / delay."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=160)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    planned_end = models.DateField(_("planned end"))
    forecast_end = models.DateField(_("forecast end"), null=True, blank=True)
    acceptance_criteria = models.JSONField(
        _("acceptance criteria"),
        default=list,
        blank=True,
        help_text=_("A list of {text, met} items."),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (0–10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )

    class Meta:
        ordering = ["planned_end", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_project_name")
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """One action of the plan, with its seven QQOQCCP answers."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, default=Priority.NORMAL
    )
    # Qui
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_owned",
        verbose_name=_("owner"),
        help_text=_("A member of the company, or an agency member's account."),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("agency or freelancer"),
    )
    pole = models.CharField(_("pole"), max_length=30, choices=Pole.choices, blank=True)
    # Quoi
    deliverable = models.TextField(_("deliverable"), blank=True)
    # Où
    channel = models.CharField(_("channel"), max_length=100, blank=True)
    market = models.CharField(_("market or region"), max_length=100, blank=True)
    # Quand
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    # Comment
    approach = models.TextField(_("approach and resources"), blank=True)
    # Combien
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Pourquoi
    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objective served"),
    )
    reason = models.TextField(_("reason"), blank=True)

    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("project"),
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="blocks",
        verbose_name=_("depends on"),
    )
    effort = models.DecimalField(
        _("effort (share of a full-time week)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    links = models.TextField(_("links"), blank=True, help_text=_("One address per line."))
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="action_end_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["workspace", "external_id"],
                condition=~Q(external_id=""),
                name="one_action_per_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def owner_kind(self) -> str:
        """in_house, agency or freelance."""
        if self.partner_id:
            return self.partner.kind
        return "in_house"


class Milestone(models.Model):
    """A dated step of an action (retro-planned from a deadline, or added by hand)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=160)
    due = models.DateField(_("due"))
    done = models.BooleanField(_("done"), default=False)
    template_step = models.CharField(max_length=60, blank=True)
    pinned = models.BooleanField(
        _("date set by hand"),
        default=False,
        help_text=_("Kept when the deadline moves and the plan is computed again."),
    )

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.action} · {self.name} ({self.due})"


class MoneyKind(models.TextChoices):
    COMMITMENT = "commitment", _("Purchase order")
    INVOICE = "invoice", _("Invoice")


class MoneyEntry(models.Model):
    """A purchase order (committed money) or an invoice (actual money) of an action.

    An invoice may settle a purchase order: the order's amount then stops counting as
    committed, up to the invoiced amount (``pilotage.execution.money``).
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="money")
    kind = models.CharField(_("kind"), max_length=10, choices=MoneyKind.choices)
    reference = models.CharField(_("reference"), max_length=80)
    supplier = models.CharField(_("supplier"), max_length=120, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    date = models.DateField(_("date"))
    in_spend_data = models.BooleanField(
        _("already in the imported spend"),
        default=False,
        help_text=_(
            "Media bought through an ad platform whose spend is imported: not counted twice in "
            "the marketing cost. Leave unticked for agency fees, stands, print…"
        ),
    )
    settles = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settled_by",
        verbose_name=_("settles purchase order"),
        limit_choices_to={"kind": MoneyKind.COMMITMENT},
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("purchase order or invoice")
        verbose_name_plural = _("purchase orders and invoices")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="money_amount_not_negative"),
            models.UniqueConstraint(
                fields=["action", "kind", "reference"], name="one_money_entry_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} · {self.amount}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private, tokenised iCalendar address of one member's view of the plan."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_calendar_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.workspace}"
