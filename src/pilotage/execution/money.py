"""Money of the action plan: planned → committed → actual, per action and rolled up.

For one action:

- **planned** is its budget (the Combien of QQOQCCP);
- **committed** is what purchase orders still commit: each order counts for its amount minus
  what the invoices that settle it have already invoiced, never below zero, and nothing once
  it is closed. A commitment is *consumed* by the invoice that settles it, so the same euro is
  never counted both as committed and as actual;
- **actual** is the sum of invoices (settling an order or not);
- **available** = planned − committed − actual (negative when the action is over its budget).

So a 10,000 order invoiced 4,000 leaves committed 6,000, actual 4,000; a final invoice of
6,000 makes committed 0, actual 10,000. An invoice above its order (11,000 on 10,000) makes
committed 0 and actual 11,000.

Roll-ups add the action lines by pole, by channel, by (pole, channel) and for the workspace;
every level is computed from the action lines and ``Rollup.check`` proves each level adds up
to the total exactly. All arithmetic is ``Decimal`` in a context that raises on any rounding:
a float is refused (``TypeError``).

Warnings, at every level: **overspent** when actual > planned; otherwise **overcommitted**
when committed + actual > planned (the orders already placed will overspend the budget).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

__all__ = [
    "ActionMoney",
    "Commitment",
    "Invoice",
    "Line",
    "Rollup",
    "Overspend",
    "format_amount",
    "roll_up",
]

ZERO = Decimal("0.00")
LEVELS = ("action", "pole", "channel", "pole_channel", "total")


def _exact() -> decimal.Context:
    """A context that refuses to round: sums of money are exact or raise."""
    context = decimal.Context(prec=60)
    context.traps[decimal.Inexact] = True
    context.traps[decimal.Rounded] = True
    return context


def _money(value: object, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} is money: give a Decimal, never a float ({value!r})")
    if not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{what} is not a finite amount: {value!r}")
    return amount


@dataclass(frozen=True)
class Commitment:
    """A purchase order (or any firm commitment). ``closed``: no more invoices expected."""

    ref: str
    amount: Decimal
    closed: bool = False


@dataclass(frozen=True)
class Invoice:
    """An invoice; ``settles`` is the ``ref`` of the purchase order it settles, if any."""

    ref: str
    amount: Decimal
    settles: str | None = None


@dataclass(frozen=True)
class ActionMoney:
    """One action's budget and money entries (the input of ``roll_up``)."""

    action_id: int | str
    pole: str = ""
    channel: str = ""
    planned: Decimal = ZERO
    commitments: Sequence[Commitment] = ()
    invoices: Sequence[Invoice] = ()
    title: str = ""
    currency: str = ""


@dataclass(frozen=True)
class Overspend:
    """An overspend at one level: ``amount`` is how much over the budget."""

    code: str  # "overspent" or "overcommitted"
    level: str
    key: str
    planned: Decimal
    spent: Decimal  # actual, or committed + actual
    amount: Decimal

    def message(self, language: str = "en") -> str:
        where = _where(self.level, self.key, language)
        planned = format_amount(self.planned, language)
        spent = format_amount(self.spent, language)
        over = format_amount(self.amount, language)
        if language.startswith("fr"):
            what = "les factures" if self.code == "overspent" else "les engagements et les factures"
            return f"{where} : {what} ({spent}) dépassent le budget ({planned}) de {over}"
        what = "invoices" if self.code == "overspent" else "commitments and invoices"
        return f"{where}: {what} ({spent}) exceed the budget ({planned}) by {over}"


def _where(level: str, key: str, language: str) -> str:
    french = language.startswith("fr")
    if level == "total":
        return "Total de l'espace" if french else "Workspace total"
    if level == "pole_channel":
        return f"Pôle et canal {key}" if french else f"Pole and channel {key}"
    names = {
        "action": ("Action", "Action"),
        "pole": ("Pole", "Pôle"),
        "channel": ("Channel", "Canal"),
    }
    english, french_name = names[level]
    return f"{french_name if french else english} {key or '—'}"


def format_amount(amount: Decimal, language: str = "en") -> str:
    """``1,250.00`` in English, ``1 250,00`` in French (no currency: the caller adds it)."""
    text = f"{amount:,.2f}"
    if language.startswith("fr"):
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


@dataclass(frozen=True)
class Line:
    """Planned, committed, actual and available at one level (an action, a pole, …)."""

    level: str
    key: str
    planned: Decimal
    committed: Decimal
    actual: Decimal
    actions: tuple[int | str, ...] = ()
    warnings: tuple[Overspend, ...] = field(default=(), compare=False)

    @property
    def available(self) -> Decimal:
        with decimal.localcontext(_exact()):
            return self.planned - self.committed - self.actual

    @property
    def spent(self) -> Decimal:
        """Committed + actual: what the budget is already promised to."""
        with decimal.localcontext(_exact()):
            return self.committed + self.actual


def _warnings(
    level: str, key: str, planned: Decimal, committed: Decimal, actual: Decimal
) -> tuple[Overspend, ...]:
    if actual > planned:
        return (Overspend("overspent", level, key, planned, actual, actual - planned),)
    if committed + actual > planned:
        spent = committed + actual
        return (Overspend("overcommitted", level, key, planned, spent, spent - planned),)
    return ()


