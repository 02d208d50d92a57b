"""Arbitrary JSON, bytes and option text thrown at ``settle``, ``reverse`` and ``check``.

Whatever arrives, each command exits 0 or 2 (never a traceback), says what is wrong in one
``{"error", "field"}`` object when it refuses, and a refusal leaves every row of the store
as it was. The examples per command are bounded (see ``EXAMPLES``; the README reports the
total) so that CI stays quick.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import CatalogueItem, Setting
from tests.cli_helpers import dump, in_process, token_for
from tests.factories import add_person, make_store

EXAMPLES = {"settle": 250, "settle_bytes": 100, "reverse": 150, "check": 150}
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI never meets a new one by chance
)

json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**45), max_value=10**45)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Text that looks like what a field holds, and text that does not.
field_text = st.sampled_from(
    ["", "1", "0", "-1", "1e400", "NaN", "12.50", "１２", "١٢", "J06.900", "FA01", "XA01", "T01", "V01", "2026-11-22"]
) | st.text(max_size=40)


visit_values = {
    "facility": st.one_of(field_text, json_value),
    "person": st.one_of(
        st.fixed_dictionaries({"id": st.one_of(st.integers(-2, 5), json_value)}),
        st.fixed_dictionaries({"psn_no": st.one_of(field_text, json_value)}),
        st.fixed_dictionaries({"id_number": st.one_of(field_text, json_value)}),
        st.fixed_dictionaries({"card": st.one_of(field_text, json_value)}),
        json_value,
    ),
    "visit_date": st.one_of(field_text, st.dates().map(str), json_value),
    "items": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"code": st.sampled_from(["FA01", "XA01", "X01", "NOPE"]) | field_text},
                optional={"quantity": st.one_of(field_text, json_value), "price": st.one_of(field_text, json_value)},
            ),
            max_size=4,
        ),
        json_value,
    ),
    "diagnoses": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"code": st.one_of(st.just("J06.900"), field_text), "name": st.one_of(st.just("感冒"), field_text)}
            ),
            max_size=3,
        ),
        json_value,
    ),
    "staff": st.one_of(st.just("clerk"), field_text, json_value),
    "referral": json_value,
    "liability": st.one_of(field_text, json_value),
    "disease": st.one_of(field_text, json_value),
    "pay_from_account": json_value,
}
VALID = {
    "person": {"id": 1},
    "items": [{"code": "FA01"}, {"code": "XA01", "quantity": "2"}],
    "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
}
visit_shaped = st.fixed_dictionaries({}, optional=visit_values)
# A good visit with one field replaced: goes deep, and sometimes still settles.
one_field_off = st.sampled_from(sorted(visit_values)).flatmap(
    lambda key: visit_values[key].map(lambda value: {**VALID, key: value})
)
any_visit = st.one_of(
    one_field_off, visit_shaped, json_value, st.dictionaries(st.text(max_size=10), json_value, max_size=5)
)

# What the shell can hand a program: no NUL; a byte that is not UTF-8 arrives as U+DC80–U+DCFF.
argv_text = st.one_of(
    field_text.filter(lambda text: "\x00" not in text),
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00") | st.sampled_from(["\udcff", "\udc80"]),
        max_size=50,
    ),
    st.sampled_from(["9" * 20, "1" * 23, "x" * 300, "冲" * 201]),
)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # In memory where the platform has a tmpfs: what is fuzzed is the program, not the disk's fsync.
    memory = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=memory)) if memory.is_dir() else tmp_path_factory.mktemp("fuzz")
    path = folder / "clinic.sqlite3"
    store = make_store(path.parent, path.name)
    add_person(store, person_id=1)
    add_person(store, person_id=2, policy="nanchang-employee", balance_fen=5000)
    with store.writing() as session:
        session.add(Setting(key="facility_id", value="T01"))
        session.add(
            CatalogueItem(code="FA01", name="一般诊疗费", pinyin="ybzlf", kind="consultation_fee", item_class="A")
        )
        session.add(
            CatalogueItem(code="XA01", name="阿莫西林", pinyin="amxl", kind="drug", item_class="A", price_fen=1250)
        )
    store.dispose()
    yield path
    shutil.rmtree(folder, ignore_errors=True)


class Outcomes:
    """What the fuzzing saw, for the README's figures."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[int, int]] = {}

    def add(self, command: str, code: int) -> None:
        self.counts.setdefault(command, {}).setdefault(code, 0)
        self.counts[command][code] += 1


