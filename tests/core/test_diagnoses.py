"""The diagnosis catalogue: the shipped file, the agency's download and the clinic's habits, searched."""

from __future__ import annotations

import re

from desktop.diagnoses import DiagnosisChoice, initials_of, merge, search, shipped

NATIONAL_CODE = re.compile(r"[A-Z]\d{2}\.[0-9x]\d{2}")


def codes(found: list[DiagnosisChoice]) -> list[str]:
    return [choice.code for choice in found]


def test_the_shipped_catalogue_is_coded_the_national_way_with_initials() -> None:
    catalogue = shipped()
    assert len(catalogue) > 200
    assert len({c.code for c in catalogue}) == len(catalogue)
    for choice in catalogue:
        assert NATIONAL_CODE.fullmatch(choice.code), choice
        assert choice.name, choice
        assert choice.name.strip() == choice.name, choice
        assert re.fullmatch(r"[0-9a-z]+", choice.initials), choice
    # Hand-checked where pypinyin reads a character the other way.
    by_code = {c.code: c for c in catalogue}
    assert by_code["M48.000"].initials == "zgxz"  # 椎 zhuī
    assert by_code["I64.x00"].initials == "ncz"  # 卒中 cù zhòng


def test_search_by_initials_name_fragment_and_code() -> None:
    catalogue = merge([], [])
    assert codes(search(catalogue, "jxsh"))[0] == "J06.900"
    assert codes(search(catalogue, "JXSH"))[0] == "J06.900"
    colds = codes(search(catalogue, "感冒"))
    assert colds[:2] == ["J00.x00", "J11.100"]  # as common as shipped
    assert codes(search(catalogue, "J06"))[0] == "J06.900"
    assert codes(search(catalogue, "j06.9"))[0] == "J06.900"
    assert codes(search(catalogue, "j069"))[0] == "J06.900"  # without its dot
    assert codes(search(catalogue, "i10.x00")) == ["I10.x00"]
    assert codes(search(catalogue, "gxy"))[:2] == ["I11.900", "I10.x00"]  # 高血压… first, then …高血压
    assert search(catalogue, "头晕乏力待查") == []
    assert search(catalogue, "  ") == []
    assert search(catalogue, ".") == []
    assert len(search(catalogue, "y")) == 12  # a dozen at most


def test_exact_before_prefix_before_fragment() -> None:
    catalogue = merge([], [])
    found = codes(search(catalogue, "tt"))
    assert found[0] == "R51.x00"  # 头痛: initials exactly tt
    assert found.index("R51.x00") < found.index("G43.900")  # 偏头痛 ptt only contains them


def test_the_clinics_own_diagnoses_come_first_and_join_the_catalogue() -> None:
    written = [("J02.900", "急性咽炎", 40), ("R51.x00", "头痛", 3), ("Z99.x00", "自定诊断甲", 2), ("", "感冒", 9)]
    catalogue = merge([], written)
    assert codes(search(catalogue, "jx"))[0] == "J02.900"  # written forty times
    own = next(c for c in catalogue if c.code == "Z99.x00")
    assert own.initials == "zdzdj"
    assert codes(search(catalogue, "zdzd")) == ["Z99.x00"]
    assert all(c.code for c in catalogue)  # an uncoded one could never be settled
    assert next(c for c in catalogue if c.code == "R51.x00").uses == 3


def test_the_agencys_catalogue_renames_adds_and_withdraws() -> None:
    downloaded = [
        ("J06.900", "急性上呼吸道感染（医保版）", "", True),
        ("J06.900x003", "急性上呼吸道病毒感染", "", True),
        ("J00.x00", "急性鼻咽炎", "", False),
    ]
    catalogue = merge(downloaded, [])
    by_code = {c.code: c for c in catalogue}
    assert by_code["J06.900"].name == "急性上呼吸道感染（医保版）"
    assert by_code["J06.900x003"].initials == "jxshxdbdgr"
    assert "J00.x00" not in by_code
    assert codes(search(catalogue, "jxshxd"))[:2] == ["J06.900", "J06.900x003"]


def test_initials_of_a_name() -> None:
    assert initials_of("急性上呼吸道感染") == "jxshxdgr"
    assert initials_of("2型糖尿病") == "2xtnb"
    assert initials_of("维生素D缺乏（轻度）") == "wssdqfqd"
