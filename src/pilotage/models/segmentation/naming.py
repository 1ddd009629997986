"""Plain-language segment names, in English and French, suggested from the profiles.

A segment's mean RFM scores (1–5, see :mod:`~pilotage.models.segmentation.rfm`) place it in
three tiers — **high** when the mean is ≥ 3.5, **low** when ≤ 2.5, **mid** otherwise — and
the tiers pick the words:

- value (M): high "High-value" / "à forte valeur", mid "Mid-value" / "à valeur moyenne",
  low "Small" / "Petits";
- frequency (F): high "loyal customers" / "clients fidèles", mid "repeat customers" /
  "clients réguliers", low "buyers" / "acheteurs";
- status: R low → "Lapsed" / "perdus"; R high with F low → "New" / "Nouveaux".

English reads ``[Lapsed|New] <value> <noun>`` ("High-value loyal customers", "Lapsed small
buyers"); French ``[Nouveaux] [Petits] <noun> [perdus] [à forte valeur|à valeur moyenne]``
("Clients fidèles à forte valeur", "Petits acheteurs perdus").

A categorical value is added in brackets — "High-value loyal customers (Retail)" — when it
covers **more than 60%** of the segment (``dominance``) while covering at most that share of
all customers (a value that dominates everywhere says nothing about the segment); fields are
looked at in the order of ``fields`` (default industry, then region).

Without RFM scores the base name is "Segment n" (n = the segment's rank, from 1). Names are
made unique: when several segments get the same name, the largest keeps it and the others get
" (2)", " (3)"… by decreasing size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pilotage.models.segmentation.profiles import Label, SegmentProfile, SegmentProfiles

HIGH, LOW = 3.5, 2.5

_VALUE_EN = {"high": "high-value", "mid": "mid-value", "low": "small"}
_NOUN_EN = {"high": "loyal customers", "mid": "repeat customers", "low": "buyers"}
_NOUN_FR = {"high": "clients fidèles", "mid": "clients réguliers", "low": "acheteurs"}
_VALUE_FR = {"high": "à forte valeur", "mid": "à valeur moyenne", "low": ""}


@dataclass(frozen=True)
class SegmentName:
    """A suggested name in English and French, and the tiers it was built from."""

    segment: Label
    en: str
    fr: str
    value: str | None  # "high", "mid", "low"; None without RFM scores
    frequency: str | None
    recency: str | None
    dominant: tuple[str, ...] = ()


def tier(mean_score: float) -> str:
    """ "high" (≥ 3.5), "low" (≤ 2.5) or "mid" for a mean score on the 1–5 scale."""
    if mean_score >= HIGH:
        return "high"
    if mean_score <= LOW:
        return "low"
    return "mid"


def suggest_names(
    profiles: SegmentProfiles,
    *,
    fields: Sequence[str] = ("industry", "region"),
    dominance: float = 0.6,
) -> dict[Label, SegmentName]:
    """One unique English and French name per segment (see the module for the rules)."""
    if not 0 < dominance < 1:
        raise ValueError("dominance must be between 0 and 1")
    segments = [p for p in profiles.segments if p.segment is not None]
    found = [
        _name(profile, rank, _dominant(profile, profiles.overall, fields, dominance))
        for rank, profile in enumerate(segments, start=1)
    ]
    sizes = [p.customers for p in segments]
    en = _unique([n.en for n in found], sizes)
    fr = _unique([n.fr for n in found], sizes)
    return {
        n.segment: SegmentName(n.segment, e, f, n.value, n.frequency, n.recency, n.dominant)
        for n, e, f in zip(found, en, fr, strict=True)
    }


def _name(profile: SegmentProfile, rank: int, dominant: tuple[str, ...]) -> SegmentName:
    assert profile.segment is not None
    r, f, m = profile.mean_r_score, profile.mean_f_score, profile.mean_m_score
    if r is None or f is None or m is None:
        en = fr = f"Segment {rank}"
        tiers: tuple[str | None, str | None, str | None] = (None, None, None)
    else:
        value, frequency, recency = tier(m), tier(f), tier(r)
        tiers = (value, frequency, recency)
        status_en = ""
        if recency == "low":
            status_en = "lapsed"
        elif recency == "high" and frequency == "low":
            status_en = "new"
        en = " ".join(w for w in (status_en, _VALUE_EN[value], _NOUN_EN[frequency]) if w)
        fr = " ".join(
            w
            for w in (
                "nouveaux" if status_en == "new" else "",
                "petits" if value == "low" else "",
                _NOUN_FR[frequency],
                "perdus" if status_en == "lapsed" else "",
                _VALUE_FR[value],
            )
            if w
        )
        en, fr = en[0].upper() + en[1:], fr[0].upper() + fr[1:]
    if dominant:
        en += f" ({', '.join(dominant)})"
        fr += f" ({', '.join(dominant)})"
    value_tier, frequency_tier, recency_tier = tiers
    return SegmentName(
        profile.segment, en, fr, value_tier, frequency_tier, recency_tier, dominant=dominant
    )


def _dominant(
    profile: SegmentProfile, overall: SegmentProfile, fields: Sequence[str], dominance: float
) -> tuple[str, ...]:
    found = []
    for name in fields:
        top = profile.top_values.get(name)
        if not top or top[0].value is None or top[0].share <= dominance:
            continue
        everywhere = {t.value: t.share for t in overall.top_values.get(name, ())}
        if everywhere.get(top[0].value, 0.0) <= dominance:
            found.append(top[0].value)
    return tuple(found)


def _unique(names: list[str], sizes: list[int]) -> list[str]:
    result = list(names)
    taken = set()
    # the largest segment of a group of equal names keeps it; ties by order
    order = sorted(range(len(names)), key=lambda i: (-sizes[i], i))
    counts: dict[str, int] = {}
    for i in order:
        base = names[i]
        counts[base] = counts.get(base, 0) + 1
        candidate = base if counts[base] == 1 else f"{base} ({counts[base]})"
        while candidate in taken:
            counts[base] += 1
            candidate = f"{base} ({counts[base]})"
        taken.add(candidate)
        result[i] = candidate
    return result