OUTCOMES = Outcomes()


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    command: str,
    *args: str,
    stdin: str | bytes = "",
    token: str,
) -> None:
    before = dump(db)
    code, out, err = in_process(capsys, monkeypatch, command, "--db", str(db), *args, stdin=stdin, token=token)
    OUTCOMES.add(command, code)
    assert code in (0, 2), err
    if code == 2:
        assert out == ""
        (line,) = err.rstrip("\n").split("\n")  # (U+0085 in a key is one of splitlines' breaks)
        error = json.loads(line)
        assert set(error) == {"error", "field"}
        assert isinstance(error["field"], str)
        assert len(error["error"]) < 600  # never the huge input repeated
        assert dump(db) == before
    else:
        json.loads(out)


@pytest.fixture(scope="module")
def tokens(fuzz_db: Path) -> dict[str, str]:
    return {who: token_for(fuzz_db, who) for who in ("clerk", "admin")}


@settings(FUZZ, max_examples=EXAMPLES["settle"])
@given(visit=any_visit, confirm=st.booleans())
def test_settle_takes_any_json(
    fuzz_db: Path,
    tokens: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    visit: Any,
    confirm: bool,
) -> None:
    text = json.dumps(visit, ensure_ascii=False)
    args = ["--confirm-prices"] if confirm else []
    _run(capsys, monkeypatch, fuzz_db, "settle", *args, stdin=text, token=tokens["clerk"])


@settings(FUZZ, max_examples=EXAMPLES["settle_bytes"])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=100).map(lambda t: t.encode("utf-16")),
        st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
        st.sampled_from([b'{"person": {"id": 1e999}}', b'{"person": {"id": 1' + b"0" * 5000 + b"}}", b"\xef\xbb\xbf"]),
    )
)
def test_settle_takes_any_bytes(
    fuzz_db: Path,
    tokens: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
) -> None:
    _run(capsys, monkeypatch, fuzz_db, "settle", stdin=data, token=tokens["clerk"])


@settings(FUZZ, max_examples=EXAMPLES["reverse"])
@given(settlement=st.one_of(argv_text, st.integers(-5, 10**20).map(str)), reason=argv_text)
def test_reverse_takes_any_option_text(
    fuzz_db: Path,
    tokens: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    settlement: str,
    reason: str,
) -> None:
    _run(
        capsys, monkeypatch, fuzz_db, "reverse", f"--settlement={settlement}", f"--reason={reason}",
        token=tokens["admin"],
    )  # fmt: skip


@settings(FUZZ, max_examples=EXAMPLES["check"])
@given(
    who=st.sampled_from(["--card", "--id-number", "--qr"]),
    value=argv_text,
    extra=st.lists(
        st.tuples(st.sampled_from(["--date", "--stale-days", "--facility"]), argv_text),
        max_size=3,
        unique_by=lambda t: t[0],
    ),
)
def test_check_takes_any_option_text(
    fuzz_db: Path,
    tokens: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    who: str,
    value: str,
    extra: list[tuple[str, str]],
) -> None:
    options = [f"{who}={value}", *(f"{name}={text}" for name, text in extra)]
    _run(capsys, monkeypatch, fuzz_db, "check", *options, token=tokens["clerk"])


def test_the_fuzzing_reached_both_outcomes() -> None:
    # Run last in this module: the fuzzing above settled visits too, not only refused them.
    if "settle" not in OUTCOMES.counts:
        pytest.skip("run with the fuzz tests")
    assert OUTCOMES.counts["settle"].get(0, 0) > 0
    assert OUTCOMES.counts["settle"].get(2, 0) > 0
