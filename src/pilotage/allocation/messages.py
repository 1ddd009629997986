"""The optimiser's warnings and errors, in English or French, without Django.

A :class:`Message` is a code and its parameters; :meth:`Message.text` renders it in a language
from the ``MESSAGES`` table (code → (English, French), filled with ``str.format``). Parameters are
rendered per language before they are filled in:

- :class:`Amount` — money: ``12,345.67`` in English, ``12 345,67`` in French (babel's ``fr``
  locale: a narrow no-break space between thousands, a decimal comma);
- :class:`Share` — a fraction shown as a whole percentage: ``30%`` / ``30 %`` (the ``fr``
  locale's spacing);
- any other float — the template's format spec (``{ratio:.1f}``, ``{factor:g}``, or none), with a
  decimal comma and French grouping in French;
- a :class:`Message`, or a list of them (joined by ``"; "``, ``" ; "`` in French) — rendered in
  the same language: the reasons for a floor or a ceiling are nested into the messages that
  cite them;
- anything else (channel names, ints, strings) as is.

The English texts are the optimiser's historical ones: ``Allocation.warnings`` and
``str(AllocationError)`` (the command line's JSON ``warnings``) stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal, format_percent

# code → (English, French). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- the names of the per-channel settings, nested into the messages about them
    "setting_minimum": ("minimum", "les minimums"),
    "setting_maximum": ("maximum", "les maximums"),
    "setting_current": ("current", "le mix actuel"),
    # -- why a channel has the floor or the ceiling it has (nested into other messages)
    "reason_minimum": ("minimum {amount} for {channel}", "minimum de {amount} pour {channel}"),
    "reason_maximum": ("maximum {amount} for {channel}", "maximum de {amount} pour {channel}"),
    "reason_zero": ("{channel} cannot go below 0", "{channel} ne peut pas descendre sous 0"),
    "reason_none": ("no maximum", "pas de maximum"),
    "reason_ramp": (
        "ramp limit for {channel}: at most ±{change} of its current {now}, "
        "so between {floor} and {ceiling}",
        "limite de variation pour {channel} : au plus ±{change} de son montant actuel de {now}, "
        "soit entre {floor} et {ceiling}",
    ),
    "reason_cap": (
        "extrapolation cap for {channel}: {factor:g}× the highest weekly spend in the data "
        "({top} a week), so at most {cap} over {weeks} weeks",
        "plafond d'extrapolation pour {channel} : {factor:g} fois la plus forte dépense "
        "hebdomadaire des données ({top} par semaine), soit au plus {cap} sur {weeks} semaines",
    ),
    # the bound a ramp limit clashes with, and the floor kept above the extrapolation cap
    "bound_minimum": ("minimum {amount}", "son minimum de {amount}"),
    "bound_maximum": ("maximum {amount}", "son maximum de {amount}"),
    "kept_minimum": ("minimum {amount}", "le minimum de {amount} est conservé"),
    "kept_ramp": ("ramp limit", "la limite de variation est conservée"),
    "hint_guard_warn": (", use guard='warn'", ", passez à guard='warn'"),
    # -- AllocationError: the constraints contradict each other or the settings are wrong
    "unknown_channels": (
        "{name} names unknown channel(s) {unknown}; the model's channels are {channels}.",
        "Canal ou canaux inconnus dans {name} : {unknown} ; les canaux du modèle sont {channels}.",
    ),
    "negative_amount": (
        "{name} for {channel} is {value}; it must be a non-negative amount.",
        "Dans {name}, {channel} vaut {value} ; il faut un montant positif ou nul.",
    ),
    "minimum_above_maximum": (
        "{channel}: its minimum {low} is above its maximum {high}. "
        "Set the minimum at most equal to the maximum (equal for a booked amount).",
        "{channel} : son minimum de {low} dépasse son maximum de {high}. "
        "Fixez un minimum inférieur ou égal au maximum (égal pour un montant déjà engagé).",
    ),
    "ramp_clash": (
        "{channel}: the {ramp}, which its {bound} rules out. "
        "Loosen the ramp limit or change that bound.",
        "{channel} : {bound} est incompatible avec la {ramp}. "
        "Assouplissez la limite de variation ou modifiez cette borne.",
    ),
    "no_whole_cent": (
        "{channel}: no amount in whole cents lies between its floor ({floor}) and its "
        "ceiling ({ceiling}).",
        "{channel} : aucun montant en centimes entiers ne tient entre son plancher ({floor}) et "
        "son plafond ({ceiling}).",
    ),
    "floors_above_total": (
        "The floors add up to {floors}, more than the total budget of {total} ({reasons}). "
        "Lower a minimum, loosen the ramp limit or raise the total.",
        "Les planchers totalisent {floors}, plus que le budget total de {total} ({reasons}). "
        "Baissez un minimum, assouplissez la limite de variation ou augmentez le budget total.",
    ),
    "ceilings_below_total": (
        "The channels cannot absorb the total budget of {total}: their ceilings add up to "
        "{ceilings} ({reasons}). Raise a maximum, loosen the ramp limit{hint} or lower the total.",
        "Les canaux ne peuvent pas absorber le budget total de {total} : leurs plafonds "
        "totalisent {ceilings} ({reasons}). Relevez un maximum, assouplissez la limite de "
        "variation{hint} ou baissez le budget total.",
    ),
    "no_channels": (
        "The model has no channels to allocate the budget to.",
        "Le modèle n'a aucun canal sur lequel répartir le budget.",
    ),
    "bad_total": (
        "The total budget is {value}; it must be a non-negative amount.",
        "Le budget total vaut {value} ; il doit être un montant positif ou nul.",
    ),
    "bad_weeks": (
        "The horizon is {value} weeks; it must be a whole number ≥ 1.",
        "L'horizon est de {value} semaines ; il doit être un nombre entier ≥ 1.",
    ),
    "bad_max_change": (
        "max_change is {value}; it must be a fraction ≥ 0 (0.2 for ±20%).",
        "La limite de variation max_change vaut {value} ; ce doit être une fraction ≥ 0 "
        "(0,2 pour ±20\u00a0%).",
    ),
    "bad_objective": (
        "objective is {value!r}; use 'mean', 'uplift_quantile' or 'quantile'.",
        "L'objectif objective vaut {value!r} ; utilisez 'mean', 'uplift_quantile' ou 'quantile'.",
    ),
    "bad_quantile": (
        "quantile is {value}; it must lie between 0 and 1 (e.g. 0.1).",
        "Le quantile vaut {value} ; il doit être compris entre 0 et 1 (par ex. 0,1).",
    ),
    "bad_guard": (
        "guard is {value!r}; use 'warn' or 'cap'.",
        "Le garde-fou guard vaut {value!r} ; utilisez 'warn' ou 'cap'.",
    ),
    "bad_guard_factor": (
        "guard_factor is {value}; it must be positive (e.g. 1.5).",
        "Le facteur guard_factor vaut {value} ; il doit être strictement positif (par ex. 1,5).",
    ),
    "bad_confidence": (
        "confidence is {value}; it must lie between 0 and 1 (e.g. 0.9 for 90%).",
        "Le seuil de confiance vaut {value} ; il doit être compris entre 0 et 1 "
        "(par ex. 0,9 pour 90\u00a0%).",
    ),
    # -- warnings (Allocation.notes / warnings)
    "cap_below_floor": (
        "{channel}: the {floor} is above its {cap}; the {kept} is kept and the model "
        "extrapolates there.",
        "{channel} : le plancher ({floor}) dépasse son {cap} ; {kept} et le modèle extrapole "
        "au-delà.",
    ),
    "not_concave": (
        "The response curve of {channels} is not concave (S-shaped) on the allowed range: equal "
        "marginal returns may not be the best split, so a grid search over all splits and a "
        "local search were run too.",
        "La courbe de réponse de {channels} n'est pas concave (en S) sur la plage autorisée : "
        "égaliser les rendements marginaux peut ne pas donner la meilleure répartition, une "
        "recherche sur grille de toutes les répartitions et une recherche locale ont donc aussi "
        "été menées.",
    ),
    "kept_current": (
        "No allocation predicted better than the current mix was found under these "
        "constraints, so the current mix (rescaled to the total) is kept.",
        "Aucune répartition prédite meilleure que le mix actuel n'a été trouvée sous ces "
        "contraintes : le mix actuel (ramené au budget total) est donc conservé.",
    ),
    "cautious_kept": (
        "No change to the current mix gains in {share} of the model's draws, so the current mix "
        "(rescaled to the total) is kept: the model is not sure enough of any move (run a lift "
        "test on the channels it knows least, or drop the cautious setting to see the expected "
        "best split).",
        "Aucune modification du mix actuel ne le bat dans {share} des tirages du modèle : le mix "
        "actuel (ramené au budget total) est donc conservé, le modèle n'étant assez sûr d'aucun "
        "changement (lancez un test d'incrémentalité sur les canaux qu'il connaît le moins, ou "
        "décochez l'option prudente pour voir la meilleure répartition attendue).",
    ),
    "confidence_kept": (
        "No change to the current mix beats it in {confidence} of the model's draws, so the "
        "current mix (rescaled to the total) is kept: the model is not sure enough of any move "
        "(run a test, or lower the confidence).",
        "Aucune modification du mix actuel ne le bat dans {confidence} des tirages du modèle : "
        "le mix actuel (ramené au budget total) est donc conservé, le modèle n'étant assez sûr "
        "d'aucun changement (lancez un test, ou baissez le seuil de confiance).",
    ),
    "confidence_partial": (
        "The best split beats the current one in fewer than {confidence} of the model's draws, "
        "so the recommendation goes {step} of the way to it, where it does.",
        "La meilleure répartition bat le mix actuel dans moins de {confidence} des tirages du "
        "modèle : la recommandation ne fait donc que {step} du chemin vers elle, jusqu'au point "
        "où elle le bat assez souvent.",
    ),
    "extrapolation": (
        "{channel}: {weekly} a week is {ratio:.1f}× the highest weekly spend in the data "
        "({top}); the model extrapolates there, so treat its prediction with caution "
        "(guard='cap' forbids it).",
        "{channel} : {weekly} par semaine, c'est {ratio:.1f} fois la plus forte dépense "
        "hebdomadaire des données ({top}) ; le modèle extrapole au-delà, prenez sa prédiction "
        "avec prudence (guard='cap' l'interdit).",
    ),
    "extrapolation_no_data": (
        "{channel}: {weekly} a week is above the highest weekly spend in the data ({top}); the "
        "model extrapolates there, so treat its prediction with caution (guard='cap' forbids "
        "it).",
        "{channel} : {weekly} par semaine dépasse la plus forte dépense hebdomadaire des "
        "données ({top}) ; le modèle extrapole au-delà, prenez sa prédiction avec prudence "
        "(guard='cap' l'interdit).",
    ),
}


class Amount(float):
    """A money parameter: ``12,345.67`` (en), ``12 345,67`` (fr)."""


class Share(float):
    """A fraction shown as a whole percentage: ``0.3`` → ``30%`` (en), ``30 %`` (fr)."""


def is_french(language: str) -> bool:
    return language.lower().startswith("fr")


def amount_text(value: float, language: str = "en") -> str:
    """Two decimals, grouped by thousands; French digits from babel's ``fr`` locale.

    Rounded once, the English way, so both languages show the same cents."""
    english = f"{value:,.2f}"
    if not is_french(language):
        return english
    return format_decimal(Decimal(f"{value:.2f}"), format="#,##0.00", locale="fr")


def share_text(value: float, language: str = "en") -> str:
    """A whole percentage: ``30%`` (en), ``30 %`` with the ``fr`` locale's spacing."""
    english = f"{value:.0%}"
    if not is_french(language):
        return english
    return format_percent(Decimal(english[:-1]) / 100, locale="fr")


