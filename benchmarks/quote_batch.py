"""`clinic-pos quote --batch` beside a plain implementation of the same contract, in the same run.

The visits cover all five shipped policies: residents at their own facility, at a village
clinic under it, on referral or in an emergency elsewhere, out of the city; employees at
every hospital level and at pharmacies, before and after retirement, at home and away
(with and without 异地备案); mixed items of every kind and class, year-to-date figures from
nothing to past the cap. Three programs read the same file, each as a real process pinned
to the same core, in turn, ``--repeat`` times: the engine with its explanations, the engine
with ``--no-explain``, and ``benchmarks/naive_quote.py`` (dicts, the standard library's json,
no explanation, no checking of its input). Each is timed by the wall clock and by the CPU
time the process used; the ratios engine/baseline are printed for every round, with the
best, the median and the worst, since other work on this shared machine moves them. The
baseline's answers are checked against the engine's, figure by figure.
Targets: with explanations at least 1.5× the baseline, ``--no-explain`` at least 3×;
start-up of a one-visit quote under 0.3 s.

    .venv/bin/python benchmarks/quote_batch.py [--visits 100000] [--repeat 5] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
NAIVE = Path(__file__).resolve().parent / "naive_quote.py"
TARGET_EXPLAINED = 1.5  # × the baseline's rate
TARGET_LEAN = 3.0
TARGET_STARTUP = 0.3

RESIDENT_FACILITIES = {
    "nanchang-resident": [("T01", "township_health_center", None), ("V01", "village_clinic", "T01")],
    "shaoguan-resident": [("T10", "township_health_center", None), ("V10", "village_clinic", "T10")],
    "hunan-resident": [("V20", "village_clinic", "T20"), ("T20", "township_health_center", None)],
}
ELSEWHERE = [
    ("Z01", "county_tcm_hospital", 2),
    ("H02", "hospital", 2),
    ("H03", "hospital", 3),
    ("T99", "township_health_center", 1),
]
ITEMS = [
    ("X01", "阿莫西林胶囊", "drug", "A"),
    ("X02", "复方甘草片", "drug", "B"),
    ("X03", "进口维生素", "drug", "C"),
    ("Z01", "板蓝根颗粒", "tcm_drug", "A"),
    ("Z02", "中药饮片", "tcm_drug", "B"),
    ("E01", "血常规", "exam", "A"),
    ("E02", "心电图", "exam", "B"),
    ("T01", "静脉输液", "treatment", "A"),
    ("T02", "针灸", "tcm_treatment", "A"),
    ("T03", "推拿", "tcm_treatment", "B"),
    ("M01", "一次性注射器", "material", "B"),
    ("F01", "一般诊疗费", "consultation_fee", "A"),
]


def _money(rng: random.Random, low: int, high: int) -> str:
    fen = rng.randint(low * 100, high * 100)
    return f"{fen // 100}.{fen % 100:02d}"


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _items(rng: random.Random) -> list[dict[str, str]]:
    chosen = rng.sample(ITEMS, rng.randint(1, 6))
    return [
        {
            "code": code,
            "name": name,
            "kind": kind,
            "class": cls,
            "amount": _money(rng, 1, 20 if kind == "consultation_fee" else 300),
        }
        for code, name, kind, cls in chosen
    ]


def _resident(rng: random.Random, policy: str, visit_date: dt.date) -> dict[str, Any]:
    own = RESIDENT_FACILITIES[policy]
    signed = [fid for fid, _, _ in own]
    roll = rng.random()
    if roll < 0.75:
        fid, kind, parent = rng.choice(own)
        facility: dict[str, Any] = {"id": fid, "kind": kind, "level": 1, "parent_id": parent, "in_city": True}
    else:
        fid, kind, level = rng.choice(ELSEWHERE)
        facility = {"id": fid, "kind": kind, "level": level, "parent_id": None, "in_city": rng.random() > 0.2}
    newborn = rng.random() < 0.05
    birth = visit_date - dt.timedelta(days=rng.randrange(1, 200)) if newborn else dt.date(rng.randint(1940, 2015), 6, 1)
    return {
        "patient": {
            "birth_date": birth.isoformat(),
            "category": "newborn" if newborn else rng.choice(["general"] * 19 + ["university_student"]),
            "poverty_registered": rng.random() < 0.1,
            "family_doctor": rng.random() < 0.3,
            "contracted_facilities": signed if policy == "shaoguan-resident" else signed[:1],
            "enrolled_on": (birth + dt.timedelta(days=rng.randrange(0, 300))).isoformat() if newborn else None,
            "chronic_diseases": ["hypertension"] if rng.random() < 0.1 else [],
        },
        "facility": facility,
        "visit": {"referral": roll > 0.8, "emergency": 0.75 < roll < 0.8},
        "year_to_date": {
            "deductible_met": "0.00",
            "fund_paid": _money(rng, 0, 320),
            "fund_paid_out_of_city": _money(rng, 0, 60) if rng.random() < 0.2 else "0.00",
        },
    }


def _employee(rng: random.Random, visit_date: dt.date) -> dict[str, Any]:
    retired = rng.random() < 0.4
    if rng.random() < 0.15:
        facility: dict[str, Any] = {"id": "P01", "kind": "pharmacy", "level": 1}
    else:
        level = rng.choice([1, 1, 2, 3])
        facility = {"id": f"H{level}", "kind": "hospital" if level > 1 else "township_health_center", "level": level}
    facility["in_city"] = rng.random() > 0.05
    facility["designated"] = rng.random() > 0.02
    filed = not facility["in_city"] and rng.random() < 0.5  # 异地安置 or 转诊备案 on file
    return {
        "patient": {
            "birth_date": dt.date(rng.randint(1950, 2000), 3, 1).isoformat(),
            "employment": "retired" if retired else "active",
            "retired_on": _day(rng, visit_date.year).isoformat() if retired and rng.random() < 0.3 else None,
            "account_balance": _money(rng, 0, 2000),
            "chronic_diseases": ["diabetes"] if rng.random() < 0.05 else [],
        },
        "facility": facility,
        "visit": {
            "liability": "third_party" if rng.random() < 0.02 else None,
            "inpatient": rng.random() < 0.02,
            "filed_out_of_area": filed,
        },
        "year_to_date": {
            "deductible_met": rng.choice(["0.00", _money(rng, 0, 600), "600.00"]),
            "fund_paid": rng.choice(["0.00", _money(rng, 0, 2000)]),
            "fund_paid_out_of_city": "0.00",
        },
        "pay_from_account": rng.random() > 0.1,
    }


def visit(rng: random.Random) -> dict[str, Any]:
    policy = rng.choice(
        ["nanchang-resident", "shaoguan-resident", "hunan-resident", "nanchang-employee", "nanchong-employee"]
    )
    visit_date = _day(rng, rng.choice([2024, 2025]))
    parts = _employee(rng, visit_date) if policy.endswith("employee") else _resident(rng, policy, visit_date)
    parts["patient"]["birth_date"] = min(parts["patient"]["birth_date"], visit_date.isoformat())
    parts["facility"]["id"] = parts["facility"]["id"]
    parts["visit"]["items"] = _items(rng)
    parts["visit"]["disease"] = "hypertension" if rng.random() < 0.05 else None
    return {"policy": policy, "visit_date": visit_date.isoformat(), **parts}


def write_visits(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(json.dumps(visit(rng), ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")


def command() -> list[str]:
    script = Path(sys.executable).with_name("clinic-pos")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})  # children inherit it
    return f"pinned to core {core}"


class Timed(NamedTuple):
    wall: float
    cpu: float  # user and system time of the process


def time_batch(program: list[str], visits: Path, out: Path) -> Timed:
    """One run of ``program`` over the visits, writing its answers to ``out``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with visits.open("rb") as source, out.open("wb") as sink:
        start = time.perf_counter()
        subprocess.run(program, stdin=source, stdout=sink, check=True, cwd=REPO)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timed(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def time_startup(one: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command(), "quote", str(one)], stdout=subprocess.DEVNULL, check=True, cwd=REPO)
        times.append(time.perf_counter() - start)
    return times


