"""Web sessions, email sends and NPS surveys around the demand."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pilotage.simulate.arrivals import Arrivals
from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.spend import Calendar
from pilotage.simulate.timeline import at, ts_column

PROMOTER_SCORES, PASSIVE_SCORES = [9, 10], [7, 8]
DETRACTOR_SCORES, DETRACTOR_WEIGHTS = list(range(7)), np.array([1, 1, 1, 2, 3, 5, 7], float)
COMMENTS = {
    "promoter": ["Très bon suivi", "Great support", "Produits fiables", "Livraison rapide"],
    "passive": ["Correct", "Prix un peu élevés", "OK overall"],
    "detractor": ["Délais trop longs", "Hard to reach sales", "Qualité variable"],
}


def web_traffic(
    config: CompanyConfig,
    cal: Calendar,
    arrivals: Arrivals,
    revenue_by_arrival: np.ndarray | None,
    rng: np.random.Generator,
) -> dict[str, object]:
    """Sessions per day and channel group; key events are the arrivals coming through the web."""
    web = [(c.name, c.source, c.medium) for c in config.channels if c.source]
    web.append((config.baseline_channel, *config.baseline_source))
    n = len(cal)
    columns: dict[str, list] = {
        k: [] for k in ("date", "channel", "traffic_source", "medium", "campaign")
    }
    sessions_all, events_all, revenue_all = [], [], []
    for name, source, medium in web:
        mine = arrivals.channel == name
        events = np.bincount(arrivals.day[mine], minlength=n)
        sessions = rng.poisson(events / config.conversion_rate + 20)
        sessions_all.append(sessions)
        events_all.append(events)
        if revenue_by_arrival is not None:
            revenue_all.append(
                np.round(np.bincount(arrivals.day[mine], revenue_by_arrival[mine], minlength=n), 2)
            )
        columns["date"].extend(cal.days)
        columns["channel"].extend([name] * n)
        columns["traffic_source"].extend([source] * n)
        columns["medium"].extend([medium] * n)
        columns["campaign"].extend(["(not set)"] * n)
    sessions = np.concatenate(sessions_all)
    return {
        **columns,
        "sessions": sessions,
        "users": np.round(sessions * 0.82).astype(int),
        "engaged_sessions": rng.binomial(sessions, 0.58),
        "key_events": np.concatenate(events_all).astype(float),
        "revenue": np.concatenate(revenue_all) if revenue_all else [None] * len(sessions),
    }


def email_campaigns(config: CompanyConfig, cal: Calendar, rng: np.random.Generator) -> dict:
    """Sends on Tuesdays (and Thursdays when twice a week) at 10:00, to a growing list."""
    send_days = {1, 3} if config.emails_per_week >= 2 else {1}
    days = np.array([i for i, d in enumerate(cal.days) if d.weekday() in send_days])
    growth = 1 + 0.2 * days / 365.25
    recipients = np.round(config.email_list_size * growth).astype(int)
    bounces = rng.binomial(recipients, 0.015)
    delivered = recipients - bounces
    opens = rng.binomial(delivered, 0.27)
    names = []
    for i in days:
        year, week, _ = cal.days[i].isocalendar()
        names.append(
            f"Newsletter {year}-W{week:02d}" + (" B" if cal.days[i].weekday() == 3 else "")
        )
    return {
        "sent_at": ts_column(at(config.start, days, np.full(len(days), 10.0))),
        "campaign": names,
        "recipients": recipients,
        "delivered": delivered,
        "unique_opens": opens,
        "unique_clicks": rng.binomial(opens, 0.12),
        "unsubscribes": rng.binomial(delivered, 0.002),
        "bounces": bounces,
    }


def survey_responses(
    config: CompanyConfig,
    cal: Calendar,
    respondents: np.ndarray,
    first_order: np.ndarray,
    customer_since: np.ndarray,
    rng: np.random.Generator,
) -> dict:
    """NPS surveys at evenly spaced dates; each answer is drawn from the true category shares.

    Only customers who have ordered by the survey date answer; their segment is
    ``Nouveau client`` in their first year, ``Client fidèle`` after.
    """
    nps = config.nps
    step = 12 // nps.surveys_per_year
    survey_days = [
        day
        for y in sorted(set(cal.years.tolist()))
        for m in range(step, 13, step)
        if (day := cal.index(dt.date(y, m, 15))) is not None
    ]
    rows: dict[str, list] = {k: [] for k in ("day", "respondent_id", "score", "comment", "segment")}
    shares = np.array([nps.promoters, 1 - nps.promoters - nps.detractors, nps.detractors])
    for start in survey_days:
        opened = at(config.start, np.array([start]), np.zeros(1))[0]
        eligible = np.flatnonzero(first_order <= opened)
        k = min(nps.responses_per_survey, len(eligible))
        who = rng.choice(eligible, size=k, replace=False)
        tenure_days = (opened - customer_since[who]) / np.timedelta64(1, "D")
        category = rng.choice(3, size=k, p=shares)
        score = np.where(
            category == 0,
            rng.choice(PROMOTER_SCORES, k),
            np.where(
                category == 1,
                rng.choice(PASSIVE_SCORES, k),
                rng.choice(DETRACTOR_SCORES, k, p=DETRACTOR_WEIGHTS / DETRACTOR_WEIGHTS.sum()),
            ),
        )
        kind = np.array(["promoter", "passive", "detractor"])[category]
        comment = [rng.choice(COMMENTS[c]) if rng.random() < 0.3 else None for c in kind.tolist()]
        rows["day"].extend((start + rng.integers(0, 10, k)).tolist())
        rows["respondent_id"].extend(respondents[who].tolist())
        rows["score"].extend(score.tolist())
        rows["comment"].extend(comment)
        rows["segment"].extend(
            np.where(tenure_days < 365, "Nouveau client", "Client fidèle").tolist()
        )
    day = np.minimum(np.array(rows["day"], dtype=int), len(cal) - 1)
    return {
        "responded_at": ts_column(at(config.start, day, rng.uniform(8, 20, len(day)))),
        "respondent_id": rows["respondent_id"],
        "score": rows["score"],
        "comment": rows["comment"],
        "segment": rows["segment"],
    }
