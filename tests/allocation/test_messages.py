"""The optimiser's warnings and errors in English and French."""

from __future__ import annotations

import json
import pickle
import string

import pytest
from babel.numbers import format_percent

from pilotage.allocation import AllocationError, Message, optimize
from pilotage.allocation.messages import MESSAGES, Amount, Share
from tests.allocation.hill import Hill
from tests.allocation.test_optimize import WEEKS, _safe_and_bold, three_channels

NNBSP = "\u202f"  # babel's fr grouping: a narrow no-break space

MINIMUM = Message("reason_minimum", {"amount": Amount(60_000), "channel": "search"})
RAMP = Message(
    "reason_ramp",
    {
        "channel": "tv",
        "change": Share(0.2),
        "now": Amount(10_000),
        "floor": Amount(8_000),
        "ceiling": Amount(12_000),
    },
)
CAP = Message(
    "reason_cap",
    {"channel": "tv", "factor": 1.5, "top": Amount(1_000), "cap": Amount(18_000), "weeks": 12},
)

# representative parameters for every code (a new code must get its example here)
EXAMPLES: dict[str, dict] = {
    "setting_minimum": {},
    "setting_maximum": {},
    "setting_current": {},
    "reason_minimum": {"amount": Amount(60_000), "channel": "search"},
    "reason_maximum": {"amount": Amount(3), "channel": "tv"},
    "reason_zero": {"channel": "tv"},
    "reason_none": {},
    "reason_ramp": dict(RAMP.params),
    "reason_cap": dict(CAP.params),
    "bound_minimum": {"amount": Amount(2_000)},
    "bound_maximum": {"amount": Amount(2_000)},
    "kept_minimum": {"amount": Amount(50_000)},
    "kept_ramp": {},
    "hint_guard_warn": {},
    "unknown_channels": {
        "name": Message("setting_current"),
        "unknown": "radio",
        "channels": "search, tv",
    },
    "negative_amount": {"name": Message("setting_maximum"), "channel": "tv", "value": -1.5},
    "minimum_above_maximum": {"channel": "tv", "low": Amount(5), "high": Amount(4)},
    "ramp_clash": {
        "channel": "tv",
        "ramp": RAMP,
        "bound": Message("bound_maximum", {"amount": Amount(2_000)}),
    },
    "no_whole_cent": {"channel": "tv", "floor": MINIMUM, "ceiling": Message("reason_none")},
    "floors_above_total": {
        "floors": Amount(110_000),
        "total": Amount(100_000),
        "reasons": [MINIMUM, RAMP],
    },
    "ceilings_below_total": {
        "total": Amount(100_000),
        "ceilings": Amount(6),
        "reasons": [CAP, Message("reason_none")],
        "hint": Message("hint_guard_warn"),
    },
    "no_channels": {},
    "bad_total": {"value": -5.0},
    "bad_weeks": {"value": 2.5},
    "bad_max_change": {"value": -0.2},
    "bad_objective": {"value": "median"},
    "bad_quantile": {"value": 1.5},
    "bad_guard": {"value": "nope"},
    "bad_guard_factor": {"value": 0},
    "bad_confidence": {"value": 1.5},
    "cap_below_floor": {
        "channel": "tv",
        "floor": MINIMUM,
        "cap": CAP,
        "kept": Message("kept_minimum", {"amount": Amount(60_000)}),
    },
    "not_concave": {"channels": "a, b"},
    "kept_current": {},
    "confidence_kept": {"confidence": Share(0.99)},
    "cautious_kept": {"share": Share(0.9)},
    "confidence_partial": {"confidence": Share(0.9), "step": Share(0.85)},
    "extrapolation": {
        "channel": "tv",
        "weekly": Amount(15_256.03),
        "top": Amount(1_000),
        "ratio": 15.256,
    },
    "extrapolation_no_data": {"channel": "tv", "weekly": Amount(15_256.03), "top": Amount(0)},
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_an_example():
    assert set(EXAMPLES) == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_renders_in_both_languages(code):
    english, french = MESSAGES[code]
    assert _fields(english) == _fields(french), "both languages take the same parameters"
    assert _fields(english) <= set(EXAMPLES[code])
    message = Message(code, EXAMPLES[code])
    en, fr = message.text("en"), message.text("fr")
    assert "{" not in en + fr and "}" not in en + fr
    assert str(message) == en
    assert fr and fr != en
    for nested in EXAMPLES[code].values():
        for part in nested if isinstance(nested, list) else [nested]:
            if isinstance(part, Message) and part.text("en"):
                assert part.text("en") in en and part.text("fr") in fr


def test_french_amounts_group_thousands_and_use_a_decimal_comma():
    message = Message("reason_minimum", {"amount": Amount(12_345.67), "channel": "tv"})
    assert message.text("en") == "minimum 12,345.67 for tv"
    assert message.text("fr") == f"minimum de 12{NNBSP}345,67 pour tv"
    big = Message("bound_maximum", {"amount": Amount(1_234_567.891)})
    assert big.text("fr") == f"son maximum de 1{NNBSP}234{NNBSP}567,89"
    # rounded once, so both languages show the same cents
    assert Message("kept_minimum", {"amount": Amount(2.675)}).text("en") == "minimum 2.67"
    assert "2,67" in Message("kept_minimum", {"amount": Amount(2.675)}).text("fr")


def test_percentages_and_plain_numbers_follow_the_language():
    message = Message("confidence_partial", {"confidence": Share(0.9), "step": Share(0.3)})
    assert "fewer than 90% of" in message.text("en") and "goes 30% of the way" in message.text("en")
    assert format_percent(0.9, locale="fr") in message.text("fr")
    assert f"ne fait donc que {format_percent(0.3, locale='fr')} du chemin" in message.text("fr")
    assert "15,3 fois" in Message("extrapolation", EXAMPLES["extrapolation"]).text("fr")
    assert "1,5 fois" in CAP.text("fr") and "1.5× the" in CAP.text("en")
    assert "vaut -0,2 ;" in Message("bad_max_change", {"value": -0.2}).text("fr")


def test_nested_reasons_render_in_the_same_language():
    message = Message("floors_above_total", EXAMPLES["floors_above_total"])
    assert message.text("en") == (
        "The floors add up to 110,000.00, more than the total budget of 100,000.00 "
        "(minimum 60,000.00 for search; ramp limit for tv: at most ±20% of its current "
        "10,000.00, so between 8,000.00 and 12,000.00). Lower a minimum, loosen the ramp limit "
        "or raise the total."
    )
    french = message.text("fr")
    assert french.startswith(f"Les planchers totalisent 110{NNBSP}000,00")
    assert (
        f"(minimum de 60{NNBSP}000,00 pour search ; limite de variation pour tv : au plus "
        f"±{format_percent(0.2, locale='fr')} de son montant actuel de 10{NNBSP}000,00"
    ) in french
    assert "ramp limit" not in french and "minimum 60,000.00" not in french


@pytest.mark.parametrize(
    ("language", "french"), [("fr", True), ("fr-ca", True), ("FR_fr", True), ("en", False)]
)
def test_the_language_is_read_from_its_prefix(language, french):
    text = Message("kept_current").text(language)
    assert text.startswith("Aucune répartition") is french
    assert Message("kept_current").text("de") == Message("kept_current").text()


def test_a_real_optimisation_warns_in_french_and_keeps_its_english_warnings():
    model = three_channels(tv=Hill(90000, 15000, 1.0, 0.7, top=1_000))
    result = optimize(model, 200_000, WEEKS)
    (note,) = result.notes
    assert note.code == "extrapolation"
    (english,) = result.warnings
    assert english.startswith("tv:") and "highest weekly spend in the data (1,000.00)" in english
    assert result.warnings_in("en") == result.warnings
    (french,) = result.warnings_in("fr")
    assert french.startswith("tv : ") and "par semaine, c'est " in french
    assert f"la plus forte dépense hebdomadaire des données (1{NNBSP}000,00)" in french
    data = json.loads(json.dumps(result.as_dict()))
    assert data["warnings"] == [english]
    assert data["notes"][0]["code"] == "extrapolation"
    assert data["notes"][0]["params"]["top"] == 1000.0


def test_the_confidence_rule_explains_itself_in_french():
    model = _safe_and_bold()
    total = sum(model.current_allocation(WEEKS).values())
    result = optimize(model, total, WEEKS, confidence=0.9)
    assert result.notes[-1].code == "confidence_partial"
    assert "of the way" in result.warnings[-1]
    assert result.warnings_in("fr")[-1].startswith(
        f"La meilleure répartition bat le mix actuel dans moins de "
        f"{format_percent(0.9, locale='fr')} des tirages du modèle"
    )


def test_a_booked_minimum_above_the_cap_is_explained_in_french():
    model = three_channels(tv=Hill(90000, 15000, 1.0, 0.7, top=1_000))
    result = optimize(model, 200_000, WEEKS, minimum={"tv": 50_000}, guard="cap")
    assert result.warnings[0] == (
        "tv: the minimum 50,000.00 for tv is above its extrapolation cap for tv: 1.5× the "
        "highest weekly spend in the data (1,000.00 a week), so at most 18,000.00 over 12 weeks; "
        "the minimum 50,000.00 is kept and the model extrapolates there."
    )
    assert result.warnings_in("fr")[0] == (
        f"tv : le plancher (minimum de 50{NNBSP}000,00 pour tv) dépasse son plafond "
        "d'extrapolation pour tv : 1,5 fois la plus forte dépense hebdomadaire des données "
        f"(1{NNBSP}000,00 par semaine), soit au plus 18{NNBSP}000,00 sur 12 semaines ; le "
        f"minimum de 50{NNBSP}000,00 est conservé et le modèle extrapole au-delà."
    )


def test_an_allocation_error_speaks_both_languages():
    with pytest.raises(AllocationError) as caught:
        optimize(three_channels(), 100_000, WEEKS, minimum={"tv": 5_000}, maximum={"tv": 4_000})
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.message.code == "minimum_above_maximum"
    assert (
        str(error)
        == error.text()
        == error.text("en")
        == (
            "tv: its minimum 5,000.00 is above its maximum 4,000.00. "
            "Set the minimum at most equal to the maximum (equal for a booked amount)."
        )
    )
    assert error.text("fr") == (
        f"tv : son minimum de 5{NNBSP}000,00 dépasse son maximum de 4{NNBSP}000,00. "
        "Fixez un minimum inférieur ou égal au maximum (égal pour un montant déjà engagé)."
    )
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.text("fr") == error.text("fr")


def test_a_ramp_limit_clash_nests_its_reason_in_french():
    with pytest.raises(AllocationError) as caught:
        optimize(
            three_channels(),
            100_000,
            WEEKS,
            current={"search": 1000, "social": 0, "tv": 0},
            max_change=0.1,
            minimum={"search": 2000},
        )
    assert str(caught.value).startswith("search: the ramp limit for search: at most ±10% of")
    assert caught.value.text("fr") == (
        f"search : son minimum de 2{NNBSP}000,00 est incompatible avec la limite de variation "
        f"pour search : au plus ±{format_percent(0.1, locale='fr')} de son montant actuel de "
        f"1{NNBSP}000,00, soit entre 900,00 et 1{NNBSP}100,00. Assouplissez la limite de "
        "variation ou modifiez cette borne."
    )


def test_a_settings_error_speaks_french():
    with pytest.raises(AllocationError) as caught:
        optimize(three_channels(), 100_000, WEEKS, minimum={"radio": 5})
    assert str(caught.value) == (
        "minimum names unknown channel(s) radio; the model's channels are search, social, tv."
    )
    assert caught.value.text("fr") == (
        "Canal ou canaux inconnus dans les minimums : radio ; les canaux du modèle sont "
        "search, social, tv."
    )
