"""Segments from the warehouse's customers: found by clustering or defined by rules, saved.

The computation is ``pilotage.models.segmentation``; this module reads the workspace's
orders (B2C) or won deals (B2B) and leads, keeps the latest runs while the tables do not
change, and saves the chosen segments with their profiles.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotage.models.segmentation.clustering import Segmenter
from pilotage.models.segmentation.features import CustomerFeatures, build_customer_features
from pilotage.models.segmentation.naming import suggest_names
from pilotage.models.segmentation.profiles import SegmentProfile, SegmentProfiles, profile_segments
from pilotage.models.segmentation.rfm import orders_from_deals
from pilotage.models.segmentation.rules import RuleError, apply_rules
from pilotage.warehouse.segments import write_segments
from pilotage.web.strategy.models import Segment
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record, warehouse

RANDOM_STATE = 0  # one segmentation of the same data is always the same


@dataclass
class Run:
    """One segmentation of the customers: labels, quality by k, profiles, suggested names."""

    method: str
    n_segments: int
    k_scores: list[dict]
    silhouette: float | None
    stability: float | None
    labels: list[Any]
    profiles: SegmentProfiles
    names: dict[Any, dict[str, str]]
    centers: list[dict]
    customers: int


@dataclass
class Customers:
    features: CustomerFeatures
    orders: pa.Table
    basis: str  # "orders" or "deals"


_CACHE: OrderedDict[tuple, Any] = OrderedDict()


def _cached(key: tuple, compute):
    if key not in _CACHE:
        _CACHE[key] = compute()
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def _versions(workspace: Workspace) -> tuple:
    store = warehouse()
    return (
        str(store.root),
        workspace.slug,
        *(store.version(workspace.slug, t) for t in ("orders", "deals", "leads")),
    )


def customers(workspace: Workspace) -> Customers:
    """The customer table: RFM from orders, else from won deals, with the leads' firmographics."""

    def compute() -> Customers:
        store = warehouse()
        orders = store.read(workspace.slug, "orders")
        deals = store.read(workspace.slug, "deals")
        leads = store.read(workspace.slug, "leads")
        if orders.num_rows:
            features = build_customer_features(orders, deals=deals, leads=leads)
            return Customers(features, orders, "orders")
        won = orders_from_deals(deals)
        if not won.num_rows:
            raise ValidationError(_("No customers yet: import orders or won deals first."))
        features = build_customer_features(deals=deals, leads=leads)
        return Customers(features, won, "deals")

    return _cached(("customers", *_versions(workspace)), compute)


def _profile_json(profile: SegmentProfile) -> dict:
    data = asdict(profile)
    data["top_values"] = {
        column: [{"value": v.value, "share": v.share} for v in values]
        for column, values in profile.top_values.items()
    }
    data["margin_per_customer"] = (
        profile.gross_margin / profile.customers
        if profile.gross_margin is not None and profile.customers
        else None
    )
    return json.loads(json.dumps(data, default=str))


def run(workspace: Workspace, method: str, n_segments: int | None) -> Run:
    """Cluster the customers (k chosen by the data unless given); the same inputs, one result."""

    def compute() -> Run:
        found = customers(workspace)
        try:
            model = Segmenter(
                method, n_segments, random_state=RANDOM_STATE, n_stability_runs=2
            ).fit(found.features)
        except ValueError as refused:
            raise ValidationError(str(refused)) from refused
        labels = model.labels_.tolist()
        profiles = profile_segments(found.features, labels, found.orders)
        names = suggest_names(profiles)
        return Run(
            method=method,
            n_segments=model.n_segments_,
            k_scores=[asdict(s) for s in model.k_scores_],
            silhouette=getattr(model, "silhouette_", None),
            stability=getattr(model, "stability_", None),
            labels=labels,
            profiles=profiles,
            names={k: {"en": v.en, "fr": v.fr} for k, v in names.items()},
            centers=[json.loads(json.dumps(c, default=str)) for c in model.centers_],
            customers=len(found.features),
        )

    return _cached(("run", method, n_segments, *_versions(workspace)), compute)


def by_rules(workspace: Workspace, rules: list) -> tuple[list[Any], SegmentProfiles]:
    found = customers(workspace)
    try:
        labels = apply_rules(rules, found.features).tolist()
    except RuleError as refused:
        raise ValidationError(str(refused)) from refused
    return labels, profile_segments(found.features, labels, found.orders)


@transaction.atomic
def save(
    workspace: Workspace,
    year: int,
    method: str,
    named: dict[Any, str],
    profiles: SegmentProfiles,
    definition: dict,
    actor: AbstractBaseUser | None,
    labels: list[Any],
) -> list[Segment]:
    """Save the segments under the names chosen (updating same-named ones of the year), and
    which customer is in which: the year's membership, the metrics layer's
    ``customer_segment`` dimension (written once the database commit succeeds).

    ``labels`` are the segment of each customer of :func:`customers`, in its order.
    """
    names = [n.strip() for n in named.values()]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError(_("Every segment needs its own name."))
    by_label = profiles.by_segment()
    saved = []
    for label, name in named.items():
        segment, created = Segment.objects.update_or_create(
            workspace=workspace,
            year=year,
            name=name.strip(),
            defaults={
                "method": method,
                "definition": {**definition, "label": str(label)},
                "profile": _profile_json(by_label[label]),
            },
        )
        record(
            workspace,
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            segment,
            {"method": [None, method]},
        )
        saved.append(segment)
    ids = customers(workspace).features.customer_id.tolist()
    members = [
        (str(customer), named[label].strip()) for customer, label in zip(ids, labels, strict=True)
    ]
    transaction.on_commit(lambda: write_segments(warehouse(), workspace.slug, year, members))
    return saved
