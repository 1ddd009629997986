"""Money roll-ups: exact Decimal sums from actions to poles, channels and the total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pilotage.execution.money import (
    ActionMoney,
    Commitment,
    Invoice,
    format_amount,
    roll_up,
)

M = Decimal
BRAND, ACQUISITION = "brand_content", "acquisition_performance"


def plan() -> list[ActionMoney]:
    return [
        ActionMoney(
            "A1",
            BRAND,
            "Events",
            M("10000.00"),
            [Commitment("PO1", M("6000.00")), Commitment("PO2", M("1500.00"), closed=True)],
            [Invoice("F1", M("2500.00"), settles="PO1"), Invoice("F2", M("800.10"))],
        ),
        ActionMoney(
            "A2",
            BRAND,
            "Print",
            M("2000.00"),
            [Commitment("PO3", M("1200.00"))],
            [Invoice("F3", M("1200.00"), settles="PO3"), Invoice("F4", M("900.55"))],
        ),
        ActionMoney(
            "A3",
            ACQUISITION,
            "Events",
            M("5000.00"),
            [Commitment("PO4", M("4500.00"))],
            [Invoice("F5", M("700.00"))],
        ),
        ActionMoney("A4", ACQUISITION, "LinkedIn Ads", M("3000.00")),
    ]


def amounts(line) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return (line.planned, line.committed, line.actual, line.available)


def test_it_consumes_a_commitment_by_the_invoices_that_settle_it():
    rollup = roll_up(plan())
    a1, a2, a3, a4 = rollup.actions
    # PO1 6,000 − F1 2,500 = 3,500 still committed; PO2 is closed; F2 has no order
    assert amounts(a1) == (M("10000.00"), M("3500.00"), M("3300.10"), M("3199.90"))
    # PO3 fully invoiced by F3: nothing committed any more
    assert amounts(a2) == (M("2000.00"), M("0.00"), M("2100.55"), M("-100.55"))
    assert amounts(a3) == (M("5000.00"), M("4500.00"), M("700.00"), M("-200.00"))
    assert amounts(a4) == (M("3000.00"), M("0.00"), M("0.00"), M("3000.00"))


def test_it_rolls_up_to_poles_channels_and_total_exactly():
    rollup = roll_up(plan())
    assert amounts(rollup.by_pole[BRAND]) == (
        M("12000.00"),
        M("3500.00"),
        M("5400.65"),
        M("3099.35"),
    )
    assert amounts(rollup.by_pole[ACQUISITION]) == (
        M("8000.00"),
        M("4500.00"),
        M("700.00"),
        M("2800.00"),
    )
    assert amounts(rollup.by_channel["Events"]) == (
        M("15000.00"),
        M("8000.00"),
        M("4000.10"),
        M("2999.90"),
    )
    assert amounts(rollup.by_channel["Print"])[2] == M("2100.55")
    assert amounts(rollup.total) == (M("20000.00"), M("8000.00"), M("6100.65"), M("5899.35"))
    assert rollup.total.actions == ("A1", "A2", "A3", "A4")
    assert list(rollup.by_pole_channel) == [
        (ACQUISITION, "Events"),
        (ACQUISITION, "LinkedIn Ads"),
        (BRAND, "Events"),
        (BRAND, "Print"),
    ]
    assert rollup.check() == []
    for level in (rollup.actions, rollup.by_pole.values(), rollup.by_channel.values()):
        for name in ("planned", "committed", "actual", "available"):
            total = sum((getattr(line, name) for line in level), M(0))
            assert total == getattr(rollup.total, name)


def test_it_warns_of_overspend_at_every_level():
    rollup = roll_up(plan())
    found = [(w.code, w.level, w.key, w.amount) for w in rollup.warnings]
    assert found == [
        ("overspent", "action", "A2", M("100.55")),
        ("overcommitted", "action", "A3", M("200.00")),
        ("overspent", "channel", "Print", M("100.55")),
        ("overcommitted", "pole_channel", f"{ACQUISITION} / Events", M("200.00")),
        ("overspent", "pole_channel", f"{BRAND} / Print", M("100.55")),
    ]
    assert rollup.total.warnings == ()  # the plan as a whole holds
    a2 = rollup.actions[1].warnings[0]
    assert a2.message("en") == (
        "Action A2: invoices (2,100.55) exceed the budget (2,000.00) by 100.55"
    )
    assert a2.message("fr") == (
        "Action A2 : les factures (2\u202f100,55) dépassent le budget (2\u202f000,00) de 100,55"
    )
    a3 = rollup.actions[2].warnings[0]
    assert a3.message("en") == (
        "Action A3: commitments and invoices (5,200.00) exceed the budget (5,000.00) by 200.00"
    )


def test_it_warns_at_the_total_when_the_whole_plan_is_over():
    rollup = roll_up(
        [ActionMoney(1, BRAND, "Events", M("100.00"), invoices=[Invoice("F", M("100.01"))])]
    )
    assert [(w.code, w.level) for w in rollup.warnings][-1] == ("overspent", "total")
    assert rollup.warnings[-1].message() == (
        "Workspace total: invoices (100.01) exceed the budget (100.00) by 0.01"
    )


def test_it_counts_an_invoice_above_its_order_once():
    rollup = roll_up(
        [
            ActionMoney(
                1,
                planned=M("1000.00"),
                commitments=[Commitment("PO", M("1000.00"))],
                invoices=[Invoice("F", M("1100.00"), settles="PO")],
            )
        ]
    )
    assert amounts(rollup.total) == (M("1000.00"), M("0.00"), M("1100.00"), M("-100.00"))


def test_it_is_exact_where_floats_are_not():
    items = [
        ActionMoney(i, planned=M("0.10"), invoices=[Invoice("F", M("0.10"))]) for i in range(3)
    ]
    rollup = roll_up(items)
    assert rollup.total.planned == M("0.30") and rollup.total.available == M("0.00")
    assert rollup.warnings == []


def test_it_refuses_floats_unknown_orders_and_mixed_currencies():
    with pytest.raises(TypeError, match="never a float"):
        roll_up([ActionMoney(1, planned=100.0)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown purchase order"):
        roll_up([ActionMoney(1, invoices=[Invoice("F", M(1), settles="PO9")])])
    with pytest.raises(ValueError, match="one currency"):
        roll_up([ActionMoney(1, currency="EUR"), ActionMoney(2, currency="USD")])
    with pytest.raises(ValueError, match="negative"):
        roll_up([ActionMoney(1, planned=M("-1"))])


def test_it_formats_amounts_per_language():
    assert format_amount(M("1234567.5")) == "1,234,567.50"
    assert format_amount(M("1234567.5"), "fr") == "1\u202f234\u202f567,50"
