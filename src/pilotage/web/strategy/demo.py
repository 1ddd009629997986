"""The demo's strategy and action plan: a diagnostic, segments from the data, choices, actions.

Industrie Demo (a French machine maker) gets a full plan for 2026 in French, from PESTEL to
actions with milestones and money, so every page of the cycle has something to show. Loaded
once: a workspace that already has objectives for the year is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from pilotage.execution.retroplanning import TEMPLATES, plan_backwards
from pilotage.web.actions.models import (
    Action,
    Milestone,
    MoneyEntry,
    MoneyKind,
    Partner,
    PartnerKind,
    Project,
    Status,
)
from pilotage.web.plans.services import set_target
from pilotage.web.strategy import segmentation
from pilotage.web.strategy.models import (
    AuditItem,
    MixDecision,
    Objective,
    PerceptionRating,
    PestelFactor,
    Positioning,
    Segment,
    SwotItem,
    TowsOption,
)
from pilotage.web.workspaces.models import Workspace

YEAR = 2026
D = Decimal

PESTEL = (
    ("economic", "Aides à la relocalisation industrielle (France 2030)", 2, 4, "medium"),
    ("economic", "Taux d'intérêt élevés : investissements machines repoussés", -2, 3, "short"),
    ("technological", "Maintenance prédictive et IoT demandés par les clients", 3, 4, "medium"),
    ("legal", "Règlement machines UE 2023/1230 applicable en 2027", -1, 5, "medium"),
    ("environmental", "Exigence de bilans carbone des fournisseurs", 1, 4, "long"),
    ("social", "Pénurie de techniciens de maintenance", -2, 4, "long"),
)
AUDIT = (  # (area, capability, score 2025, score 2026)
    ("skills", "Ingénieurs d'application", 4, 5),
    ("data", "CRM à jour et exploité", 2, 3),
    ("brand", "Notoriété hors salons", 2, 2),
    ("sales", "Alignement marketing – ventes (SLA MQL)", 2, 3),
    ("tools", "Automatisation marketing", 1, 2),
)
SWOT = (  # (kind, text, audit capabilities, PESTEL factors)
    ("S", "Expertise applicative reconnue", ("Ingénieurs d'application",), ()),
    ("S", "Base installée de 1 200 machines", (), ()),
    ("W", "Notoriété faible hors salons", ("Notoriété hors salons",), ()),
    ("W", "Données clients dispersées", ("CRM à jour et exploité",), ()),
    (
        "O",
        "Usines qui se relocalisent",
        (),
        ("Aides à la relocalisation industrielle (France 2030)",),
    ),
    (
        "O",
        "Demande de maintenance prédictive",
        (),
        ("Maintenance prédictive et IoT demandés par les clients",),
    ),
    (
        "T",
        "Investissements repoussés",
        (),
        ("Taux d'intérêt élevés : investissements machines repoussés",),
    ),
)
TOWS = (  # (internal, external, option)
    (
        "Expertise applicative reconnue",
        "Usines qui se relocalisent",
        "Proposer un audit d'industrialisation gratuit aux usines qui se relocalisent",
    ),
    (
        "Base installée de 1 200 machines",
        "Demande de maintenance prédictive",
        "Vendre un contrat de maintenance prédictive à la base installée",
    ),
    (
        "Notoriété faible hors salons",
        "Usines qui se relocalisent",
        "Webinars et contenus experts pour exister entre deux salons",
    ),
)
RATINGS = {  # brand → (Expertise, Service, Prix, Innovation)
    "Industrie Demo": (6.1, 5.2, 3.9, 4.4),
    "MécaPlus": (4.8, 4.1, 5.6, 3.9),
    "EuroMachines": (5.5, 5.8, 3.2, 5.9),
    "Ideal": (6.5, 6.2, 5.0, 5.8),
}


def load_demo_strategy(workspace: Workspace) -> bool:
    """The Industrie Demo plan; False when the year already has objectives (left as it is)."""
    if workspace.slug != "industrie-demo":
        return False
    if Objective.objects.filter(workspace=workspace, year=YEAR).exists():
        return False
    _load(workspace)
    return True


@transaction.atomic
def _load(ws: Workspace) -> None:
    users = get_user_model().objects
    owner, manager = (
        users.filter(username="demo").first(),
        users.filter(username="demo-manager").first(),
    )
    factors = {
        title: PestelFactor.objects.create(
            workspace=ws, year=YEAR, heading=h, title=title, impact=i, likelihood=p, horizon=z
        )
        for h, title, i, p, z in PESTEL
    }
    audit = {}
    for area, title, last, now in AUDIT:
        AuditItem.objects.get_or_create(
            workspace=ws, year=YEAR - 1, area=area, title=title, defaults={"score": last}
        )
        audit[title] = AuditItem.objects.create(
            workspace=ws, year=YEAR, area=area, title=title, score=now
        )
    items = {}
    for kind, text, audits, pestels in SWOT:
        item = SwotItem.objects.create(workspace=ws, year=YEAR, kind=kind, text=text)
        item.audit_sources.set([audit[a] for a in audits])
        item.pestel_sources.set([factors[p] for p in pestels])
        items[text] = item
    options = [
        TowsOption.objects.create(
            workspace=ws, year=YEAR, internal=items[i], external=items[e], text=text
        )
        for i, e, text in TOWS
    ]
    targets = _segments(ws)
    for brand, ratings in RATINGS.items():
        for attribute, rating in zip(
            ("Expertise", "Service", "Prix", "Innovation"), ratings, strict=True
        ):
            PerceptionRating.objects.create(
                workspace=ws, year=YEAR, brand=brand, attribute=attribute, rating=D(str(rating))
            )
    objectives = _objectives(ws, options, targets, owner or manager)
    _actions(ws, objectives, manager or owner, targets)


def _segments(ws: Workspace) -> list[Segment]:
    """Three segments found in the won deals; the two most valuable are targeted."""
    found = segmentation.run(ws, "kmeans", 3)
    named = {p.segment: found.names[p.segment]["fr"] for p in found.profiles.segments}
    saved = segmentation.save(
        ws,
        YEAR,
        "kmeans",
        named,
        found.profiles,
        {"k": found.n_segments, "random_state": segmentation.RANDOM_STATE},
        None,
        found.labels,
    )
    ranked = sorted(saved, key=lambda s: -(s.profile.get("revenue") or 0))
    for rank, segment in enumerate(ranked):
        chosen = rank < 2
        segment.targeted = chosen
        segment.scores = {
            "size": 4 if chosen else 2,
            "growth": 4 if rank == 0 else 3,
            "margin": 4 - rank,
            "accessibility": 3,
            "competition": 3,
            "fit": 5 - rank,
            "share_of_wallet": 3,
            "references": 4 if chosen else 2,
        }
        segment.rationale = (
            "Comptes à forte valeur où notre expertise fait la différence"
            if chosen
            else "Petits comptes ponctuels : servis par les distributeurs, sans effort dédié"
        )
        segment.save()
        if chosen:
            Positioning.objects.create(
                segment=segment,
                need="fiabiliser une production relocalisée",
                brand=ws.name,
                category="constructeur de machines spéciales",
                benefit="met une ligne en production en 12 semaines",
                competitor="les généralistes importés",
                proof="1 200 machines installées et des ingénieurs d'application dédiés",
            )
    return ranked[:2]


def _objectives(ws, options, targets, owner) -> list[Objective]:
    specs = (
        (
            options[0],
            "Générer 150 leads issus d'usines en relocalisation",
            "leads",
            D(150),
            dt.date(YEAR, 12, 31),
        ),
        (options[1], "Signer 40 nouveaux clients", "new_customers", D(40), dt.date(YEAR, 12, 31)),
        (
            options[2],
            "NPS de 45 auprès des clients actifs à mi-année",
            "nps",
            D(45),
            dt.date(YEAR, 6, 30),
        ),
    )
    made = []
    for option, title, metric, value, deadline in specs:
        target, _changed = set_target(ws, metric, dt.date(YEAR, 1, 1), deadline, value)
        made.append(
            Objective.objects.create(
                workspace=ws,
                year=YEAR,
                title=title,
                metric=metric,
                target_value=value,
                deadline=deadline,
                owner=owner,
                tows_option=option,
                segment=targets[0],
                kpi_target=target,
            )
        )
    return made


def _actions(ws, objectives, manager, targets) -> None:
    agency_user = get_user_model().objects.filter(username="demo-agency").first()
    agency = Partner.objects.create(
        workspace=ws,
        name="Agence Lumière",
        kind=PartnerKind.AGENCY,
        email="contact@agence-lumiere.example",
        account=agency_user,
    )
    project = Project.objects.create(
        workspace=ws,
        name="Global Industrie 2026",
        budget=D("60000.00"),
        planned_end=dt.date(YEAR, 3, 31),
        forecast_end=dt.date(YEAR, 4, 7),
        acceptance_criteria=[
            {"text": "Stand livré et monté la veille", "met": True},
            {"text": "150 contacts qualifiés saisis dans le CRM", "met": False},
        ],
        satisfaction=8,
    )
    common = {"workspace": ws, "market": "France"}
    stand = Action.objects.create(
        **common,
        title="Stand Global Industrie",
        status=Status.IN_PROGRESS,
        partner=agency,
        pole="acquisition_performance",
        deliverable="Stand de 48 m², démonstrateur, 3 000 brochures",
        channel="Trade shows",
        start=dt.date(YEAR, 1, 5),
        end=dt.date(YEAR, 3, 27),
        approach="L'agence conçoit le stand ; nos ingénieurs animent le démonstrateur",
        budget=D("52000.00"),
        objective=objectives[0],
        project=project,
        effort=D("0.80"),
    )
    plans = plan_backwards(TEMPLATES["trade_show"], dt.date(YEAR, 3, 24))
    for plan in plans:
        Milestone.objects.create(
            action=stand,
            name=plan.name("fr"),
            due=plan.due,
            template_step=plan.key,
            done=plan.due < dt.date(YEAR, 1, 15),
        )
    order = MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.COMMITMENT,
        reference="BC-2026-014",
        supplier="Agence Lumière",
        amount=D("38000.00"),
        date=dt.date(YEAR, 1, 8),
    )
    MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.INVOICE,
        reference="FA-8812",
        supplier="Agence Lumière",
        amount=D("15200.00"),
        date=dt.date(YEAR, 2, 10),
        settles=order,
        in_spend_data=True,  # the simulator's spend holds the whole cost of its trade shows
    )
    follow = Action.objects.create(
        **common,
        title="Relance des contacts du salon",
        status=Status.PLANNED,
        owner=manager,
        pole="acquisition_performance",
        deliverable="Séquence de 4 e-mails et appels SDR",
        channel="Email nurturing",
        start=dt.date(YEAR, 3, 30),
        end=dt.date(YEAR, 4, 30),
        approach="Segmentation des contacts par application ; SLA de rappel sous 48 h",
        budget=D("3000.00"),
        objective=objectives[0],
        project=project,
        effort=D("0.60"),
    )
    follow.depends_on.add(stand)
    Action.objects.create(
        **common,
        title="Cycle de webinars « Relocaliser sa production »",
        status=Status.PLANNED,
        owner=manager,
        pole="brand_content",
        deliverable="4 webinars et leurs replays",
        channel="Webinars",
        start=dt.date(YEAR, 2, 2),
        end=dt.date(YEAR, 5, 29),
        approach="Un ingénieur d'application et un client témoin par session",
        budget=D("6000.00"),
        objective=objectives[2],
        effort=D("0.50"),
    )
    Action.objects.create(
        **common,
        title="Offre de maintenance prédictive",
        status=Status.IDEA,
        pole="product_data",
        channel="Distributors/partners",
        budget=D("15000.00"),
        reason="Vendre un service récurrent à la base installée",
    )
    for target in targets:
        MixDecision.objects.create(
            segment=target,
            lever="product",
            customer_view="Une ligne qui tourne vite et ne s'arrête pas",
            decision="Machine + contrat de maintenance prédictive en une offre",
        ).actions.add(stand)
        MixDecision.objects.create(
            segment=target,
            lever="promotion",
            customer_view="Des preuves concrètes sur des cas proches du mien",
            decision="Salon, webinars d'experts et études de cas sectorielles",
        ).actions.add(stand, follow)
