import numpy as np
import pytest

from pilotage.models.mmm.components import ADSTOCKS, SATURATIONS


@pytest.mark.parametrize("name", sorted(ADSTOCKS))
def test_it_normalises_every_adstock_and_keeps_total_spend(name):
    form = ADSTOCKS[name]
    for z in (-2.0, 0.0, 2.0):
        values = form.transform(np.full(len(form.params), z))
        weights = form.weights(values, 10)
        assert weights.sum() == pytest.approx(1.0)
        assert np.all(weights >= 0)
    spend = np.r_[np.zeros(5), 100.0, np.zeros(30)]
    assert form.apply(spend, values, 10).sum() == pytest.approx(100.0)


@pytest.mark.parametrize("name", sorted(ADSTOCKS))
def test_it_reaches_steady_state_at_constant_spend(name):
    form = ADSTOCKS[name]
    values = form.transform(np.zeros(len(form.params)))
    carried = form.apply(np.full(40, 250.0), values, 12)
    assert carried[12:] == pytest.approx(np.full(28, 250.0))


def test_it_gives_the_textbook_geometric_half_life():
    form = ADSTOCKS["geometric"]
    assert form.half_life({"decay": 0.5}, 12) == pytest.approx(1.0)


@pytest.mark.parametrize("name", sorted(SATURATIONS))
def test_it_saturates_from_zero_towards_one_with_a_matching_derivative(name):
    form = SATURATIONS[name]
    values = form.transform(np.full(len(form.params), 0.3))
    x = np.linspace(0.01, 20, 200)
    curve = form(x, values)
    assert form(np.array([0.0]), values)[0] == 0
    assert np.all(np.diff(curve) > 0) and curve[-1] < 1
    h = 1e-6
    numeric = (form(x + h, values) - form(x - h, values)) / (2 * h)
    assert form.derivative(x, values) == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    level = form.level(0.8, values)
    assert form(np.array([level]), values)[0] == pytest.approx(0.8)


def test_it_gives_half_the_maximum_at_the_hill_half_saturation():
    hill = SATURATIONS["hill"]
    for k, s in ((0.5, 1.0), (2.0, 2.5)):
        assert hill(np.array([k]), {"half_saturation": k, "shape": s})[0] == pytest.approx(0.5)


def test_it_gives_the_hill_curve_of_shape_one_for_michaelis_menten():
    # the default curve is the Hill curve with its shape fixed at 1, and never convex
    mm, hill = SATURATIONS["michaelis_menten"], SATURATIONS["hill"]
    x = np.linspace(0.0, 30.0, 301)
    for k in (0.1, 1.0, 7.0):
        assert mm(x, {"half_saturation": k}) == pytest.approx(
            hill(x, {"half_saturation": k, "shape": 1.0}), abs=1e-12
        )
        slopes = mm.derivative(x, {"half_saturation": k})
        assert np.all(np.diff(slopes) < 0)
        assert slopes[0] == pytest.approx(1 / k)


def test_it_refuses_an_unknown_form():
    from pilotage.models.mmm.components import adstock_form

    with pytest.raises(ValueError, match="geometric, delayed"):
        adstock_form("weibull")