def _line(level: str, key: str, lines: Sequence[Line]) -> Line:
    planned = sum((x.planned for x in lines), ZERO)
    committed = sum((x.committed for x in lines), ZERO)
    actual = sum((x.actual for x in lines), ZERO)
    ids = tuple(i for x in lines for i in x.actions)
    return Line(
        level,
        key,
        planned,
        committed,
        actual,
        ids,
        _warnings(level, key, planned, committed, actual),
    )


def _action_line(item: ActionMoney) -> Line:
    planned = _money(item.planned, f"action {item.action_id}: planned")
    if planned < 0:
        raise ValueError(f"action {item.action_id}: the budget cannot be negative ({planned})")
    invoiced: dict[str, Decimal] = {}
    refs = {c.ref for c in item.commitments}
    actual = ZERO
    for invoice in item.invoices:
        amount = _money(invoice.amount, f"action {item.action_id}: invoice {invoice.ref}")
        if amount < 0:
            raise ValueError(f"action {item.action_id}: invoice {invoice.ref} is negative")
        if invoice.settles is not None:
            if invoice.settles not in refs:
                raise ValueError(
                    f"action {item.action_id}: invoice {invoice.ref} settles an unknown "
                    f"purchase order {invoice.settles!r}"
                )
            invoiced[invoice.settles] = invoiced.get(invoice.settles, ZERO) + amount
        actual += amount
    committed = ZERO
    for order in item.commitments:
        amount = _money(order.amount, f"action {item.action_id}: purchase order {order.ref}")
        if amount < 0:
            raise ValueError(f"action {item.action_id}: purchase order {order.ref} is negative")
        if not order.closed:
            committed += max(amount - invoiced.get(order.ref, ZERO), ZERO)
    key = str(item.action_id)
    return Line(
        "action",
        key,
        planned,
        committed,
        actual,
        (item.action_id,),
        _warnings("action", key, planned, committed, actual),
    )


@dataclass(frozen=True)
class Rollup:
    """Action lines and their sums by pole, channel, (pole, channel) and in total."""

    actions: list[Line]
    by_pole: dict[str, Line]
    by_channel: dict[str, Line]
    by_pole_channel: dict[tuple[str, str], Line]
    total: Line
    currency: str = ""

    @property
    def warnings(self) -> list[Overspend]:
        """Every warning, actions first, then poles, channels, pole × channel and the total."""
        levels: list[Iterable[Line]] = [
            self.actions,
            self.by_pole.values(),
            self.by_channel.values(),
            self.by_pole_channel.values(),
            [self.total],
        ]
        return [w for lines in levels for line in lines for w in line.warnings]

    def check(self) -> list[str]:
        """Where a level does not add up to the total exactly (empty: everything balances)."""
        problems = []
        groups: dict[str, Iterable[Line]] = {
            "action": self.actions,
            "pole": self.by_pole.values(),
            "channel": self.by_channel.values(),
            "pole_channel": self.by_pole_channel.values(),
        }
        for level, lines in groups.items():
            lines = list(lines)
            for name in ("planned", "committed", "actual", "available"):
                got: Decimal = sum((getattr(x, name) for x in lines), ZERO)
                want: Decimal = getattr(self.total, name)
                if got != want:
                    problems.append(f"{level} {name}: {got} != total {want}")
        return problems


K = TypeVar("K", str, tuple[str, str])


def _text(key: str | tuple[str, str]) -> str:
    """A line's key as shown: the pole or channel, or "pole / channel" ("—" when empty)."""
    return key if isinstance(key, str) else " / ".join(k or "—" for k in key)


def roll_up(items: Iterable[ActionMoney]) -> Rollup:
    """Per-action lines and their exact sums by pole, channel and for the workspace.

    >>> r = roll_up([ActionMoney(1, "brand_content", "Events", Decimal("100.00"),
    ...     [Commitment("PO1", Decimal("80.00"))], [Invoice("F1", Decimal("30.00"), "PO1")])])
    >>> r.total.committed, r.total.actual, r.total.available
    (Decimal('50.00'), Decimal('30.00'), Decimal('20.00'))
    """
    with decimal.localcontext(_exact()):
        items = list(items)
        currencies = sorted({i.currency for i in items if i.currency})
        if len(currencies) > 1:
            raise ValueError(f"one currency per roll-up, got {', '.join(currencies)}")
        pairs = [(item, _action_line(item)) for item in items]
        actions = [line for _, line in pairs]

        def group(level: str, key: Callable[[ActionMoney], K]) -> dict[K, Line]:
            found: dict[K, list[Line]] = {}
            for item, line in pairs:
                found.setdefault(key(item), []).append(line)
            return {k: _line(level, _text(k), found[k]) for k in sorted(found)}

        by_pole = group("pole", lambda i: i.pole)
        by_channel = group("channel", lambda i: i.channel)
        by_pole_channel = group("pole_channel", lambda i: (i.pole, i.channel))
        rollup = Rollup(
            actions,
            by_pole,
            by_channel,
            by_pole_channel,
            _line("total", "", actions),
            currencies[0] if currencies else "",
        )
        mismatches = rollup.check()
    if mismatches:  # cannot happen with exact arithmetic; a guard against future edits
        raise ArithmeticError("; ".join(mismatches))
    return rollup
