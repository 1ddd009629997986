"""All or nothing, for real: a killed import leaves the before or the after state, and a
reader in another process only ever sees complete batches while imports commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pilotage.importers import Rejected, import_files
from pilotage.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
ROWS = 60_000


def spend_csv(path: Path, seed: int, rows: int = ROWS) -> Path:
    """A canonical spend file; ``seed`` makes its content (hence its batch id) unique."""
    start = dt.date(2020, 1, 1)
    lines = ["date,channel,campaign,cost,currency,impressions,clicks"]
    for i in range(rows):
        day = start + dt.timedelta(days=i % 2000)
        cost = (i * 7919 + seed) % 1000 / 10
        lines.append(f"{day},Paid search,C{seed}-{i % 97},{cost},EUR,{i % 500},{i % 50}")
    path.write_text("\n".join(lines) + "\n")
    return path


def child(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.importers.child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def batch_counts(warehouse: Warehouse) -> dict[str, int]:
    table = warehouse.read("acme", "spend")
    counts: dict[str, int] = {}
    for batch in table.column("import_id").to_pylist():
        counts[batch] = counts.get(batch, 0) + 1
    return counts


@pytest.mark.slow
def test_killing_the_importer_never_leaves_a_partial_version(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    first = spend_csv(tmp_path / "first.csv", seed=0)
    import_files([(first.name, first.read_bytes())], warehouse, "acme")
    # how long one import takes here, to aim the kills inside the write
    timing = spend_csv(tmp_path / "timing.csv", seed=99)
    started = time.monotonic()
    process = child("import", str(tmp_path / "wh"), str(timing))
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    duration = time.monotonic() - started
    expected_states = [batch_counts(warehouse)]
    rng = random.Random(7)
    outcomes = []
    for attempt in range(6):
        before = batch_counts(warehouse)
        file = spend_csv(tmp_path / f"kill{attempt}.csv", seed=attempt + 1)
        process = child("import", str(tmp_path / "wh"), str(file))
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        after = batch_counts(warehouse)
        new = {k: v for k, v in after.items() if k not in before}
        # exactly the before state, or the before state plus the whole new batch
        assert {k: after[k] for k in before} == before
        assert new == {} or list(new.values()) == [ROWS]
        outcomes.append("after" if new else "before")
        expected_states.append(after)
    # the kills landed both before and after the commit at least once over the runs
    assert "before" in outcomes
    # the table still takes imports after the crashes
    again = spend_csv(tmp_path / "again.csv", seed=1000)
    import_files([(again.name, again.read_bytes())], warehouse, "acme")
    assert (
        batch_counts(warehouse)["imp-" + hashlib.sha256(again.read_bytes()).hexdigest()[:20]]
        == ROWS
    )


@pytest.mark.slow
def test_a_reader_in_another_process_sees_only_whole_batches(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    first = spend_csv(tmp_path / "first.csv", seed=0, rows=5_000)
    import_files([(first.name, first.read_bytes())], warehouse, "acme")
    out = tmp_path / "seen.json"
    reader = child("read", str(tmp_path / "wh"), "8", str(out))
    ready = Path(str(out) + ".ready")
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    sizes = {}
    for n in range(1, 5):
        file = spend_csv(tmp_path / f"b{n}.csv", seed=n, rows=5_000 * n)
        import_files([(file.name, file.read_bytes())], warehouse, "acme")
        sizes.update({k: v for k, v in batch_counts(warehouse).items()})
    _, errors = reader.communicate(timeout=60)
    assert reader.returncode == 0, errors
    seen = json.loads(out.read_text())
    assert len(seen) > 5
    for state in seen:
        for batch, rows in state.items():
            assert rows == sizes[batch], f"a reader saw {rows} rows of batch {batch}"
    # and it saw the table grow while it read
    assert len({len(state) for state in seen}) > 1


def test_a_rejected_file_among_several_writes_nothing(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    good = spend_csv(tmp_path / "good.csv", seed=1, rows=10)
    bad = "date,channel,campaign,cost,currency\n2026-01-01,Email,x,oops,EUR\n"
    with pytest.raises(Rejected) as caught:
        import_files([(good.name, good.read_bytes()), ("bad.csv", bad.encode())], warehouse, "acme")
    assert [(p.file, p.line, p.column) for p in caught.value.problems] == [("bad.csv", 2, "cost")]
    assert not warehouse.exists("acme", "spend")


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    file = spend_csv(tmp_path / "f.csv", seed=1, rows=100)
    first = import_files([(file.name, file.read_bytes())], warehouse, "acme")
    version = warehouse.version("acme", "spend")
    second = import_files([("renamed.csv", file.read_bytes())], warehouse, "acme")
    assert first[0].written == {"spend": True}
    assert second[0].written == {"spend": False}
    assert warehouse.version("acme", "spend") == version
    assert warehouse.read("acme", "spend").num_rows == 100
