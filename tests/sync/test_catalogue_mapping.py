"""The catalogue mapping (医保目录对照): proposed by name and pinyin, reviewed by staff, withdrawn at the agency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text

from db.audit_verify import verify
from db.models import AuditEntry, CatalogueItem, CatalogueMapping
from db.session import Store
from desktop.catalogue_mapping import MappingError, candidates_for, mappings, propose, review, search, unmap
from desktop.sandbox.server import SandboxServer
from tests.sync.helpers import relay_for

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def test_unmapped_items_get_the_best_looking_line_of_their_own_catalogue_for_review(store: Store) -> None:
    with store.writing() as session:
        session.execute(delete(CatalogueMapping).where(CatalogueMapping.code.in_(["XA01", "EA01", "MA01"])))
    assert propose(store, NOW) == 3
    with store.reading() as session:
        shown = {m.code: m for m in mappings(session.connection())}
    assert (shown["XA01"].state, shown["XA01"].national_code) == ("proposed", "XJ01CAA040A001010100451")
    assert shown["EA01"].national_code == "250101015000000"  # 血常规 → 血细胞分析（血常规）
    assert shown["MA01"].national_code == "C14010501102000000000"  # 一次性输液器 → 一次性使用输液器
    assert [m.state for m in list(shown.values())[:3]] == ["proposed"] * 3  # the ones to review come first


def test_search_finds_by_name_fragment_pinyin_initials_and_code(store: Store) -> None:
    with store.reading() as session:
        assert search(session, "布洛芬")[0].name in {"布洛芬缓释胶囊", "布洛芬片"}
        assert {c.code for c in search(session, "blf")} == {"XM01AEB051A010010101887", "XM01AEB051A001010100661"}
        assert search(session, "111000000010000")[0].name == "一般诊疗费"
        assert search(session, "   ") == []
        offered = candidates_for(session, "TA01")
    assert offered[0].code == "120400006000000"
    assert all(c.catalogue == "1305" for c in offered)


@pytest.mark.parametrize(
    ("item", "national", "field", "words"),
    [
        ("ZZ99", "XJ01CAA040A001010100451", "item", "no item"),
        ("XA01", "NOT-A-CODE", "national", "not in the downloaded national catalogue"),
        ("XA01", "250101015000000", "national", "belongs in 1301"),
    ],
)
def test_a_mapping_that_cannot_be_is_refused_saying_why(
    store: Store, item: str, national: str, field: str, words: str
) -> None:
    with pytest.raises(MappingError, match=words) as refused:
        review(store, item, national, staff_id=1, now=NOW)
    assert refused.value.field == field


def test_a_changed_mapping_is_withdrawn_at_the_agency_before_the_new_one_goes_up(
    store: Store, agency: SandboxServer
) -> None:
    mapped = review(store, "XA01", "XJ01CRA040A001010100223", staff_id=1, now=NOW)
    assert (mapped.state, mapped.uploaded) == ("reviewed", 0)
    with store.reading() as session:
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.staff_id == 1)).all()
        assert session.get(CatalogueItem, "XA01") is not None
    assert "catalogue_mapping_reviewed" in audited
    with relay_for(store, agency.url) as relay:
        report = relay.run()
    assert report.mappings_uploaded == 4  # one item, four facilities; 3302 for the old one first
    held = agency.connection.execute("SELECT DISTINCT med_list_codg FROM mapping WHERE fixmedins_hilist_id = 'XA01'")
    assert [row[0] for row in held] == ["XJ01CRA040A001010100223"]
    unmap(store, "XA01", staff_id=1, now=NOW)
    with relay_for(store, agency.url) as relay:
        relay.run()
    assert (
        agency.connection.execute("SELECT count(*) FROM mapping WHERE fixmedins_hilist_id = 'XA01'").fetchone()[0] == 0
    )


def test_the_mapping_and_what_the_agency_was_told_of_it_are_sealed_in_the_audit_chain(
    store: Store, agency: SandboxServer
) -> None:
    review(store, "XA01", "XJ01CRA040A001010100223", staff_id=1, now=NOW)
    assert propose(store, NOW) == 0  # every active item is mapped already
    with relay_for(store, agency.url) as relay:
        assert relay.run().mappings_uploaded == 4
    unmap(store, "XA01", staff_id=1, now=NOW)
    with relay_for(store, agency.url) as relay:
        relay.run()  # the removed mapping is withdrawn (3302) and its rows go
    with store.reading() as session:
        assert verify(session.connection()).ok
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"catalogue_mapping_sent", "catalogue_mapping_withdrawn", "catalogue_mapping_removed"} <= actions
    with store.writing() as session:  # behind the program's back: another item billed under FA01's code
        session.execute(
            text("UPDATE catalogue_mapping SET national_code = 'XJ01CAA040A001010100451' WHERE code = 'FA01'")
        )
    with store.reading() as session:
        verdict = verify(session.connection())
    assert [(b.kind, b.table) for b in verdict.breaks] == [("row_changed", "catalogue_mapping")]
