"""Checks before a verdict: sample-ratio mismatch, multiple comparisons, guardrail metrics.

- :func:`srm_check` — were users split between the arms as planned? A chi-square goodness of
  fit; a mismatch means the assignment or the tracking is broken and blocks the verdict.
- :func:`holm` and :func:`benjamini_hochberg` — adjusted p-values when several metrics or
  arms are tested at once (Holm controls the family-wise error, Benjamini–Hochberg the false
  discovery rate).
- :func:`guardrail_check` — a metric that must not get worse (unsubscribe rate, cost per
  lead): it fails when a one-sided test shows harm at level α.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from babel.numbers import format_decimal
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from pilotage.models.experiments.frequentist import Result, analyze
from pilotage.models.experiments.inputs import Arm

SRM_THRESHOLD = 0.001  # GrowthBook's default: a false alarm once in 1,000 healthy tests
Direction = Literal["higher_is_better", "lower_is_better"]
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@dataclass(frozen=True)
class SrmCheck:
    """Result of the sample-ratio-mismatch check; ``ok`` is ``p_value ≥ threshold``.

    ``message_en`` and ``message_fr`` explain the outcome to a marketer; ``message`` is the
    English one. ``expected`` are the user counts the planned split implies.
    """

    p_value: float
    ok: bool
    statistic: float
    names: tuple[str, ...]
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    threshold: float
    message_en: str
    message_fr: str

    @property
    def message(self) -> str:
        """The explanation in English."""
        return self.message_en

    def message_in(self, language: str) -> str:
        """The explanation in ``language`` ("fr…" for French, English otherwise)."""
        return self.message_fr if language.lower().startswith("fr") else self.message_en


@dataclass(frozen=True)
class GuardrailCheck:
    """A guardrail metric: ``failed`` when the one-sided ``p_value`` for harm is below α."""

    metric: str
    direction: Direction
    failed: bool
    p_value: float
    alpha: float
    result: Result
    message_en: str
    message_fr: str


def srm_check(
    users: Sequence[int] | Sequence[Arm],
    split: Sequence[float] | None = None,
    *,
    names: Sequence[str] | None = None,
    threshold: float = SRM_THRESHOLD,
) -> SrmCheck:
    """Sample-ratio-mismatch check: Pearson's chi-square goodness of fit to the planned split.

    With observed users oᵢ, planned weights wᵢ and N = Σ oᵢ, the expected counts are
    eᵢ = N wᵢ / Σ w; χ² = Σ (oᵢ − eᵢ)² / eᵢ with k − 1 degrees of freedom, p = P(χ²_{k−1} > χ²)
    (scipy ``chisquare(observed, expected)``). The split is healthy when p ≥ ``threshold``
    (0.001 by default, as GrowthBook: the check runs on every test and every look, so a strict
    threshold keeps false alarms rare, while a real assignment bug on thousands of users gives
    p far below it).

    ``users`` are counts or arms (their ``users`` and ``name`` are used); ``split`` defaults to
    equal weights; ``names`` default to the arms' names, or A, B, C…

    Examples
    --------
    >>> check = srm_check([10_000, 10_600])
    >>> check.ok, round(check.p_value, 6)
    (False, 2.9e-05)
    >>> srm_check([5_023, 4_977]).ok
    True
    """
    counts, labels = _counts_and_names(users, names)
    weights = [1.0] * len(counts) if split is None else [float(w) for w in split]
    if len(weights) != len(counts):
        raise ValueError(f"split has {len(weights)} weights for {len(counts)} arms")
    if not all(w > 0 and math.isfinite(w) for w in weights):
        raise ValueError(f"split weights must be positive numbers, got {list(split or [])}")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be strictly between 0 and 1, got {threshold}")
    total = sum(counts)
    expected = tuple(total * w / sum(weights) for w in weights)
    chi2 = sum((o - e) ** 2 / e for o, e in zip(counts, expected, strict=True))
    p = float(stats.chi2.sf(chi2, len(counts) - 1))
    shares = [w / sum(weights) for w in weights]
    en, fr = _srm_messages(labels, counts, expected, shares, p, threshold)
    return SrmCheck(p, p >= threshold, chi2, labels, counts, expected, threshold, en, fr)


def holm(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm's step-down adjusted p-values (family-wise error control).

    With the m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎:
    p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎), returned in the input order
    (statsmodels ``multipletests(method="holm")``). Reject where p̃ ≤ α.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03])
    (0.03, 0.06, 0.06)
    """
    p = _p_values(p_values)
    m, adjusted, running = len(p), [0.0] * len(p), 0.0
    for rank, i in enumerate(sorted(range(m), key=p.__getitem__)):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return tuple(adjusted)


