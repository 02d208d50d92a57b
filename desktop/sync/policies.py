"""Policy parameter updates: the agency's published policy files, installed beside the shipped ones.

The national interface carries no parameters, so the agency publishes its policy files
(the same TOML as ``resources/policies/``, one per version with its effective date and
articles) beside the interface: ``GET {agency}/policies/`` lists them with their SHA-256,
``GET {agency}/policies/{name}`` is the file. A file is installed only when its digest
matches and the whole book still loads with it — a malformed file is refused with the
file, the key and what is wrong, and the files already installed stay as they were.
Installed files take effect for visits on and after their ``effective_from``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx

from desktop.policy.parameters import downloaded_policy_dir, load_book

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.toml")


__all__ = ["PolicyUpdate", "download_policies", "downloaded_policy_dir"]


@dataclass
class PolicyUpdate:
    installed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "name: why"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def index_url(agency_url: str) -> str:
    return urljoin(agency_url.rstrip("/") + "/", "policies/")


def download_policies(http: httpx.Client, agency_url: str, folder: Path) -> PolicyUpdate:
    """Fetch what changed since the last time; ``httpx.HTTPError`` when the agency is silent."""
    update = PolicyUpdate()
    response = http.get(index_url(agency_url))
    if response.status_code == 404:
        return update  # this agency publishes no parameter files
    response.raise_for_status()
    listed = response.json().get("files", [])
    for entry in listed if isinstance(listed, list) else []:
        name, digest = entry.get("name"), entry.get("sha256")
        if not isinstance(name, str) or SAFE_NAME.fullmatch(name) is None or not isinstance(digest, str):
            update.refused.append(f"{name!r}: not a policy file name with a digest")
            continue
        present = folder / name
        if present.exists() and _digest(present.read_bytes()) == digest:
            continue
        data = http.get(index_url(agency_url) + name).raise_for_status().content
        if _digest(data) != digest:
            update.refused.append(f"{name}: the file does not match its published digest")
            continue
        why = _refusal(folder, name, data)
        if why is not None:
            update.refused.append(f"{name}: {why}")
            continue
        _install(folder, name, data)
        update.installed.append(name)
    return update


def _refusal(folder: Path, name: str, data: bytes) -> str | None:
    """Why the book would not load with this file among the installed ones, or None."""
    with tempfile.TemporaryDirectory() as trial:
        if folder.is_dir():
            for existing in folder.glob("*.toml"):
                shutil.copy(existing, Path(trial) / existing.name)
        (Path(trial) / name).write_bytes(data)
        try:
            load_book([trial])
        except ValueError as exc:  # PolicyFileError names the file, the key and what is wrong
            return str(exc).replace(trial, str(folder))
    return None


def _install(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / name)  # a reader sees the old file or the new, never half of one
