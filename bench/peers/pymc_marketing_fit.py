"""Fit PyMC-Marketing's MMM on a weekly wide CSV and print ROI per channel as JSON.

Runs in its own virtual environment (``make bench-pymc`` builds ``.venv-pymc``): PyMC-Marketing
is a benchmark-only peer, never imported by Pilotage. Called by ``bench/mmm_peer.py``:

    .venv-pymc/bin/python bench/peers/pymc_marketing_fit.py weekly.csv --channels a,b \
        [--controls c,d] [--date-column date] [--l-max 12] [--draws 1000] [--tune 1000] \
        [--chains 2] [--seed 1]

The model is the one of PyMC-Marketing's own MMM example: geometric adstock (``l_max`` 12
weeks by default, as Pilotage's), logistic saturation, yearly Fourier seasonality of order 2, a
linear trend column as a control (with the ``--controls`` columns, if any), its default priors
except the channel coefficients', whose HalfNormal scale is the channel's share of spend × the
number of channels (the example's advice); NUTS through nutpie, 2 chains. ROI per channel = the
posterior of the sum of the channel's contribution over the fit weeks (original scale) / its
spend.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

warnings.filterwarnings("ignore")

import arviz as az  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from pymc_extras.prior import Prior  # noqa: E402
from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--channels", required=True)
    parser.add_argument("--controls", default="")
    parser.add_argument("--date-column", default="date")
    parser.add_argument("--l-max", type=int, default=12)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--tune", type=int, default=1000)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sampler", default="nutpie")
    args = parser.parse_args()
    channels = args.channels.split(",")
    controls = [c for c in args.controls.split(",") if c]
    data = pd.read_csv(args.csv, parse_dates=[args.date_column])
    data = data.rename(columns={args.date_column: "date"})
    data["t"] = np.arange(len(data), dtype=float)
    spend = data[channels].sum()
    share = (spend / spend.sum()).to_numpy()
    config = {
        "saturation_beta": Prior("HalfNormal", sigma=share * len(channels), dims="channel"),
    }
    started = time.perf_counter()
    mmm = MMM(
        model_config=config,
        date_column="date",
        channel_columns=channels,
        control_columns=[*controls, "t"],
        adstock=GeometricAdstock(l_max=args.l_max),
        saturation=LogisticSaturation(),
        yearly_seasonality=2,
    )
    mmm.fit(
        data[["date", *channels, *controls, "t"]],
        data["y"],
        chains=args.chains,
        draws=args.draws,
        tune=args.tune,
        nuts_sampler=args.sampler,
        random_seed=args.seed,
        progressbar=False,
    )
    fit_s = time.perf_counter() - started
    contribution = mmm.compute_channel_contribution_original_scale()
    total = contribution.sum("date")
    idata = mmm.idata
    summary = az.summary(idata, var_names=["saturation_beta", "adstock_alpha", "saturation_lam"])
    divergences = (
        int(idata.sample_stats["diverging"].sum()) if "diverging" in idata.sample_stats else None
    )
    out = {
        "fit_s": fit_s,
        "channels": {},
        "diagnostics": {
            "r_hat_max": float(summary["r_hat"].max()),
            "ess_bulk_min": float(summary["ess_bulk"].min()),
            "divergences": divergences,
            "draws": args.draws,
            "tune": args.tune,
            "chains": args.chains,
            "sampler": args.sampler,
        },
    }
    for name in channels:
        roi = total.sel(channel=name).values.ravel() / float(spend[name])
        out["channels"][name] = {
            "roi": float(np.mean(roi)),
            "roi_median": float(np.median(roi)),
            "roi_low": float(np.quantile(roi, 0.05)),
            "roi_high": float(np.quantile(roi, 0.95)),
            "contribution_share": float(np.mean(total.sel(channel=name).values))
            / float(data["y"].sum()),
            "adstock_alpha": float(idata.posterior["adstock_alpha"].sel(channel=name).mean()),
            "saturation_lam": float(idata.posterior["saturation_lam"].sel(channel=name).mean()),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
