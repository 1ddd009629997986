"""From statistics to a decision a marketer can act on, in plain French and English.

Rules, in order (one variant against the control):

1. the sample-ratio-mismatch check fails → ``blocked``: the split is broken, no verdict;
2. the lift is significant (the always-valid sequential p-value when given, which stays valid
   however often people looked; otherwise the fixed-horizon p-value, valid only at the planned
   end) and the chance to beat control is at least ``confidence`` → ``industrialise``;
   significant the other way with the chance at most 1 − ``confidence`` → ``cut``;
3. otherwise ``continue`` while the pilot runs, ``iterate`` once its planned duration is over
   (inconclusive: rework the idea or test a bigger change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from babel.numbers import format_decimal, format_percent

Code = Literal["blocked", "industrialise", "cut", "continue", "iterate"]


@dataclass(frozen=True)
class Verdict:
    code: Code
    sentence_en: str
    sentence_fr: str

    def sentence(self, language: str) -> str:
        return self.sentence_fr if language.lower().startswith("fr") else self.sentence_en


def decide(
    *,
    variant: str,
    metric: str,
    lift: float | None,
    lift_low: float | None,
    lift_high: float | None,
    p_value: float,
    chance_to_win: float,
    srm_ok: bool,
    srm_message_en: str = "",
    srm_message_fr: str = "",
    finished: bool,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> Verdict:
    """The verdict and its sentence (see the module docstring for the rules)."""
    if not srm_ok:
        return Verdict(
            "blocked",
            f"No verdict: the traffic split is broken. {srm_message_en}".strip(),
            f"Pas de verdict : la répartition du trafic est faussée. {srm_message_fr}".strip(),
        )
    significant = p_value < alpha
    if significant and lift is not None and lift > 0 and chance_to_win >= confidence:
        code: Code = "industrialise"
    elif significant and lift is not None and lift < 0 and chance_to_win <= 1 - confidence:
        code = "cut"
    else:
        code = "iterate" if finished else "continue"
    return Verdict(
        code,
        _sentence(code, "en", variant, metric, lift, lift_low, lift_high, chance_to_win),
        _sentence(code, "fr", variant, metric, lift, lift_low, lift_high, chance_to_win),
    )


def _pct(value: float | None, language: str) -> str:
    """``12 %`` in French (narrow no-break space), ``12%`` in English; sign dropped."""
    if value is None:
        return "n/a"
    if language == "fr":
        return format_decimal(abs(value) * 100, format="#,##0.#", locale="fr") + "\u202f%"
    return format_percent(abs(value), format="#,##0.#%", locale="en")


def _sentence(code, language, variant, metric, lift, low, high, chance) -> str:
    fr = language == "fr"
    interval = (
        f"({_signed(low, language)} à {_signed(high, language)})"
        if fr
        else f"({_signed(low, language)} to {_signed(high, language)})"
    )
    chance_text = _pct(chance, language)
    if lift is None:
        effect = (
            f"La variante {variant} ne se compare pas : le contrôle vaut 0"
            if fr
            else f"Variant {variant} cannot be compared: the control is 0"
        )
    elif fr:
        verb = "augmente" if lift >= 0 else "baisse"
        effect = f"La variante {variant} {verb} {metric} de {_pct(lift, language)} {interval}"
    else:
        verb = "raises" if lift >= 0 else "lowers"
        effect = f"Variant {variant} {verb} {metric} by {_pct(lift, language)} {interval}"
    odds = (
        f"{chance_text} de chances qu'elle soit meilleure"
        if fr
        else f"{chance_text} chance it is better"
    )
    action = {
        "industrialise": ("arrêter et industrialiser", "stop and industrialise"),
        "cut": ("arrêter et couper", "stop and cut"),
        "continue": (
            "pas encore concluant : continuer jusqu'à la date prévue",
            "not conclusive yet: keep it running to the planned end",
        ),
        "iterate": (
            "non concluant : retravailler l'idée ou tester un changement plus fort",
            "inconclusive: rework the idea or test a bolder change",
        ),
    }[code][0 if fr else 1]
    return f"{effect} ; {odds} ; {action}." if fr else f"{effect}; {odds}; {action}."


def _signed(value: float | None, language: str) -> str:
    if value is None:
        return "n/a"
    return ("+" if value >= 0 else "−") + _pct(value, language)
