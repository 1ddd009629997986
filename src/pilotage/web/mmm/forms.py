"""The scenario planner's inputs: horizon, total, per-channel bounds and edited amounts."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_WEEKS = 52
DEFAULT_WEEKS = 13
# The planner opens cautious: the recommendation maximises the gain over the current split
# reached in 90% of the model's draws, so it moves money only where the draws agree. On 32
# simulated markets, judged by the true response curves, it gained +3.8% on average and lost on
# 1 market (by 0.8%); the bare expected-outcome optimum lost on 15, the former opening (a 30%
# ramp limit and a 90% confidence rule) gained +1.5% and lost on 2 (docs/allocation.md).
DEFAULT_CAUTIOUS = True


def _amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal(0), max_digits=14, decimal_places=2
    )


class ScenarioForm(forms.Form):
    """Per channel ``i`` (in the model's order): ``min_i``, ``max_i`` and ``amount_i`` (the
    edited scenario; blank means the recommendation), all totals over the horizon."""

    weeks = forms.IntegerField(
        label=_("Horizon (weeks)"), min_value=1, max_value=MAX_WEEKS, initial=DEFAULT_WEEKS
    )
    total = _amount(_("Total budget"))
    cautious = forms.BooleanField(
        label=_(
            "Cautious: maximise the gain over the current split reached in 90% of the model's draws"
        ),
        required=False,
        initial=DEFAULT_CAUTIOUS,
    )
    max_change = forms.DecimalField(
        label=_("Largest change per channel vs current (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        decimal_places=1,
    )

    confidence = forms.DecimalField(
        label=_(
            "Only recommend what beats the current split in this share of the model's draws (%)"
        ),
        required=False,
        min_value=Decimal(50),
        max_value=Decimal("99.5"),
        decimal_places=1,
    )

    def __init__(self, *args, channels: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        for i, channel in enumerate(channels):
            self.fields[f"min_{i}"] = _amount(channel)
            self.fields[f"max_{i}"] = _amount(channel)
            self.fields[f"amount_{i}"] = _amount(channel)

    def per_channel(self, prefix: str) -> dict[str, float]:
        """The given (non-blank) ``prefix`` amounts by channel name."""
        data = self.cleaned_data
        return {
            c: float(data[f"{prefix}_{i}"])
            for i, c in enumerate(self.channels)
            if data.get(f"{prefix}_{i}") is not None
        }


class LiftTestForm(forms.Form):
    """A lift test's measured effect, in the model's outcome (revenue, or leads)."""

    channel = forms.ChoiceField(label=_("Channel"))
    weeks = forms.IntegerField(label=_("Weeks the test lasted"), min_value=1, max_value=52)
    extra_spend = forms.DecimalField(
        label=_("Extra spend over those weeks"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    extra_outcome = forms.DecimalField(
        label=_("Extra outcome it brought"), max_digits=16, decimal_places=2
    )
    standard_error = forms.DecimalField(
        label=_("Standard error of that extra outcome"),
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
    )
    source = forms.CharField(label=_("Where it comes from"), max_length=300, required=False)

    def __init__(self, *args, channels: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, c) for c in channels]


class RoiPriorForm(forms.Form):
    """A channel's expected return before the data speak: the central 90% interval of its ROI,
    in the units the model page shows (revenue per unit of currency, or leads per 1,000)."""

    channel = forms.ChoiceField(label=_("Channel"))
    low = forms.DecimalField(
        label=_("Low end (9 chances in 10 above it)"),
        min_value=Decimal("0.0001"),
        max_digits=14,
        decimal_places=4,
    )
    high = forms.DecimalField(
        label=_("High end (9 chances in 10 below it)"),
        min_value=Decimal("0.0001"),
        max_digits=14,
        decimal_places=4,
    )
    source = forms.CharField(label=_("What it rests on"), max_length=300, required=False)

    def __init__(self, *args, channels: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, c) for c in channels]

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and high <= low:
            self.add_error("high", _("The high end must be above the low end."))
        return data
