"""Load a simulated company into a warehouse, idempotently."""

from __future__ import annotations

import json

from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.market import import_id, simulate
from pilotage.warehouse.store import Warehouse


def load_company(warehouse: Warehouse, config: CompanyConfig, seed: int = 42) -> dict[str, bool]:
    """Write the company's canonical tables and its ground truth into ``warehouse``.

    The tables go to the workspace key ``config.slug`` as one batch per table; loading the same
    company and seed again writes nothing. Returns, per table written, whether a new version
    was committed (an empty dict when the batch was already complete).
    The ground truth and budget plan land in ``<warehouse>/<slug>/_demo/``.
    """
    batch = import_id(config, seed)
    truth_file = warehouse.root / config.slug / "_demo" / "ground_truth.json"
    # The ground truth is written last: when it names this batch, every table is complete.
    if (
        truth_file.exists()
        and json.loads(truth_file.read_text()).get("import_id") == batch
        and warehouse.batches(config.slug, "spend") == [batch]
    ):
        return {}
    market = simulate(config, seed)
    # An earlier simulator version's demo batch is replaced in the same commit.
    older = f"demo-{config.slug}-"
    written = {
        name: warehouse.write_batch(
            config.slug,
            name,
            table,
            batch,
            replaces=tuple(b for b in warehouse.batches(config.slug, name) if b.startswith(older)),
        )
        for name, table in market.tables.items()
    }
    market.write_ground_truth(warehouse.root / config.slug / "_demo")
    return written
