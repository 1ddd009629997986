"""What a simulated company looks like: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Event:
    """A dated, lumpy spend such as a trade show or a catalogue mailing."""

    name: str
    month: int
    day: int
    days: int
    cost: float


@dataclass(frozen=True)
class ChannelConfig:
    """One paid marketing channel and how the market responds to it.

    ``pattern`` says how money is spent: ``always_on`` (every day, shaped by month),
    ``flights`` (on for some weeks, off for others), ``monthly`` (one payment at each month start
    for ``monthly_days`` days) or ``events`` (the dated ``events``, repeated every year).
    ``roi`` is the true revenue return per euro over the simulated period: the simulator scales
    the channel's effect so that this is exactly true of the data it writes.
    ``plan_jitter`` (0: none) re-plans each month of an ``always_on``, ``flights`` or ``monthly``
    budget by an independent lognormal factor of that sigma (mean 1): a director who moves money
    between months. Without it every such channel follows the same month weights, so their
    spends move together (collinear) — realistic, and hard on a marketing-mix model.
    """

    name: str
    annual_budget: float
    pattern: Literal["always_on", "flights", "monthly", "events"]
    roi: float
    adstock: str = "geometric"
    adstock_params: dict[str, float] = field(default_factory=dict)
    saturation: str = "hill"
    half_saturation_ratio: float = 1.0  # K as a multiple of the mean adstocked spend
    saturation_shape: float = 1.0
    campaigns: tuple[str, ...] = ("Always on",)
    events: tuple[Event, ...] = ()
    cpm: float | None = None  # cost per thousand impressions; None: no impressions
    ctr: float | None = None
    platform_overclaim: float = 1.3  # platforms claim more conversions than they cause
    interaction: str = "visit"
    source: str | None = None  # web analytics source/medium; None: brings no web sessions
    medium: str | None = None
    nurture_weight: float = 0.05  # how often it appears later in a journey (touchpoints)
    plan_jitter: float = 0.0


@dataclass(frozen=True)
class FunnelConfig:
    """B2B stage rates and mean lags in days (gamma-distributed lags)."""

    lead_to_mql: float = 0.45
    mql_to_sql: float = 0.40
    sql_to_opportunity: float = 0.60
    opportunity_to_won: float = 0.30
    lag_mql: tuple[float, float] = (2.0, 3.5)  # gamma (shape, scale): mean 7 days
    lag_sql: tuple[float, float] = (3.0, 5.0)  # mean 15 days
    lag_opportunity: tuple[float, float] = (3.0, 7.0)  # mean 21 days
    lag_close: tuple[float, float] = (9.0, 8.0)  # mean 72 days, 95% within 30–120
    deal_median: float = 55_000.0
    deal_sigma: float = 0.7  # lognormal sigma of deal amounts

    @property
    def lead_to_won(self) -> float:
        return (
            self.lead_to_mql * self.mql_to_sql * self.sql_to_opportunity * self.opportunity_to_won
        )


@dataclass(frozen=True)
class CustomerValueConfig:
    """Repeat purchasing (BG/NBD) and order values (Gamma-Gamma), yearly time unit.

    Each customer buys at rate ``lambda ~ Gamma(r, alpha)`` per year while alive, and after each
    purchase drops out with probability ``p ~ Beta(a, b)``. Each customer's mean order value is
    ``p_gg / nu`` with ``nu ~ Gamma(q, gamma)``: mean order value ``p_gg * gamma / (q - 1)``.
    """

    r: float = 1.0
    alpha: float = 0.5
    a: float = 2.0
    b: float = 6.0
    p_gg: float = 6.0
    q: float = 4.0
    gamma: float = 40.0
    margin_rate: float = 0.35


@dataclass(frozen=True)
class NpsConfig:
    """True shares of promoters and detractors, and surveys per year."""

    promoters: float
    detractors: float
    surveys_per_year: int
    responses_per_survey: int

    @property
    def nps(self) -> float:
        return 100 * (self.promoters - self.detractors)


@dataclass(frozen=True)
class CompanyConfig:
    """A simulated company: who it is, its market and its marketing."""

    name: str
    slug: str
    kind: Literal["b2b", "b2c"]
    currency: str
    locale: str
    start: dt.date
    end: dt.date
    baseline_per_day: float  # expected leads (B2B) or new customers (B2C) without marketing
    trend_per_year: float  # relative growth of the baseline per year
    seasonality: tuple[tuple[float, float], ...]  # Fourier (sin, cos) pairs, yearly
    weekend_factor: float  # baseline multiplier on Saturdays and Sundays
    channels: tuple[ChannelConfig, ...]
    nps: NpsConfig
    funnel: FunnelConfig = FunnelConfig()
    customer_value: CustomerValueConfig = CustomerValueConfig()
    existing_accounts: int = 0  # B2B customers from before the simulated period
    existing_account_revenue: float = 0.0  # their mean yearly revenue
    industries: tuple[str, ...] = ()
    regions: tuple[tuple[str, str], ...] = ()  # (region, ISO country code)
    baseline_channel: str = "Direct"  # label of leads/customers that marketing did not cause
    baseline_source: tuple[str, str] = ("(direct)", "(none)")
    repeat_orders_per_year: float = 3.0  # B2B customers acquired in the period
    conversion_rate: float = 0.02  # web sessions per unit of demand = 1 / conversion_rate
    email_list_size: int = 10_000
    emails_per_week: int = 1
    fiscal_year_start_month: int = 1
