"""TOWS: the strategic options born of crossing internal (S, W) and external (O, T) items.

SO — use a strength to seize an opportunity; ST — use a strength to parry a threat;
WO — fix a weakness by seizing an opportunity; WT — limit a weakness facing a threat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

QUADRANTS = ("SO", "ST", "WO", "WT")


@dataclass(frozen=True)
class Item:
    id: int
    kind: str  # S, W, O or T
    text: str


@dataclass(frozen=True)
class Pair:
    internal: Item
    external: Item
    options: tuple[int, ...]  # ids of the options written for this pair

    @property
    def quadrant(self) -> str:
        return self.internal.kind + self.external.kind


def pairs(items: Iterable[Item], options: Iterable[tuple[int, int, int]]) -> dict[str, list[Pair]]:
    """Every internal × external pair by quadrant, with the options written for it.

    ``options`` are (option id, internal id, external id).
    """
    items = list(items)
    written: dict[tuple[int, int], list[int]] = {}
    for option, internal, external in options:
        written.setdefault((internal, external), []).append(option)
    out: dict[str, list[Pair]] = {q: [] for q in QUADRANTS}
    for i in (x for x in items if x.kind in "SW"):
        for e in (x for x in items if x.kind in "OT"):
            out[i.kind + e.kind].append(Pair(i, e, tuple(written.get((i.id, e.id), ()))))
    return out


def uncovered(quadrants: dict[str, Sequence[Pair]]) -> dict[str, int]:
    """How many pairs of each quadrant have no option yet."""
    return {q: sum(1 for p in ps if not p.options) for q, ps in quadrants.items()}
