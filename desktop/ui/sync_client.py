"""The agency client as the window's relay uses it: each call waits its turn behind the clerk.

Imported on the sync worker's thread only (it brings in httpx): see ``desktop.ui.pace``.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from desktop.agency import Reply
from desktop.sync.client import AgencyClient
from desktop.sync.credentials import Credentials
from desktop.ui.pace import Pace


class PacedClient(AgencyClient):
    def __init__(
        self, url: str, credentials: Credentials, *, http: httpx.Client, pace: Pace, stop: threading.Event
    ) -> None:
        super().__init__(url, credentials, http=http)
        self._pace = pace
        self._stop = stop

    def post(self, envelope: dict[str, Any]) -> Reply:
        self._pace.before_call(self._stop)
        return super().post(envelope)
