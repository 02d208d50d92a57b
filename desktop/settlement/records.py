"""A stored settlement read back as the JSON the command line and other programs see.

No personal data: the person appears by roster id and agency number only, and a walk-in
seen for self-pay (自费), who has neither, not at all.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from db.models import Person, Settlement
from desktop.money import format_amount, from_fen


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else format_amount(from_fen(fen))


def settlement_json(session: Session, settlement_id: int) -> dict[str, Any]:
    settlement = session.get(Settlement, settlement_id)
    if settlement is None:
        raise LookupError(f"no settlement {settlement_id}")
    visit = settlement.visit
    person = None if settlement.person_id is None else session.get(Person, settlement.person_id)
    reversal = settlement.reversal
    return {
        "settlement_id": settlement.id,
        "visit_id": visit.id,
        "msgid": settlement.msgid,
        "status": settlement.status,
        "reversed": reversal is not None,
        "reversal": None
        if reversal is None
        else {
            "reversal_id": reversal.id,
            "reason": reversal.reason,
            "msgid": reversal.msgid,
            "reversed_at": reversal.reversed_at.isoformat(),
        },
        "facility": visit.facility_id,
        "person": None if person is None else {"id": person.id, "psn_no": person.psn_no},
        "self_pay": settlement.self_pay,
        "visit_date": visit.visit_date.isoformat(),
        "settled_at": settlement.settled_at.isoformat(),
        "policy": settlement.policy,
        "policy_version": settlement.policy_version,
        "covered": settlement.covered,
        "reason": settlement.reason,
        "rate": settlement.rate,
        "total": _yuan(settlement.total_fen),
        "in_scope": _yuan(settlement.in_scope_fen),
        "out_of_scope": _yuan(settlement.out_of_scope_fen),
        "deductible_applied": _yuan(settlement.deductible_fen),
        "fund": _yuan(settlement.fund_fen),
        "account": _yuan(settlement.account_fen),
        "cash": _yuan(settlement.cash_fen),
        "agency": None
        if settlement.agency_setl_id is None
        else {
            "setl_id": settlement.agency_setl_id,
            "fund": _yuan(settlement.agency_fund_fen),
            "account": _yuan(settlement.agency_account_fen),
            "cash": _yuan(settlement.agency_cash_fen),
        },
        "items": [
            {
                "line": item.line_no,
                "code": item.code,
                "name": item.name,
                "kind": item.kind,
                "class": item.item_class,
                "quantity": item.quantity,
                "price": _yuan(item.price_fen),
                "amount": _yuan(item.amount_fen),
                "in_scope": _yuan(item.in_scope_fen),
            }
            for item in visit.items
        ],
        "diagnoses": [{"code": d.code, "name": d.name} for d in visit.diagnoses],
        "explanation": json.loads(settlement.explanation),
    }
