"""What was imported, by whom, and the workspace's channel taxonomy rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotage.web.workspaces.models import Workspace


class ImportStatus(models.TextChoices):
    COMMITTED = "committed", _("imported")
    UNCHANGED = "unchanged", _("already imported")
    UNDONE = "undone", _("undone")


class ImportRecord(models.Model):
    """One file imported into a workspace's warehouse: one batch, identified by its hash."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="imports")
    import_id = models.CharField(_("batch"), max_length=40, db_index=True)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("source"), max_length=60)
    source_label = models.CharField(_("format"), max_length=120)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    tables = models.JSONField(_("rows written per table"), default=dict)
    skipped = models.JSONField(_("skipped rows"), default=list)
    details = models.JSONField(default=dict)
    versions = models.JSONField(_("warehouse versions"), default=dict)
    # what the import was asked: source, time zone, date order, table and mapping (to redo it)
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source})"

    @property
    def rows_written(self) -> int:
        return sum(int(n) for n in self.tables.values())


class ChannelRule(models.Model):
    """A workspace's own mapping rule: raw platform/source/medium/campaign patterns → channel.

    Patterns are case-insensitive, ``*`` matches anything; the workspace's rules are tried in
    ``position`` order before the built-in defaults.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channel_rules")
    position = models.PositiveIntegerField(default=0)
    channel = models.CharField(_("channel"), max_length=60)
    platform = models.CharField(_("platform"), max_length=60, default="*", blank=True)
    source = models.CharField(_("source"), max_length=120, default="*", blank=True)
    medium = models.CharField(_("medium"), max_length=120, default="*", blank=True)
    campaign = models.CharField(_("campaign"), max_length=200, default="*", blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("channel rule")
        verbose_name_plural = _("channel rules")

    def __str__(self) -> str:
        parts = [
            f"{k}={getattr(self, k)}"
            for k in ("platform", "source", "medium", "campaign")
            if getattr(self, k) not in ("", "*")
        ]
        return f"{' & '.join(parts) or '*'} → {self.channel}"

    def as_rule(self) -> dict[str, str]:
        return {
            "channel": self.channel,
            "platform": self.platform or "*",
            "source": self.source or "*",
            "medium": self.medium or "*",
            "campaign": self.campaign or "*",
        }


class MappingPreset(models.Model):
    """A saved column mapping for the generic importer: file header → canonical field."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="presets")
    name = models.CharField(_("name"), max_length=80)
    table = models.CharField(_("table"), max_length=40)
    mapping = models.JSONField(_("mapping"), default=dict)  # canonical field → file header
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="preset_name_unique")
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return f"{self.name} → {self.table}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """An import confirmed by a user and run in the background, with its progress."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    digests = models.JSONField(default=list)  # the uploads to import, by hash
    source = models.CharField(max_length=60, default="auto")
    options = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)
    records = models.ManyToManyField(ImportRecord, blank=True, related_name="+")
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"import job {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
