"""A small clinic that talks to the sandbox over real HTTP, and the sandbox's test roster."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from desktop.agency import HmacSigner, Sender, decode, encode, make_msgid, parse_reply, prepare_request
from desktop.agency.messages import Message
from desktop.agency.msgid import CHINA
from desktop.agency.outpatient import Diagnosis, FeeDetail, FeeUpload, Registration, Settlement, VisitInfo
from desktop.agency.replies import Reply, SettlementInfo, read_registration, read_settlement

TOWNSHIP = "H44020000101"
VILLAGE = "H44020000102"
OTHER_TOWN = "H44020000201"
SECRETS = {code: f"secret-of-{code}-0123456789" for code in (TOWNSHIP, VILLAGE, OTHER_TOWN)}
DIVISION = "440200"
VISIT_TIME = dt.datetime(2026, 11, 20, 9, 30, tzinfo=CHINA)

# Shaoguan residents: 70% at the signed facilities, 300 yuan a year, no deductible.
RESIDENT = "44020000000000000001"
RESIDENT_ID = "440203196006150013"
# A second resident signed with both towns, for the cross-clinic cap.
TRAVELLER = "44020000000000000002"
# Nanchang employee with a personal account.
EMPLOYEE = "36010000000000000003"

ROSTER: dict[str, Any] = {
    "facilities": [
        {
            "fixmedins_code": TOWNSHIP,
            "fixmedins_name": "乳源镇卫生院",
            "id": "T01",
            "kind": "township_health_center",
            "admdvs": DIVISION,
        },
        {
            "fixmedins_code": VILLAGE,
            "fixmedins_name": "乳源东村卫生室",
            "id": "V01",
            "kind": "village_clinic",
            "parent_id": "T01",
            "admdvs": DIVISION,
        },
        {
            "fixmedins_code": OTHER_TOWN,
            "fixmedins_name": "大桥镇卫生院",
            "id": "T02",
            "kind": "township_health_center",
            "admdvs": DIVISION,
        },
    ],
    "persons": [
        {
            "psn_no": RESIDENT,
            "certno": RESIDENT_ID,
            "psn_name": "张伟",
            "gend": "1",
            "brdy": "1960-06-15",
            "policy": "shaoguan-resident",
            "insutype": "390",
            "psn_type": "1501",
            "insuplc_admdvs": DIVISION,
            "patient": {"contracted_facilities": ["T01", "V01"]},
            "cards": [
                {"mdtrt_cert_type": "03", "mdtrt_cert_no": "G44000001", "card_sn": "SN0001"},
                {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EVOUCHER-TOKEN-1"},
            ],
        },
        {
            "psn_no": TRAVELLER,
            "certno": "440203197001010027",
            "psn_name": "李娜",
            "gend": "2",
            "brdy": "1970-01-01",
            "policy": "shaoguan-resident",
            "insutype": "390",
            "psn_type": "1501",
            "insuplc_admdvs": DIVISION,
            "patient": {"contracted_facilities": ["T01", "T02"]},
        },
        {
            "psn_no": EMPLOYEE,
            "certno": "360121198001010035",
            "psn_name": "王强",
            "gend": "1",
            "brdy": "1980-01-01",
            "policy": "nanchang-employee",
            "insutype": "310",
            "psn_type": "1101",
            "insuplc_admdvs": "360121",
            "balc": "500.00",
        },
    ],
    "catalogue": [
        {"med_list_codg": "XA01", "med_list_name": "阿莫西林胶囊", "kind": "drug", "class": "A", "pric": "12.50"},
        {"med_list_codg": "XC01", "med_list_name": "进口复合维生素片", "kind": "drug", "class": "C", "pric": "68.00"},
        {"med_list_codg": "EA01", "med_list_name": "血常规", "kind": "exam", "class": "A", "pric": "20.00"},
        {"med_list_codg": "TA01", "med_list_name": "清创缝合", "kind": "treatment", "class": "A", "pric": "200.00"},
        {"med_list_codg": "MA01", "med_list_name": "一次性注射器", "kind": "material", "class": "B", "pric": "1.50"},
    ],
}


@dataclass
class Clinic:
    """One facility's counter: signs, numbers and posts messages the way the sync client will."""

    url: str
    code: str
    http: httpx.Client
    sent_at: dt.datetime = VISIT_TIME
    sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    secret: str = ""

    @property
    def sender(self) -> Sender:
        return Sender(self.code, f"机构{self.code}", DIVISION, opter="clerk", opter_name="王丽华")

    def msgid(self) -> str:
        return make_msgid(self.code, self.sent_at, next(self.sequence))

    def request(self, message: Message, msgid: str | None = None, insuplc: str = DIVISION) -> dict[str, Any]:
        signer = HmacSigner(self.secret or SECRETS[self.code])
        return prepare_request(
            self.sender, message, msgid or self.msgid(), signer, at=self.sent_at, insuplc_admdvs=insuplc
        )

    def post(self, envelope: dict[str, Any]) -> Reply:
        response = self.http.post(self.url, content=encode(envelope), headers={"Content-Type": "application/json"})
        response.raise_for_status()
        return parse_reply(decode(response.content))

    def send(self, message: Message, msgid: str | None = None, insuplc: str = DIVISION) -> Reply:
        return self.post(self.request(message, msgid, insuplc))

    def visit(
        self, psn_no: str, lines: list[tuple[str, str, str]], insutype: str = "390", insuplc: str = DIVISION
    ) -> tuple[str, Decimal]:
        """2201 → 2203 → 2204 for one visit; the mdtrt_id and the bill's total."""
        registered = read_registration(
            self.send(
                Registration(
                    psn_no,
                    insutype,
                    self.sent_at,
                    "02",
                    "ID",
                    f"OP{next(self.sequence)}",
                    "D001",
                    "李春生",
                    "A03",
                    "全科",
                    "A03",
                ),
                insuplc=insuplc,
            )
        )
        mdtrt_id = registered.mdtrt_id
        diagnosis = Diagnosis(1, "J06.900", "急性上呼吸道感染", "全科", "D001", "李春生", self.sent_at)
        self.send(VisitInfo(mdtrt_id, psn_no, self.sent_at, (diagnosis,))).checked()
        details = tuple(
            FeeDetail(
                f"{index}",
                mdtrt_id,
                psn_no,
                "B1",
                self.sent_at,
                code,
                code,
                (Decimal(cnt) * Decimal(pric)).quantize(Decimal("0.01")),
                Decimal(cnt),
                Decimal(pric),
                "A03",
                "全科",
                "D001",
                "李春生",
            )
            for index, (code, cnt, pric) in enumerate(lines, start=1)
        )
        self.send(FeeUpload(details)).checked()
        return mdtrt_id, sum((d.det_item_fee_sumamt for d in details), start=Decimal("0.00"))

    def settlement(
        self,
        psn_no: str,
        mdtrt_id: str,
        total: Decimal,
        *,
        out_of_scope: Decimal = Decimal("0.00"),
        insutype: str = "390",
        account: bool = False,
    ) -> Settlement:
        return Settlement(
            psn_no,
            "02",
            "ID",
            total,
            mdtrt_id,
            "B1",
            insutype,
            account,
            fulamt_ownpay_amt=out_of_scope,
            inscp_scp_amt=total - out_of_scope,
        )

    def settle(
        self,
        psn_no: str,
        lines: list[tuple[str, str, str]],
        insutype: str = "390",
        account: bool = False,
        insuplc: str = DIVISION,
    ) -> SettlementInfo:
        mdtrt_id, total = self.visit(psn_no, lines, insutype, insuplc)
        reply = self.send(self.settlement(psn_no, mdtrt_id, total, insutype=insutype, account=account), insuplc=insuplc)
        return read_settlement(reply)