def load() -> str:
    if not hasattr(os, "getloadavg"):
        return "load average: unknown"
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def summarise(out: Path, count: int) -> str:
    lines = out.read_text(encoding="utf-8").splitlines()
    if len(lines) != count:
        raise SystemExit(f"expected {count} result lines, got {len(lines)}")
    rows = [json.loads(line) for line in lines]
    errors = sum(1 for row in rows if "error" in row)
    covered = sum(1 for row in rows if row.get("covered"))
    capped = sum(1 for row in rows if row.get("reason") == "cap_reached")
    return f"{count - errors:,} quotes ({covered:,} covered, {capped:,} cap reached), {errors:,} errors"


def disagreements(engine: Path, naive: Path) -> int:
    """Answers where the baseline's figures are not the engine's (the explanation and items aside)."""
    differ = 0
    with engine.open(encoding="utf-8") as ours, naive.open(encoding="utf-8") as theirs:
        for mine, plain in zip(ours, theirs, strict=True):
            figures = {k: v for k, v in json.loads(mine).items() if k not in ("explanation", "items")}
            differ += figures != json.loads(plain)
    return differ


def spread(values: list[float]) -> str:
    return f"best {max(values):.2f}×, median {statistics.median(values):.2f}×, worst {min(values):.2f}×"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="start-up runs; the median is reported")
    parser.add_argument("--seed", type=int, default=20240510)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three programs")
    args = parser.parse_args()

    engine = [*command(), "quote", "--batch"]
    programs = {
        "engine": engine,
        "engine --no-explain": [*engine, "--no-explain"],
        "baseline": [sys.executable, str(NAIVE)],
    }
    print(f"quote --batch beside the baseline, {args.visits:,} visits; {pin_to_one_core()}; {' '.join(command()[:1])}")
    print(load())
    times: dict[str, list[Timed]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as tmp:
        visits, one = Path(tmp, "visits.jsonl"), Path(tmp, "one.json")
        outs = {name: Path(tmp, f"{index}.jsonl") for index, name in enumerate(programs)}
        write_visits(visits, args.visits, args.seed)
        one.write_text(visits.read_text(encoding="utf-8").split("\n", 1)[0], encoding="utf-8")
        startup = statistics.median(time_startup(one, args.runs))
        for round_number in range(1, max(1, args.repeat) + 1):
            for name, program in programs.items():
                times[name].append(time_batch(program, visits, outs[name]))
            row = "  ".join(f"{name} {args.visits / times[name][-1].cpu:,.0f}/s" for name in programs)
            print(f"round {round_number} (per CPU second): {row}; {load()}")
        print(summarise(outs["engine"], args.visits))
        print(f"baseline's figures differing from the engine's: {disagreements(outs['engine'], outs['baseline']):,}")
    base = times["baseline"]
    met = True
    for name, target in (("engine", TARGET_EXPLAINED), ("engine --no-explain", TARGET_LEAN)):
        by_cpu = [b.cpu / t.cpu for t, b in zip(times[name], base, strict=True)]
        by_wall = [b.wall / t.wall for t, b in zip(times[name], base, strict=True)]
        rate = args.visits / min(t.cpu for t in times[name])
        print(f"{name}: {rate:,.0f} quotes per CPU second at best; × baseline by CPU time {spread(by_cpu)}")
        print(f"{' ' * len(name)}  × baseline by the wall clock {spread(by_wall)}  target >= {target}×")
        met = met and statistics.median(by_cpu) >= target
    print(f"baseline: {args.visits / min(t.cpu for t in base):,.0f} quotes per CPU second at best")
    wanted = f"target < {TARGET_STARTUP * 1000:.0f} ms"
    print(f"start-up of a one-visit quote: {startup * 1000:.0f} ms (median of {args.runs})  {wanted}")
    met = met and startup < TARGET_STARTUP
    print("targets met" if met else "below target")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
