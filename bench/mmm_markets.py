"""The simulated markets of the MMM studies: the two demo companies, varied on three axes.

- **collinearity** — ``demo``: every always-on, flighted and monthly budget follows the same
  month weights, so those channels' spends move together (and with the season); ``replanned``:
  each channel's months are re-planned independently (``plan_jitter`` 0.35, each year's total
  kept), as a director who moves money between months does.
- **flighting** — ``demo``: the companies' own patterns; ``flighted``: every other always-on
  channel runs in four-week flights instead (on 60% of the time).
- **noise** — ``demo``: the companies' own baseline demand; ``noisy``: three times the baseline
  demand, so three times the Poisson variance around the same media effects.

Each of the 2 × 2 × 2 × 2 = 16 scenarios is drawn with two seeds: 32 markets.

``true_value`` is the simulator's own steady-state revenue of an allocation (what judges the
optimiser), and ``lift_tests`` the idealised experiments a director could run to calibrate the
model: for each channel that is not event-driven, four weeks at +30% of the current weekly
spend, whose true steady-state effect is measured with a standard error of a quarter of it.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.models.mmm helpers

from tests.models.mmm.conftest import FORMS, true_value, weekly_aggregates  # noqa: E402

from pilotage.models.mmm import Lift  # noqa: E402
from pilotage.simulate.companies import BOUTIQUE, INDUSTRIE  # noqa: E402
from pilotage.simulate.config import CompanyConfig  # noqa: E402
from pilotage.simulate.market import Market, simulate  # noqa: E402

COMPANIES = {"boutique": BOUTIQUE, "industrie": INDUSTRIE}
AXES = {
    "collinearity": ("demo", "replanned"),
    "flighting": ("demo", "flighted"),
    "noise": ("demo", "noisy"),
}
SEEDS = (1, 2)
PLAN_JITTER = 0.35
NOISE_FACTOR = 3.0
WEEKS = 13  # the horizon of a recommendation, and the weeks "current" spend is averaged over
LIFT_WEEKS, LIFT_STEP, LIFT_RELATIVE_SE = 4, 0.3, 0.25
S_SHAPE = 2.0  # the Hill shape of every Hill channel in the S-curve markets (mmm_s_curves)


@dataclass(frozen=True)
class Scenario:
    company: str
    collinearity: str
    flighting: str
    noise: str
    seed: int
    curves: str = "demo"  # or "s_shaped": every Hill channel's shape is S_SHAPE (not an axis)

    @property
    def label(self) -> str:
        label = f"{self.company}/{self.collinearity}/{self.flighting}/{self.noise}/seed {self.seed}"
        return label if self.curves == "demo" else f"{label}/{self.curves}"

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def config(self) -> CompanyConfig:
        config = COMPANIES[self.company]
        channels = []
        always_on = 0
        for channel in config.channels:
            changes: dict[str, Any] = {}
            if channel.pattern == "always_on":
                always_on += 1
                if self.flighting == "flighted" and always_on % 2 == 0:
                    changes["pattern"] = "flights"
            if self.collinearity == "replanned" and channel.pattern != "events":
                changes["plan_jitter"] = PLAN_JITTER
            if self.curves == "s_shaped" and channel.saturation == "hill":
                changes["saturation_shape"] = S_SHAPE
            channels.append(dataclasses.replace(channel, **changes))
        baseline = config.baseline_per_day * (NOISE_FACTOR if self.noise == "noisy" else 1.0)
        return dataclasses.replace(config, channels=tuple(channels), baseline_per_day=baseline)

    def model_forms(self) -> dict[str, Any]:
        """The response forms the company's channels really have (as the tests use)."""
        return FORMS[self.company]


def scenarios(seeds: tuple[int, ...] = SEEDS, curves: str = "demo") -> Iterator[Scenario]:
    for company, *levels, seed in itertools.product(COMPANIES, *AXES.values(), seeds):
        yield Scenario(company, *levels, seed, curves=curves)


def market(scenario: Scenario) -> tuple[Market, dict, Any, list]:
    """The simulated market and its weekly table: ``(market, spend, y, dates)``."""
    simulated = simulate(scenario.config(), scenario.seed)
    spend, y, dates = weekly_aggregates(simulated)
    return simulated, spend, y, dates


def lift_tests(scenario: Scenario, truth: dict, spend: dict[str, np.ndarray]) -> list[Lift]:
    """One measured lift test per channel that is not event-driven (see the module's text)."""
    rng = np.random.default_rng(1000 + scenario.seed)
    patterns = {c.name: c.pattern for c in scenario.config().channels}
    tests = []
    for name, weekly in spend.items():
        if patterns[name] == "events":
            continue
        now = float(weekly[-WEEKS:].mean()) * LIFT_WEEKS
        more = now * (1 + LIFT_STEP)
        effect = true_value(truth, {name: more}, LIFT_WEEKS) - true_value(
            truth, {name: now}, LIFT_WEEKS
        )
        se = LIFT_RELATIVE_SE * effect
        measured = effect + float(rng.normal(0, se))
        tests.append(Lift(name, more - now, measured, se, weeks=LIFT_WEEKS))
    return tests
