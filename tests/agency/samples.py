"""One filled-in message of every transaction the program sends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.agency import Sender
from desktop.agency.messages import (
    AccumulatorQuery,
    CatalogueDownload,
    MappingUpload,
    MappingWithdrawal,
    Message,
    PersonQuery,
    Reconciliation,
    SignIn,
    SignOut,
)
from desktop.agency.msgid import CHINA
from desktop.agency.outpatient import (
    CancelFees,
    CancelRegistration,
    CancelSettlement,
    Diagnosis,
    FeeDetail,
    FeeUpload,
    PreSettlement,
    Registration,
    Reversal,
    Settlement,
    VisitInfo,
)

CODE = "H36012100101"
AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)
SENDER = Sender(CODE, "幽兰镇卫生院", "360121", opter="7", opter_name="王丽华")
PSN = "36010000000000000001"
MSGID = f"{CODE}202611231000000001"
DOCTOR = "D360121000102"  # 医保医师代码


def fee(sn: str = "1") -> FeeDetail:
    return FeeDetail(
        sn,
        "MD1",
        PSN,
        "B1",
        AT,
        "XA01",
        "XA01",
        Decimal("25.00"),
        Decimal(2),
        Decimal("12.50"),
        "A03",
        "全科",
        DOCTOR,
        "李春生",
    )


def samples() -> list[Message]:
    return [
        SignIn("7", "192.168.1.20"),
        SignOut("SN1", "7"),
        PersonQuery("03", "G44000001", card_sn="SN0001"),
        Registration(PSN, "390", AT, "02", "360121196006150013", "OP1", DOCTOR, "李春生", "A03", "全科", "A03"),
        VisitInfo(
            "MD1", PSN, AT, (Diagnosis(1, "J06.900", "急性上呼吸道感染", "全科", DOCTOR, "李春生", AT, main=True),)
        ),
        FeeUpload((fee("1"), fee("2"))),
        PreSettlement(PSN, "02", "ID", Decimal("25.00"), "MD1", "B1", "390", acct_used_flag=False),
        Settlement(
            PSN,
            "02",
            "ID",
            Decimal("25.00"),
            "MD1",
            "B1",
            "390",
            False,
            fulamt_ownpay_amt=Decimal("0.00"),
            inscp_scp_amt=Decimal("25.00"),
        ),
        CancelSettlement("ST1", "MD1", PSN),
        CancelFees("MD1", "B1", PSN),
        CancelRegistration(PSN, "MD1", "OP1"),
        MappingUpload("XA01", "阿莫西林胶囊", "101", "XJ01CAA040A001010100451", dt.date(2026, 11, 1)),
        MappingWithdrawal(CODE, "XA01", "101", "XJ01CAA040A001010100451"),
        Reversal(PSN, MSGID, "2207"),
        AccumulatorQuery(PSN, "202611"),
        CatalogueDownload("1301"),
        CatalogueDownload("1307", ver="12"),
        Reconciliation(
            "390",
            "360121",
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 30),
            Decimal("25.00"),
            Decimal("15.00"),
            Decimal("0.00"),
            1,
        ),
    ]
