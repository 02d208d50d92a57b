"""A signing change stored through the rules: accepted ones written whole, refusals write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from db.models import AuditEntry, Facility, Signing
from desktop.enrolment import change_signing
from desktop.policy.types import FacilityKind
from desktop.signing import ChangeRequest, Grounds
from tests.factories import NOW, add_person, make_store


def test_reselection_in_october_takes_effect_on_new_year(tmp_path: Path) -> None:
    # 洪府厅发〔2019〕102号 第九条: Oct–Dec re-selection takes effect on 1 January.
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    with store.writing() as session:
        session.add(
            Facility(id="T02", code="H36010100009", name="塘南镇卫生院", kind="township_health_center", admdvs="360101")
        )
    request = ChangeRequest(
        "T02", FacilityKind.TOWNSHIP_HEALTH_CENTER, dt.date(2024, 10, 8), Grounds.ANNUAL_RESELECTION
    )
    decision = change_signing(store, 1, request, 1, NOW)
    assert decision.accepted, decision.reason
    assert decision.takes_effect == dt.date(2025, 1, 1)
    with store.reading() as session:
        rows = session.scalars(select(Signing).where(Signing.person_id == 1).order_by(Signing.effective_from)).all()
        assert [(r.facility_id, r.effective_from, r.effective_until) for r in rows] == [
            ("T01", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
            ("T02", dt.date(2025, 1, 1), None),
        ]
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign")) == 1


def test_a_refused_change_names_the_article_and_writes_nothing(tmp_path: Path) -> None:
    # 第八条: one facility for the calendar year; a wish to change in May is refused.
    store = make_store(tmp_path)
    add_person(store, person_id=1)
    with store.reading() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    request = ChangeRequest("T10", FacilityKind.TOWNSHIP_HEALTH_CENTER, dt.date(2024, 5, 10), Grounds.PERSONAL_WISH)
    decision = change_signing(store, 1, request, 1, NOW)
    assert not decision.accepted
    assert "第八条" in decision.article
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Signing)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited
