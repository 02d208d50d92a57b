"""Policy parameter updates downloaded from the agency: installed when whole and valid, refused otherwise."""

from __future__ import annotations

from pathlib import Path

from db.session import Store
from desktop.policy import load_book
from desktop.sandbox.server import SandboxServer
from tests.policy.test_policy_files import LIUYANG
from tests.sync.helpers import relay_for, start_agency

COUNTY = LIUYANG  # a county's own file, as the agency publishes it
BELOW_THE_FLOOR = COUNTY.replace('village_clinic = "0.75"', 'village_clinic = "0.10"').replace("liuyang", "liuyang2")


def _published(tmp_path: Path, store: Store, **files: str) -> SandboxServer:
    folder = tmp_path / "published"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    server = start_agency(tmp_path / "agency.sqlite3", [store])
    server.policy_dir = folder
    return server


def test_a_published_county_file_is_installed_and_read_by_the_engine(tmp_path: Path, store: Store) -> None:
    agency = _published(tmp_path, store, **{"hunan-resident-liuyang.2024-01-01.toml": COUNTY})
    here = tmp_path / "downloaded"
    try:
        with relay_for(store, agency.url, policy_dir=here) as relay:
            report = relay.run()
            assert report.policies_installed == ["hunan-resident-liuyang.2024-01-01.toml"]
            assert relay.run().policies_installed == []  # unchanged: not fetched again
    finally:
        agency.stop()
    book = load_book([here])
    assert "hunan-resident-liuyang" in book.policies


def test_a_file_that_breaks_the_book_is_refused_and_the_installed_ones_stay(tmp_path: Path, store: Store) -> None:
    here = tmp_path / "downloaded"
    here.mkdir()
    (here / "hunan-resident-liuyang.2024-01-01.toml").write_text(COUNTY, encoding="utf-8")
    agency = _published(tmp_path, store, **{"hunan-resident-liuyang2.2024-01-01.toml": BELOW_THE_FLOOR})
    try:
        with relay_for(store, agency.url, policy_dir=here) as relay:
            report = relay.run()
    finally:
        agency.stop()
    assert report.policies_installed == []
    (refusal,) = [note for note in report.notes if note.startswith("policy file refused")]
    assert "hunan-resident-liuyang2.2024-01-01.toml" in refusal
    assert "benefit.rates.value.village_clinic" in refusal  # the key
    assert "below the floor" in refusal  # and what is wrong
    assert sorted(p.name for p in here.iterdir()) == ["hunan-resident-liuyang.2024-01-01.toml"]


def test_an_agency_that_publishes_nothing_is_no_error(store: Store, agency: SandboxServer, tmp_path: Path) -> None:
    with relay_for(store, agency.url, policy_dir=tmp_path / "downloaded") as relay:
        report = relay.run()
    assert report.complete
    assert report.policies_installed == []
    assert not [note for note in report.notes if "policy" in note]