def benjamini_hochberg(p_values: Sequence[float]) -> tuple[float, ...]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate control).

    With p₍₁₎ ≤ … ≤ p₍ₘ₎: p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j), returned in the input order
    (statsmodels ``multipletests(method="fdr_bh")``). Reject where p̃ ≤ q.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03])
    (0.03, 0.04, 0.04)
    """
    p = _p_values(p_values)
    m, adjusted, running = len(p), [0.0] * len(p), 1.0
    for rank, i in reversed(list(enumerate(sorted(range(m), key=p.__getitem__), start=1))):
        # (m / rank) first: exactly 1 for the largest p-value and m for the smallest, so the
        # result never rounds below p nor above Holm's.
        running = min(running, (m / rank) * p[i])
        adjusted[i] = running
    return tuple(adjusted)


def adjust_p_values(p_values: Sequence[float], method: str = "holm") -> tuple[float, ...]:
    """Adjusted p-values by ``method``: "holm" (:func:`holm`) or "bh" (Benjamini–Hochberg).

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], "bh")
    (0.03, 0.04, 0.04)
    """
    corrections = {"holm": holm, "bh": benjamini_hochberg}
    if method not in corrections:
        raise ValueError(f"unknown correction {method!r}; choose 'holm' or 'bh'")
    return corrections[method](p_values)


def guardrail_check(
    control: Arm,
    variant: Arm,
    *,
    metric: str,
    direction: Direction = "higher_is_better",
    alpha: float = 0.05,
    cuped: bool | None = None,
) -> GuardrailCheck:
    """Does the variant harm a guardrail metric? A one-sided test at level α.

    The frequentist test of :func:`~pilotage.models.experiments.frequentist.analyze` gives
    the statistic s (z or Welch's t with ν degrees of freedom) of B − A. The p-value for harm
    is F(s) when higher is better (H₁: B < A) and 1 − F(s) when lower is better (H₁: B > A),
    F the standard normal or t_ν distribution function (statsmodels ``proportions_ztest``,
    scipy ``ttest_ind_from_stats`` with ``alternative="smaller"/"less"`` or ``"larger"``).
    The guardrail fails when that p-value is below α: being one-sided, it looks for harm only,
    and finds it sooner than the two-sided test would.

    Examples
    --------
    >>> from pilotage.models.experiments.inputs import ProportionArm
    >>> g = guardrail_check(ProportionArm("A", 5_000, 50), ProportionArm("B", 5_000, 75),
    ...                     metric="unsubscribe rate", direction="lower_is_better")
    >>> g.failed, round(g.p_value, 4)
    (True, 0.0122)
    """
    if direction not in ("higher_is_better", "lower_is_better"):
        raise ValueError(
            f"direction must be 'higher_is_better' or 'lower_is_better', got {direction!r}"
        )
    result = analyze(control, variant, alpha=alpha, cuped=cuped)
    s = result.statistic
    below = stats.norm.cdf(s) if result.df is None else stats.t.cdf(s, result.df)
    above = stats.norm.sf(s) if result.df is None else stats.t.sf(s, result.df)
    p = float(below if direction == "higher_is_better" else above)
    failed = p < alpha
    en, fr = _guardrail_messages(metric, result, p, alpha, failed)
    return GuardrailCheck(metric, direction, failed, p, alpha, result, en, fr)


def _counts_and_names(
    users: Sequence[int] | Sequence[Arm], names: Sequence[str] | None
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    items = list(users)
    if len(items) < 2:
        raise ValueError(f"a sample-ratio check needs at least 2 arms, got {len(items)}")
    arm_names = [getattr(u, "name", None) for u in items]
    raw = [getattr(u, "users", u) for u in items]
    counts = []
    for i, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"users must be non-negative counts; arm {i + 1} has {value!r}")
        if not float(value).is_integer():
            raise ValueError(f"users must be whole numbers; arm {i + 1} has {value!r}")
        counts.append(int(value))
    if sum(counts) == 0:
        raise ValueError("no users in any arm yet; the split cannot be checked")
    if names is None:
        labels = [n if isinstance(n, str) else chr(ord("A") + i) for i, n in enumerate(arm_names)]
    else:
        labels = list(names)
    if len(labels) != len(counts):
        raise ValueError(f"{len(labels)} names for {len(counts)} arms")
    return tuple(counts), tuple(labels)


def _p_values(p_values: Sequence[float]) -> list[float]:
    p = [float(v) for v in p_values]
    for i, v in enumerate(p):
        if not 0 <= v <= 1:
            raise ValueError(f"p-values must lie in [0, 1]; value {i + 1} is {p_values[i]!r}")
    return p


def _number(value: float, language: str, pattern: str = "#,##0") -> str:
    return format_decimal(value, format=pattern, locale=_LOCALES[language])


def _percent(share: float, language: str, pattern: str = "#,##0.#") -> str:
    """50% in English, 50 % (narrow no-break space) in French."""
    return _number(100 * share, language, pattern) + ("\u202f%" if language == "fr" else "%")


def _p(p: float, language: str) -> str:
    if p < 0.0001:
        return "p < " + _number(0.0001, language, "0.0###")
    return "p = " + _number(p, language, "0.0###")


def _srm_messages(
    names: tuple[str, ...],
    observed: tuple[int, ...],
    expected: tuple[float, ...],
    shares: list[float],
    p: float,
    threshold: float,
) -> tuple[str, str]:
    def parts(lang: str) -> tuple[str, str, str, str, str]:
        got = " / ".join(f"{n} {_number(o, lang)}" for n, o in zip(names, observed, strict=True))
        plan = " / ".join(_percent(s, lang) for s in shares)
        want = " / ".join(_number(e, lang) for e in expected)
        once = _number(round(1 / threshold), lang)
        return got, plan, want, once, _p(p, lang)

    got, plan, want, once, pv = parts("en")
    if p >= threshold:
        en = f"Sample ratio OK: {got} users is consistent with the planned {plan} split ({pv})."
    else:
        en = (
            f"Sample ratio mismatch: the arms received {got} users where the planned {plan} "
            f"split expected {want}. A gap this large happens by chance less than once in "
            f"{once} tests ({pv}), so users were not assigned as planned (check the redirect, "
            "the tracking, bots, or a filter applied to one arm only). Do not decide on these "
            "results: find and fix the cause, then restart the test."
        )
    got, plan, want, once, pv = parts("fr")
    if p >= threshold:
        fr = (
            f"Répartition conforme : {got} utilisateurs, cohérent avec la répartition prévue "
            f"{plan} ({pv})."
        )
    else:
        fr = (
            f"Déséquilibre de répartition (SRM) : les groupes ont reçu {got} utilisateurs "
            f"alors que la répartition prévue {plan} en attendait {want}. Un écart aussi grand "
            f"arrive par hasard moins d'une fois sur {once} tests ({pv}) : les utilisateurs "
            "n'ont pas été répartis comme prévu (vérifiez la redirection, le suivi, les robots "
            "ou un filtre appliqué à un seul groupe). Ne décidez pas sur ces résultats : "
            "trouvez et corrigez la cause, puis relancez le test."
        )
    return en, fr


def _guardrail_messages(
    metric: str, result: Result, p: float, alpha: float, failed: bool
) -> tuple[str, str]:
    def change(lang: str) -> str:
        if result.lift is not None:
            return _percent(result.lift, lang, "+#,##0.0;-#,##0.0")
        return _number(result.absolute_lift, lang, "+#,##0.####;-#,##0.####")

    a_en, a_fr = _number(alpha, "en", "0.0##"), _number(alpha, "fr", "0.0##")
    v = result.variant
    if failed:
        en = (
            f"Guardrail {metric} failed: variant {v} harms it ({change('en')}, one-sided "
            f"{_p(p, 'en')} < {a_en}). Do not industrialise {v} as it stands."
        )
        fr = (
            f"Garde-fou {metric} franchi : la variante {v} le dégrade ({change('fr')}, test "
            f"unilatéral {_p(p, 'fr')} < {a_fr}). N'industrialisez pas {v} en l'état."
        )
    else:
        en = f"Guardrail {metric} holds: no significant harm in variant {v} ({change('en')})."
        fr = (
            f"Garde-fou {metric} respecté : pas de dégradation significative avec la variante "
            f"{v} ({change('fr')})."
        )
    return en, fr
