"""Budget allocation over response curves (no Django).

:func:`optimize` splits a total budget over a model's channels to maximise the predicted
outcome (or a cautious lower quantile of it) under per-channel minimums and maximums, a ramp
limit and an extrapolation guard, and :func:`budget_curve` runs it at several totals (what a
bigger or smaller budget would bring); the model only needs the small
:class:`~pilotage.allocation.response.ResponseModel` interface. Its warnings and errors come
in English and French (:class:`~pilotage.allocation.messages.Message`). See
``docs/allocation.md``.
"""

from pilotage.allocation.budget_curve import CurvePoint, budget_curve
from pilotage.allocation.constraints import AllocationError
from pilotage.allocation.messages import Message
from pilotage.allocation.optimize import optimize
from pilotage.allocation.response import ChannelCurves, ResponseModel
from pilotage.allocation.result import Allocation, Interval

__all__ = [
    "Allocation",
    "AllocationError",
    "ChannelCurves",
    "CurvePoint",
    "Interval",
    "Message",
    "ResponseModel",
    "budget_curve",
    "optimize",
]
