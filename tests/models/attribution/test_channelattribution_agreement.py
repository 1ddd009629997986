"""Markov attribution against the ChannelAttribution package (a bench-only peer: `make
bench-peers` installs it; without it these tests skip, saying so).

ChannelAttribution estimates removal effects by simulating walks; by default it caps a walk's
length (``max_step``), which cuts the chain's cycles short (a > b > a). With the cap lifted
(``max_step=1000``) and enough simulations it converges to our exact absorbing-chain solution;
with its default cap it does not, on paths that revisit a channel — that is the one convention
difference, documented in docs/attribution.md.
"""

from __future__ import annotations

import pytest

from pilotage.models.attribution import PathRow, attribute_paths

ChannelAttribution = pytest.importorskip(
    "ChannelAttribution", reason="ChannelAttribution is not installed (make bench-peers)"
)
pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.filterwarnings("ignore")  # the package prints and warns on import

CYCLES = [
    PathRow(("a", "b", "a"), 2, 20.0, 1),
    PathRow(("b", "c"), 1, 10.0, 3),
    PathRow(("c",), 3, 30.0, 2),
    PathRow(("a", "c", "b"), 1, 10.0, 0),
]


def theirs(rows: list[PathRow], **options) -> dict[str, float]:
    frame = pd.DataFrame(
        {
            "path": [" > ".join(r.path) for r in rows],
            "conv": [r.conversions for r in rows],
            "value": [r.value for r in rows],
            "null": [r.nulls for r in rows],
        }
    )
    result = ChannelAttribution.markov_model(
        frame,
        "path",
        "conv",
        var_value="value",
        var_null="null",
        order=1,
        verbose=False,
        flg_pro=False,
        **options,
    )
    table = result["result"] if isinstance(result, dict) else result
    return dict(zip(table["channel_name"], table["total_conversions"], strict=True))


def ours(rows: list[PathRow]) -> dict[str, float]:
    return {c: v["conversions"] for c, v in attribute_paths(rows, "markov")["channels"].items()}


def test_with_the_walk_cap_lifted_it_converges_to_our_exact_answer():
    simulated = theirs(CYCLES, nsim_start=3e6, max_step=1000)
    for channel, exact in ours(CYCLES).items():
        assert simulated[channel] == pytest.approx(exact, rel=0.005), channel


def test_its_default_walk_cap_is_the_difference_on_revisited_channels():
    default = theirs(CYCLES, nsim_start=3e6)
    exact = ours(CYCLES)
    assert max(abs(default[c] - exact[c]) / exact[c] for c in exact) > 0.01


def test_agreement_on_many_journeys():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from markov_attribution import journeys

    rows = journeys(20_000, seed=3)
    simulated = theirs(rows, nsim_start=2e7, max_step=1000)
    exact = ours(rows)
    total = sum(exact.values())
    for channel, value in exact.items():
        if value >= 0.05 * total:
            assert simulated[channel] == pytest.approx(value, rel=0.01), channel
