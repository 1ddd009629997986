"""Segments found in the customer data (or defined by rules) and positioning per target."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.models.perceptual import PerceptualMap
from pilotage.web.strategy import segmentation, services
from pilotage.web.strategy.diagnostic_views import _back, _edit_only
from pilotage.web.strategy.forms import PositioningForm, RatingsForm, SegmentRunForm
from pilotage.web.strategy.models import PerceptionRating, Positioning, Segment
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import AuditAction
from pilotage.web.workspaces.services import record

IDEAL = "Ideal"


@workspace_view()
def segments(request: HttpRequest) -> HttpResponse:
    """Run a segmentation, name the segments it suggests, save them; or define by rules."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    form = SegmentRunForm(request.POST or request.GET or None)
    context: dict = {"year": year, "form": form, "may_edit": services.may_edit(request)}
    action = request.POST.get("do")
    try:
        if action == "rules":
            rules = json.loads(request.POST.get("rules") or "[]")
            labels, profiles = segmentation.by_rules(ws, rules)
            named = {p.segment: str(p.segment) for p in profiles.segments}
            segmentation.save(
                ws, year, "rules", named, profiles, {"rules": rules}, request.user, labels
            )
            return _back(request, "segments", year)
        if form.is_bound and form.is_valid():
            found = segmentation.run(
                ws, form.cleaned_data["method"], form.cleaned_data["n_segments"]
            )
            context["run"] = found
            context["rows"] = _rows(found)
            if action == "save":
                named = {
                    p.segment: request.POST.get(f"name_{p.segment}", "")
                    for p in found.profiles.segments
                }
                definition = {
                    "k": found.n_segments,
                    "k_scores": found.k_scores,
                    "centers": found.centers,
                    "random_state": segmentation.RANDOM_STATE,
                }
                segmentation.save(
                    ws,
                    year,
                    found.method,
                    named,
                    found.profiles,
                    definition,
                    request.user,
                    found.labels,
                )
                return _back(request, "segments", year)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    except json.JSONDecodeError as bad:
        messages.error(request, _("The rules are not valid JSON: %(error)s") % {"error": bad})
    context["saved"] = Segment.objects.filter(workspace=ws, year=year)
    return render(request, "strategy/segments.html", context)


def _rows(found: segmentation.Run) -> list[dict]:
    language = services.language()
    return [
        {
            "label": p.segment,
            "name": found.names[p.segment][language],
            "profile": p,
        }
        for p in found.profiles.segments
    ]


def _ratings(text: str) -> list[tuple[str, str, Decimal]]:
    """brand, attribute, rating lines (comma or semicolon); errors name the line."""
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t") if text else None
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect or "excel"), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 3:
            raise ValidationError(
                _("Line %(line)s: expected brand, attribute, rating; got %(found)s")
                % {"line": number, "found": ", ".join(row)}
            )
        brand, attribute, value = (cell.strip() for cell in row)
        try:
            rating = Decimal(value.replace(",", "."))
        except InvalidOperation:
            if number == 1:
                continue  # a header line
            raise ValidationError(
                _("Line %(line)s, column rating: “%(value)s” is not a number")
                % {"line": number, "value": value}
            ) from None
        rows.append((brand, attribute, rating))
    return rows


@transaction.atomic
def _replace_ratings(ws, year, rows, actor) -> None:
    PerceptionRating.objects.filter(workspace=ws, year=year).delete()
    PerceptionRating.objects.bulk_create(
        PerceptionRating(workspace=ws, year=year, brand=b, attribute=a, rating=r)
        for b, a, r in rows
    )
    record(ws, actor, AuditAction.UPDATE, ws, {"perception_ratings": [None, len(rows)]})


def perceptual_map(ws, year) -> tuple[dict | None, list[dict], str | None]:
    """The biplot spec, each brand's gap to the ideal, or why the map cannot be drawn."""
    ratings = list(PerceptionRating.objects.filter(workspace=ws, year=year))
    if not ratings:
        return None, [], None
    brands = sorted({r.brand for r in ratings})
    attributes = sorted({r.attribute for r in ratings})
    cell = {(r.brand, r.attribute): float(r.rating) for r in ratings}
    missing = [f"{b} · {a}" for b in brands for a in attributes if (b, a) not in cell]
    if missing:
        return (
            None,
            [],
            _("Every brand needs a rating on every attribute; missing: %(cells)s")
            % {"cells": ", ".join(missing[:5])},
        )
    matrix = [[cell[b, a] for a in attributes] for b in brands]
    try:
        fitted = PerceptualMap(random_state=0).fit(
            matrix,
            brands=brands,
            attributes=attributes,
            ideal=IDEAL if IDEAL in brands else None,
        )
    except ValueError as refused:
        return None, [], str(refused)
    summary = fitted.summary()
    own = ws.name
    points = [
        {
            "name": b["brand"],
            "x": b["coordinates"][0],
            "y": b["coordinates"][1],
            "kind": _("Us") if b["brand"] == own else _("Competitor"),
        }
        for b in summary["brands"]
    ]
    if summary["ideal"]:
        x, y = summary["ideal"]["coordinates"][:2]
        points.append({"name": _("Ideal"), "x": x, "y": y, "kind": _("Ideal")})
    arrows = [
        {"name": a["attribute"], "x": a["loadings"][0], "y": a["loadings"][1]}
        for a in summary["attributes"]
    ]
    share = summary["explained_variance_ratio"]
    spec = charts.biplot(
        points,
        arrows,
        x_title=_("Axis 1 (%(share)s %% of the differences)") % {"share": round(share[0] * 100)},
        y_title=_("Axis 2 (%(share)s %% of the differences)") % {"share": round(share[1] * 100)},
    )
    gaps = sorted(
        (
            {"brand": b["brand"], "distance": b.get("ideal_distance"), "gaps": b.get("gaps", {})}
            for b in summary["brands"]
        ),
        key=lambda g: g["distance"] if g["distance"] is not None else 0,
    )
    return spec, gaps, None


@workspace_view()
def positioning(request: HttpRequest) -> HttpResponse:
    """The value proposition of each target segment, and the perceptual map of the brands."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    targets = list(Segment.objects.filter(workspace=ws, year=year, targeted=True))
    statements = []
    for segment in targets:
        existing = Positioning.objects.filter(segment=segment).first()
        data = request.POST if request.POST.get("segment") == str(segment.pk) else None
        form = PositioningForm(
            data, instance=existing, prefix=f"p{segment.pk}", initial={"brand": ws.name}
        )
        if data is not None and form.is_valid():
            services.save(form, request.user, ws, segment=segment)
            return _back(request, "positioning", year)
        statements.append((segment, existing, form))
    ratings_form = RatingsForm(request.POST if request.POST.get("form") == "ratings" else None)
    if ratings_form.is_bound and ratings_form.is_valid():
        try:
            _replace_ratings(ws, year, _ratings(ratings_form.cleaned_data["ratings"]), request.user)
            return _back(request, "positioning", year)
        except ValidationError as refused:
            ratings_form.add_error("ratings", refused)
    spec, gaps, problem = perceptual_map(ws, year)
    context = {
        "year": year,
        "statements": statements,
        "ratings_form": ratings_form,
        "spec": spec,
        "gaps": gaps,
        "problem": problem,
        "may_edit": services.may_edit(request),
        "own": ws.name,
    }
    return render(request, "strategy/positioning.html", context)