class _FrenchNumber:
    """A float that formats with the template's spec, then with a decimal comma and French
    grouping (``{ratio:.1f}`` → ``2,3``)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        text = text.replace(",", "\u202f").replace(".", ",")
        return text[:-1] + "\u00a0%" if text.endswith("%") else text

    def __str__(self) -> str:
        return format(self, "")

    def __repr__(self) -> str:
        return repr(self.value)


def _render(value: Any, language: str) -> Any:
    if isinstance(value, Message):
        return value.text(language)
    if isinstance(value, list | tuple) and any(isinstance(v, Message) for v in value):
        return (" ; " if is_french(language) else "; ").join(
            str(_render(v, language)) for v in value
        )
    if isinstance(value, Amount):
        return amount_text(value, language)
    if isinstance(value, Share):
        return share_text(value, language)
    if isinstance(value, float) and is_french(language):
        return _FrenchNumber(value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return float(value)
    return value


@dataclass(frozen=True)
class Message:
    """A warning or an error of the optimiser: a code of ``MESSAGES`` and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        """The message in ``language`` ("fr…" → French, anything else → English)."""
        english, french = MESSAGES[self.code]
        template = french if is_french(language) else english
        return template.format(**{k: _render(v, language) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text("en")

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types: ``{"code": …, "params": {…}}`` (nested messages the same way)."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}
