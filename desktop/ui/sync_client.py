"""The agency client as the window's relay uses it: each call waits its turn behind the clerk.

Imported on the sync worker's thread only (it brings in httpx): see ``desktop.ui.pace``.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from desktop.agency import AgencyRefusedError, Reply, Sender
from desktop.agency.messages import Message
from desktop.agency.wire import ProtocolError
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

    def send(self, sender: Sender, message: Message, msgid: str, insuplc_admdvs: str = "") -> Reply:
        try:
            envelope = self.envelope(sender, message, msgid, insuplc_admdvs)
        except ProtocolError as exc:
            # A record that cannot be put in an envelope (a visit settled with no diagnosis
            # has no 2203 ``diseinfo``) is set aside like a refused one. The relay catches
            # this only while building the message, not here: uncaught, it ended every run
            # at that record and held back every record behind it, day after day.
            raise AgencyRefusedError(-1, f"cannot build {message.infno}: {exc}") from None
        return self.post(envelope)

    def post(self, envelope: dict[str, Any]) -> Reply:
        self._pace.before_call(self._stop)
        return super().post(envelope)
