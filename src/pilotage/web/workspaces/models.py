from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.calendars import (
    UnknownCalendarError,
    canonical_region,
    check_calendar,
    public_holidays,
    regions,
)

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as EUR."))


class Workspace(models.Model):
    """One company steered in Pilotage: its people, plans and warehouse tables."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[currency_code]
    )
    locale = models.CharField(_("locale"), max_length=5, choices=settings.LANGUAGES, default="fr")
    # the public holidays the company's days off follow (pilotage.calendars): a control of the
    # marketing-mix model, skipped days of the retro-planning; empty: none
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        default="FR",
        help_text=_("ISO 3166 code of the public holidays: FR, BE, CH, CA, GB, US…"),
    )
    region = models.CharField(
        _("region"),
        max_length=40,
        blank=True,
        help_text=_("The region, where its holidays differ: QC, VD, ENG…"),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # the metrics layer's models (pilotage.metrics.query.ATTRIBUTIONS): CAC by channel and ROMI
    attribution_model = models.CharField(
        _("attribution model"),
        max_length=20,
        default="first_touch",
        choices=[
            ("first_touch", _("First touch")),
            ("last_touch", _("Last touch")),
            ("linear", _("Linear")),
            ("position_based", _("Position-based")),
            ("time_decay", _("Time decay")),
        ],
        help_text=_(
            "How new customers and their revenue are credited to channels in CAC by channel "
            "and ROMI."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # as the calendars spell them: FR, and QC or Flemish whatever the case typed
        self.country = self.country.strip().upper()
        self.region = canonical_region(self.country, self.region)
        if self.region and not self.country:
            raise ValidationError({"region": _("A region needs its country.")})
        if not self.country:
            return
        try:
            check_calendar(self.country)
        except UnknownCalendarError as exc:
            message = _("No public-holiday calendar for %(code)s: use a two-letter ISO 3166 code.")
            raise ValidationError({"country": message % {"code": self.country}}) from exc
        try:
            check_calendar(self.country, self.region)
        except UnknownCalendarError as exc:
            message = _("%(country)s has no region %(code)s; its regions are: %(known)s.")
            known = ", ".join(regions(self.country)) or "—"
            raise ValidationError(
                {"region": message % {"country": self.country, "code": self.region, "known": known}}
            ) from exc

    def public_holidays(self, years: Iterable[int]) -> frozenset[dt.date]:
        """The company's public holidays in ``years`` (none without a country)."""
        if not self.country:
            return frozenset()
        return public_holidays(self.country, self.region, years=years)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    AGENCY = "agency", _("Agency")
    VIEWER = "viewer", _("Viewer")


# Who may see the company's money (spend, revenue, CAC…): never agencies unless granted.
FINANCIAL_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.VIEWER})
EDITOR_ROLES = frozenset({Role.OWNER, Role.MANAGER})


class Membership(models.Model):
    """A user's role in one workspace; a user may belong to several workspaces."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    financials_granted = models.BooleanField(
        _("sees financial figures"),
        default=False,
        help_text=_("Agency members see spend, revenue and KPIs only when granted."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")
        ]
        ordering = ["workspace__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.workspace} ({self.role})"

    @property
    def sees_financials(self) -> bool:
        """Owners, managers and viewers do; agency members only when granted."""
        return self.role in FINANCIAL_ROLES or self.financials_granted

    @property
    def can_edit(self) -> bool:
        return self.role in EDITOR_ROLES


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    LOAD = "load", _("loaded")


class AuditEvent(models.Model):
    """Who changed what, and when. Written by services, never edited.

    ``summary`` names the object in the user's data (``demo – Industrie Demo (owner)``);
    the verb and the object type are shown in the reader's language.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="audit_events", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    summary = models.CharField(_("summary"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    @property
    def object_type_display(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} – {self.name}"
