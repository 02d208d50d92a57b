"""A plausible clinic for demos and first start: a township centre in Nanchang County with
three village clinics, a roster of a few hundred insured people under the five policies,
a catalogue, staff, and a year of settled visits.

Visits go through the real settlement code, so the demo's figures are the engine's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from argon2 import PasswordHasher
from sqlalchemy.orm import Session
from stdnum.cn import ric

from db.models import AreaFiling, Card, CatalogueItem, ChronicCertificate, Facility, Person, Setting, Signing, Staff
from db.session import Store
from desktop.policy import PolicyBook, default_book
from desktop.settlement.draft import DiagnosisLine, DraftItem, SettlementError, VisitDraft
from desktop.settlement.service import CHINA, settle_in

HOME = "T01"
# (id, agency code, name, kind, parent)
FACILITIES = [
    ("T01", "H36012100101", "南昌县幽兰镇卫生院", "township_health_center", None),
    ("V01", "H36012100102", "幽兰镇东山村卫生室", "village_clinic", "T01"),
    ("V02", "H36012100103", "幽兰镇南洲村卫生室", "village_clinic", "T01"),
    ("V03", "H36012100104", "幽兰镇前湖村卫生室", "village_clinic", "T01"),
]
# (username, name, role, facility, password) — demo passwords, printed in the README.
STAFF = [
    ("admin", "赵建国", "admin", "T01", "admin"),
    ("clerk", "王丽华", "clerk", "T01", "clerk"),
    ("doctor1", "李春生", "village_doctor", "V01", "doctor1"),
    ("doctor2", "陈秋菊", "village_doctor", "V02", "doctor2"),
    ("doctor3", "刘德明", "village_doctor", "V03", "doctor3"),
]
# (code, name, pinyin initials, kind, class, price in fen, unit)
CATALOGUE = [
    ("XA01", "阿莫西林胶囊", "amxljn", "drug", "A", 1250, "盒"),
    ("XA02", "布洛芬缓释胶囊", "blfhsjn", "drug", "A", 1580, "盒"),
    ("XA03", "复方甘草片", "ffgcp", "drug", "A", 450, "瓶"),
    ("XA04", "硝苯地平缓释片", "xbdphsp", "drug", "A", 2160, "盒"),
    ("XA05", "二甲双胍片", "ejsgp", "drug", "A", 980, "盒"),
    ("XB01", "头孢克肟胶囊", "tbkwjn", "drug", "B", 2860, "盒"),
    ("XB02", "氨溴索口服溶液", "axskfry", "drug", "B", 1890, "瓶"),
    ("XB03", "奥美拉唑肠溶胶囊", "amlzcrjn", "drug", "B", 1320, "盒"),
    ("XC01", "进口复合维生素片", "jkfhwssp", "drug", "C", 6800, "瓶"),
    ("XC02", "鱼油软胶囊", "yyrjn", "drug", "C", 5800, "瓶"),
    ("ZA01", "板蓝根颗粒", "blggl", "tcm_drug", "A", 1800, "袋"),
    ("ZA02", "连花清瘟胶囊", "lhqwjn", "tcm_drug", "A", 2450, "盒"),
    ("ZB01", "中药饮片（感冒方）", "zyypgmf", "tcm_drug", "B", 3600, "剂"),
    ("EA01", "血常规", "xcg", "exam", "A", 2000, "次"),
    ("EA02", "尿常规", "ncg", "exam", "A", 1200, "次"),
    ("EA03", "心电图", "xdt", "exam", "A", 2500, "次"),
    ("EB01", "血糖测定", "xtcd", "exam", "B", 800, "次"),
    ("TA01", "静脉输液", "jmsy", "treatment", "A", 1000, "组"),
    ("TA02", "肌肉注射", "jrzs", "treatment", "A", 500, "次"),
    ("TA03", "清创缝合", "qcfh", "treatment", "B", 4500, "次"),
    ("MA01", "一次性输液器", "ycxsyq", "material", "A", 350, "套"),
    ("CA01", "针灸", "zj", "tcm_treatment", "A", 3000, "次"),
    ("CB01", "推拿", "tn", "tcm_treatment", "B", 4000, "次"),
    ("FA01", "一般诊疗费", "ybzlf", "consultation_fee", "A", 1000, "次"),
]
# WHO ATC codes of the Western drugs; J01 (antibacterials for systemic use) is what the
# antibiotic share counts (desktop.reports.warnings).
ATC = {
    "XA01": "J01CA04",
    "XA02": "M01AE01",
    "XA03": "R05FA02",
    "XA04": "C08CA05",
    "XA05": "A10BA02",
    "XB01": "J01DD08",
    "XB02": "R05CB06",
    "XB03": "A02BC01",
    "XC01": "A11AA03",
    "XC02": "C10AX06",
}
# Sold by weight: a prescription takes part of the unit. Kept apart from ``CATALOGUE``,
# whose lines (all but the last, the consultation fee) the demo's visits draw from.
BY_WEIGHT = [
    ("ZB02", "黄芪（饮片）", "hqyp", "tcm_drug", "B", 12, "克"),
]
# The catalogue says which units divide; the demo's are the weights.
DIVISIBLE_UNITS = frozenset({"克"})
DIAGNOSES = [
    ("J06.900", "急性上呼吸道感染"),
    ("I10.x00", "原发性高血压"),
    ("E11.900", "2型糖尿病"),
    ("K29.500", "慢性胃炎"),
    ("M54.500", "腰痛"),
    ("J20.900", "急性支气管炎"),
    ("S01.900", "头部开放性伤口"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱江"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国春梅海燕红梅文德金凤玉兰志强建华淑珍德明秋菊小红"
VILLAGES = ["东山村", "南洲村", "前湖村", "幽兰村", "石岗村"]
# policy, share of the roster, region codes valid for the birth years
POLICIES = [
    ("nanchang-resident", 0.62, ["360121"]),
    ("nanchang-employee", 0.23, ["360121"]),
    ("shaoguan-resident", 0.05, ["440224", "440232"]),
    ("hunan-resident", 0.05, ["430181", "430124"]),
    ("nanchong-employee", 0.05, ["511302", "511321"]),
]


def id_number(rng: random.Random, regions: list[str], birth: dt.date, gender: str) -> str:
    """A valid GB 11643 number: region valid at birth, birth date, sequence, check digit."""
    for region in [*regions, "360121"]:
        sequence = rng.randrange(0, 100) * 10 + rng.randrange(0, 10, 2) + (1 if gender == "1" else 0)
        body = f"{region}{birth:%Y%m%d}{sequence:03d}0"
        number = body[:-1] + ric.calc_check_digit(body)
        if ric.is_valid(number):
            return number
    raise AssertionError("no valid region code for the demo roster")


def build_demo(
    store: Store,
    *,
    today: dt.date | None = None,
    people: int = 300,
    days: int = 365,
    seed: int = 2024,
    showcase: bool = False,
) -> None:
    """Fill an empty store; visits from ``days`` before ``today`` up to yesterday.

    ``showcase`` (the first start and ``clinic-pos demo``) adds what the fund page shows
    a director: the catchment of signed residents who did not come (``demo_showcase``),
    and a village doctor's antibiotic habit in the last weeks, which its warnings catch.
    """
    today = today or dt.datetime.now(CHINA).date()
    rng = random.Random(seed)
    with store.writing() as session:
        _places_and_staff(session)
        session.add_all(
            CatalogueItem(
                code=c,
                name=n,
                pinyin=p,
                kind=k,
                item_class=cl,
                price_fen=f,
                unit=u,
                divisible=u in DIVISIBLE_UNITS,
                atc_code=ATC.get(c),
            )
            for c, n, p, k, cl, f, u in [*CATALOGUE, *BY_WEIGHT]
        )
        session.add(Setting(key="facility_id", value=HOME))
        _roster(session, rng, people, today)
    if showcase:
        from desktop.demo_showcase import add_catchment

        add_catchment(store, people, today)
    book = default_book()
    habit_from = today - dt.timedelta(days=45) if showcase else None
    for day in _days(today - dt.timedelta(days=days), today):
        with store.writing() as session:
            _one_day(session, rng, day, people, book, habit_from)


def _places_and_staff(session: Session) -> None:
    for fid, code, name, kind, parent in FACILITIES:
        session.add(Facility(id=fid, code=code, name=name, kind=kind, parent_id=parent, admdvs="360121"))
        session.flush()
    hasher = PasswordHasher()
    for index, (username, name, role, facility, password) in enumerate(STAFF, start=1):
        session.add(
            Staff(
                id=index,
                username=username,
                name=name,
                role=role,
                facility_id=facility,
                password_hash=hasher.hash(password),
            )
        )
    session.flush()


def _roster(session: Session, rng: random.Random, people: int, today: dt.date) -> None:
    names: set[str] = set()
    now = dt.datetime.combine(today, dt.time(8), CHINA) - dt.timedelta(days=1)
    for number in range(1, people + 1):
        policy, regions = _pick_policy(rng)
        employee = policy.endswith("employee")
        birth = dt.date(
            rng.randint(1940, 2005) if employee else rng.randint(1938, 2023), rng.randint(1, 12), rng.randint(1, 28)
        )
        gender = rng.choice("12")
        name = _name(rng, names)
        retired = employee and birth.year < 1966
        person = Person(
            id=number,
            psn_no=f"3601{number:016d}",
            id_number=id_number(rng, regions, birth, gender),
            name=name,
            gender=gender,
            birth_date=birth,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            address=f"南昌县幽兰镇{rng.choice(VILLAGES)}{rng.randint(1, 120)}号",
            household_head=name if rng.random() < 0.4 else _name(rng, names),
            policy=policy,
            insutype="310" if employee else "390",
            insuplc_admdvs=regions[0],
            employment="retired" if retired else "active",
            retired_on=dt.date(birth.year + 60, birth.month, 1) if retired else None,
            poverty_registered=not employee and rng.random() < 0.06,
            benefit_suspended=rng.random() < 0.01,
            account_balance_fen=rng.randrange(0, 300_000) if employee else 0,
            roster_updated_at=now,
        )
        session.add(person)
        session.flush()
        session.add(Card(person_id=number, kind="ssc", number=f"A{number:08d}", card_sn=f"36{number:030d}"[:32]))
        filing = _out_of_area_filing(number, policy, today, now)
        if filing is not None:
            session.add(filing)
        if policy == "nanchang-resident":
            session.add(
                Signing(
                    person_id=number,
                    facility_id=HOME,
                    effective_from=dt.date(today.year - 2, 1, 1),
                    family_doctor=rng.random() < 0.3,
                    origin="chosen",
                )
            )
        if rng.random() < 0.12:
            disease = rng.choice(["hypertension", "diabetes"])
            session.add(ChronicCertificate(person_id=number, disease=disease, valid_from=dt.date(today.year - 3, 1, 1)))


def _out_of_area_filing(number: int, policy: str, today: dt.date, now: dt.datetime) -> AreaFiling | None:
    """Nanchong employees living or referred here: half have 异地安置 or 转诊备案 with the agency,
    half have none (and their visits here are not paid by the fund: 南府办发〔2022〕33号 第二十六条).
    Decided by the person's number, so the roster's random draws stay as they were."""
    if policy != "nanchong-employee" or number % 2:
        return None
    if number % 4 == 0:  # settled in Nanchang for good: the whole city, open-ended
        return AreaFiling(
            person_id=number, kind="relocation", place_admdvs="360100", valid_from=dt.date(today.year - 3, 1, 1),
            valid_until=None, origin="agency", document_no=f"YDAZ{number:06d}", recorded_at=now,
        )  # fmt: skip
    return AreaFiling(  # referred to this township centre's county for half a year
        person_id=number, kind="referral", place_admdvs="360121", valid_from=today - dt.timedelta(days=120),
        valid_until=today + dt.timedelta(days=60), origin="agency", document_no=f"ZZBA{number:06d}", recorded_at=now,
    )  # fmt: skip


def _pick_policy(rng: random.Random) -> tuple[str, list[str]]:
    draw = rng.random()
    for policy, share, regions in POLICIES:
        if draw < share:
            return policy, regions
        draw -= share
    return POLICIES[0][0], POLICIES[0][2]


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in taken:
            taken.add(name)
            return name


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day < end:
        yield day
        day += dt.timedelta(days=1)


def _one_day(
    session: Session, rng: random.Random, day: dt.date, people: int, book: PolicyBook, habit_from: dt.date | None
) -> None:
    for _ in range(rng.randint(8, 22)):
        facility = rng.choice(["T01", "T01", "V01", "V02", "V03"])
        staff = {"T01": 2, "V01": 3, "V02": 4, "V03": 5}[facility]
        diagnosis = rng.choice(DIAGNOSES)
        items = [DraftItem("FA01")] if rng.random() < 0.7 else []
        for entry in rng.sample(CATALOGUE[:-1], rng.randint(1, 3)):
            items.append(DraftItem(entry[0], Decimal(rng.randint(1, 3))))
        if habit_from is not None and day >= habit_from and facility == "V03" and "XB01" not in {i.code for i in items}:
            items.append(DraftItem("XB01"))  # 头孢克肟 for every cough: the antibiotic share the fund page flags
        draft = VisitDraft(
            facility_id=facility,
            person_id=rng.randint(1, people),
            staff_id=staff,
            visit_date=day,
            items=tuple(items),
            diagnoses=(DiagnosisLine(*diagnosis),),
        )
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), CHINA)
        try:
            settle_in(session.connection(), draft, moment, book)
        except SettlementError:
            continue  # a suspended or unpaid person in the draw: the counter would refuse them too


def demo_main(db: str, people: int) -> int:
    """``clinic-pos demo --db PATH``: refuse to touch an existing file; print what was made."""
    import json
    import sys
    from pathlib import Path

    from db.session import open_store

    if "://" not in db and Path(db).exists():
        message = {"error": f"db: {db} already exists; the demo only fills a new file", "field": "db"}
        sys.stderr.write(json.dumps(message, ensure_ascii=False) + "\n")
        return 2
    store = open_store(db)
    build_demo(store, people=people, showcase=True)
    with store.reading() as session:
        counts = {
            table: session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()  # noqa: S608
            for table in ("facility", "person", "staff", "catalogue_item", "visit", "settlement")
        }
    store.dispose()
    print(json.dumps({"db": db, **counts}, ensure_ascii=False))
    return 0
