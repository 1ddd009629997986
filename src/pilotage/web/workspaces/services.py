"""Workspace business logic: rows ↔ plain objects, library calls, audit trail."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from pilotage.warehouse import Warehouse
from pilotage.web.workspaces.models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    Membership,
    Role,
    Workspace,
)


class NotFound(LookupError):
    """No workspace or user matches what the user typed."""


def warehouse() -> Warehouse:
    return Warehouse(settings.PILOTAGE_WAREHOUSE_DIR)


def record(
    workspace: Workspace | None,
    actor: AbstractBaseUser | None,
    action: str,
    obj: Any,
    changes: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit trail: ``actor`` did ``action`` to ``obj``."""
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", "") or ""),
        summary=str(obj)[:255],
        changes=changes or {},
    )


def find_workspace(ref: str) -> Workspace:
    """The workspace whose slug is ``ref`` or whose name is ``ref`` (any case)."""
    match = Workspace.objects.filter(Q(slug=ref) | Q(name__iexact=ref)).first()
    if match is None:
        raise NotFound(f"no workspace named {ref!r} (give its name or its short name)")
    return match


@transaction.atomic
def create_workspace(
    name: str,
    *,
    currency: str = "EUR",
    locale: str = "fr",
    fiscal_year_start_month: int = 1,
    country: str | None = None,
    region: str = "",
    slug: str | None = None,
    owner: AbstractBaseUser | None = None,
    actor: AbstractBaseUser | None = None,
) -> Workspace:
    workspace = Workspace(
        name=name,
        slug=slug or slugify(name)[: Workspace._meta.get_field("slug").max_length].strip("-"),
        currency=currency.upper(),
        locale=locale,
        fiscal_year_start_month=fiscal_year_start_month,
        # the holidays: France's for a French-speaking company unless told otherwise
        country=("FR" if locale == "fr" else "") if country is None else country,
        region=region,  # Workspace.clean spells both as the calendars do
    )
    workspace.full_clean()
    workspace.save()
    record(workspace, actor, AuditAction.CREATE, workspace)
    if owner is not None:
        add_member(workspace, owner, Role.OWNER, actor=actor)
    return workspace


@transaction.atomic
def add_member(
    workspace: Workspace,
    user: AbstractBaseUser,
    role: str,
    *,
    actor: AbstractBaseUser | None = None,
) -> Membership:
    """Give ``user`` the ``role`` in ``workspace`` (changing it if they are already a member)."""
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        old, membership.role = membership.role, role
        membership.full_clean()
        membership.save(update_fields=["role"])
        record(workspace, actor, AuditAction.UPDATE, membership, {"role": [old, role]})
    elif created:
        membership.full_clean()
        record(workspace, actor, AuditAction.CREATE, membership)
    return membership


def create_user(username: str, password: str, *, email: str = "") -> AbstractBaseUser:
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValueError(f"a user named {username!r} already exists")
    return user_model.objects.create_user(username=username, email=email, password=password)


def memberships_of(user: AbstractBaseUser) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("workspace"))


def create_token(user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``: the row (which keeps only a digest) and the token itself."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=hashlib.sha256(raw.encode()).hexdigest()
    )
    return token, raw
