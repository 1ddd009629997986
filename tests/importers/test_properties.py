"""Property-based tests: whatever the bytes, an import is either clean or cleanly refused.

Random bytes, truncated and corrupted real exports, swapped delimiters, re-encoded files and
absurd numbers must never raise anything but ``Rejected`` (whose problems render in both
languages), and an accepted file always yields rows that fit the canonical schema.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.importers import Rejected, prepare
from pilotage.warehouse import conform
from tests.importers.conftest import FIXTURES

SAMPLES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file() and not p.name.endswith(".py"))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(data: bytes, name: str = "input.csv") -> str:
    """Run an import; any exception other than ``Rejected`` fails the test."""
    try:
        prepared = prepare(data, name)
    except Rejected as exc:
        assert exc.problems, "a rejection always says why"
        for problem in exc.problems:
            assert problem.file == name
            assert problem.render("en") and problem.render("fr")
        return "rejected"
    for table, rows in prepared.tables.items():
        conform(table, rows)  # raises if the rows do not fit the table
    return "imported"


@PROPERTY
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    outcome(data)


@PROPERTY
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_exports(name, data):
    raw = (FIXTURES / name).read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    outcome(raw[:cut], name)


@PROPERTY
@given(st.sampled_from(SAMPLES), st.data())
def test_corrupted_exports(name, data):
    raw = bytearray((FIXTURES / name).read_bytes())
    for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
        if not raw:
            break
        at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[at] = data.draw(st.integers(min_value=0, max_value=255))
    outcome(bytes(raw), name)


@PROPERTY
@given(
    st.sampled_from(SAMPLES),
    st.sampled_from([b",", b";", b"\t", b"|"]),
    st.sampled_from([b",", b";", b"\t"]),
)
def test_wrong_delimiters(name, old, new):
    raw = (FIXTURES / name).read_bytes()
    if raw[:2] in (b"\xff\xfe", b"PK"):
        return  # binary layouts: corruption is covered above
    outcome(raw.replace(old, new), name)


@PROPERTY
@given(st.sampled_from(SAMPLES), st.sampled_from(["cp1252", "utf-16", "latin-1", "utf-8-sig"]))
def test_reencoded_exports(name, encoding):
    raw = (FIXTURES / name).read_bytes()
    if raw[:2] in (b"\xff\xfe", b"PK"):
        return
    try:
        text = raw.decode("utf-8-sig")
        data = text.encode(encoding)
    except (UnicodeDecodeError, UnicodeEncodeError):
        return
    outcome(data, name)


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet="0123456789.,  %€$-()eE", max_size=25),
)


@PROPERTY
@given(st.lists(st.tuples(numbers, numbers), min_size=1, max_size=8))
def test_absurd_numbers(cells):
    lines = ["Day,Campaign,Currency code,Cost,Impr."]
    lines += [f'2026-09-01,C{i},EUR,"{cost}","{imp}"' for i, (cost, imp) in enumerate(cells)]
    result = outcome("\n".join(lines).encode(), "absurd.csv")
    assert result in ("imported", "rejected")


@PROPERTY
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6), st.integers(0, 4))
def test_random_canonical_cells(values, column):
    header = ["date", "channel", "campaign", "cost", "currency"]
    row = ["2026-01-01", "Email", "x", "1.5", "EUR"]
    lines = [",".join(header)]
    for value in values:
        cells = list(row)
        cells[column] = '"' + value.replace('"', '""') + '"'
        lines.append(",".join(cells))
    outcome("\n".join(lines).encode(), "spend.csv")
