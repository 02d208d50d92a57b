"""The diagnosis catalogue the counter's diagnosis box searches: by code, pinyin initials or name.

Three sources, merged by code: the common outpatient diagnoses shipped with the program
(``resources/diagnoses/common.tsv``), the agency's catalogue once downloaded (1307, in
``diagnosis_catalogue``: its name wins, and a code it withdraws is no longer offered),
and what this clinic has written before, counted, so that the clinic's own habits come
first. Qt-free.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.session import Store

MAX_MATCHES = 12
_NOT_INITIAL = re.compile(r"[^0-9a-z]")


@dataclass(frozen=True, slots=True)
class DiagnosisChoice:
    """One diagnosis the box can offer; ``uses`` is how often this clinic has written it."""

    code: str
    name: str
    initials: str
    uses: int = 0
    rank: int = 0  # the shipped file's order, most common first; after it, by code

    @property
    def text(self) -> str:
        """As the box and its list show it: code, then name."""
        return f"{self.code} {self.name}".strip()


def initials_of(name: str) -> str:
    """``急性上呼吸道感染`` → ``jxshxdgr``: each Chinese character's first pinyin letter;
    Latin letters and digits are kept, lower case, and everything else dropped."""
    from pypinyin import Style, lazy_pinyin

    return _NOT_INITIAL.sub("", "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower())


@cache
def shipped() -> tuple[DiagnosisChoice, ...]:
    """The shipped catalogue, in its file's order."""
    text = resources.files("resources").joinpath("diagnoses", "common.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(DiagnosisChoice(code, name, initials, rank=n) for n, (code, name, initials) in enumerate(rows))


def merge(
    downloaded: Iterable[tuple[str, str, str, bool]], written: Iterable[tuple[str, str, int]]
) -> list[DiagnosisChoice]:
    """The shipped catalogue, then the agency's ``(code, name, initials, active)``, then the
    clinic's own ``(code, name, uses)``; ordered by use, then as shipped, then by code."""
    by_code = {choice.code: choice for choice in shipped()}
    after = len(by_code)
    for code, name, initials, active in downloaded:
        if not active:
            by_code.pop(code, None)
            continue
        known = by_code.get(code)
        rank = after if known is None else known.rank
        by_code[code] = DiagnosisChoice(code, name, initials or initials_of(name), rank=rank)
    choices = list(by_code.values())
    by_text = {choice.text: n for n, choice in enumerate(choices)}
    for code, name, uses in written:
        line = DiagnosisChoice(code, name, "", uses, rank=after)
        found = by_text.get(line.text)
        if found is not None:
            choices[found] = replace(choices[found], uses=choices[found].uses + uses)
        elif code.strip() and name.strip():  # an uncoded one can never be settled: not offered
            by_text[line.text] = len(choices)
            choices.append(replace(line, initials=initials_of(name)))
    return sorted(choices, key=lambda c: (-c.uses, c.rank, c.code))


def load_diagnoses(store: Store, limit: int = 2000) -> list[DiagnosisChoice]:
    """Everything the diagnosis box offers, read from the store and the shipped file."""
    from sqlalchemy import func, select

    from db.models import Diagnosis, DiagnosisEntry

    with store.reading() as session:
        downloaded = session.execute(
            select(DiagnosisEntry.code, DiagnosisEntry.name, DiagnosisEntry.initials, DiagnosisEntry.active)
        ).all()
        written = session.execute(
            select(Diagnosis.code, Diagnosis.name, func.count())
            .group_by(Diagnosis.code, Diagnosis.name)
            .order_by(func.count().desc(), Diagnosis.code)
            .limit(limit)
        ).all()
    return merge(
        ((code, name, initials, active) for code, name, initials, active in downloaded),
        ((code, name, int(uses)) for code, name, uses in written),
    )


def search(choices: Sequence[DiagnosisChoice], typed: str, limit: int = MAX_MATCHES) -> list[DiagnosisChoice]:
    """Matches for what was typed: the code (with or without its dot), the pinyin initials
    (``jxsh``) or a fragment of the name (``感冒``). Exact matches first, then prefixes,
    then the rest; within each, what the clinic writes most, then the most common."""
    text = typed.strip().lower()
    if not text:
        return []
    undotted = text.replace(".", "")
    ranked = []
    for choice in choices:
        rank = _rank(choice, text, undotted)
        if rank is not None:
            ranked.append((rank, -choice.uses, choice.rank, choice.code, choice))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked[:limit]]


def _rank(choice: DiagnosisChoice, text: str, undotted: str) -> int | None:
    code = choice.code.lower()
    bare = code.replace(".", "")
    if text in (code, bare) or choice.text.lower() == text:
        return 0
    if choice.initials == text:
        return 1
    if code.startswith(text) or (undotted and bare.startswith(undotted)):
        return 2
    if choice.initials.startswith(text):
        return 3
    if text in choice.name.lower():
        return 4
    if len(text) > 1 and text in choice.initials:
        return 5
    return None
