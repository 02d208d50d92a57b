"""The chronic-disease schemes' diseases as the agency names them: national code and name, as data.

``resources/agency/chronic_diseases.toml`` maps the roster's own names for a certified
disease (``hypertension``) to the national 门诊慢特病病种 code and name that 2203's
``dise_codg``/``dise_name`` and 2204's ``dise_codg`` carry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from desktop.agency.wire import ProtocolError


@dataclass(frozen=True, slots=True)
class ChronicDisease:
    key: str  # the roster's and the policy engine's name
    code: str  # 门诊慢特病病种目录代码
    name: str


@cache
def chronic_diseases() -> dict[str, ChronicDisease]:
    text = resources.files("resources").joinpath("agency/chronic_diseases.toml").read_text("utf-8")
    return {key: ChronicDisease(key, entry["code"], entry["name"]) for key, entry in tomllib.loads(text).items()}


def disease(key: str) -> ChronicDisease:
    """The national code and name of a certified disease; ``ProtocolError`` for one the data lacks."""
    found = chronic_diseases().get(key)
    if found is None:
        raise ProtocolError(
            "dise_codg", f"{key!r} has no national chronic-disease code in resources/agency/chronic_diseases.toml"
        )
    return found


def by_code(code: str) -> ChronicDisease | None:
    return next((d for d in chronic_diseases().values() if d.code == code), None)
