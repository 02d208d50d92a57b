"""One sync at a time per store: the counter's own relay and a ``clinic-pos sync`` would
send the same rows twice over. The agency would book nothing twice (it answers a repeated
msgid from its books), but each would waste the other's calls and muddle the report.

The lease is a row in ``setting``, taken and released in write transactions. A sync
killed mid-run leaves it behind: on the same machine the next sync sees that its holder's
process is gone and takes it over; from another machine (counters sharing a PostgreSQL
store) it expires after ``LEASE``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid

from sqlalchemy import delete, select

from db.models import Setting
from db.session import Store

LEASE_KEY = "sync.lease"
LEASE = dt.timedelta(minutes=10)


class SyncBusyError(Exception):
    """Another sync holds the store."""


class Lease:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def take(self, now: dt.datetime) -> None:
        """Take or renew the lease, or ``SyncBusyError`` naming who holds it."""
        with self.store.writing() as session:
            held = session.scalar(select(Setting.value).where(Setting.key == LEASE_KEY))
            if held is not None:
                current = json.loads(held)
                until = dt.datetime.fromisoformat(current["until"])
                if current["holder"] != self.holder and until > now and _alive(current["holder"]):
                    raise SyncBusyError(
                        f"another sync ({current['holder']}) is running until {until:%H:%M:%S} UTC at the latest"
                    )
            value = json.dumps({"holder": self.holder, "until": (now + LEASE).isoformat()})
            session.merge(Setting(key=LEASE_KEY, value=value))

    def release(self) -> None:
        with self.store.writing() as session:
            held = session.scalar(select(Setting.value).where(Setting.key == LEASE_KEY))
            if held is not None and json.loads(held)["holder"] == self.holder:
                session.execute(delete(Setting).where(Setting.key == LEASE_KEY))


def _alive(holder: str) -> bool:
    """Whether the process holding the lease may still be running (elsewhere: assume so)."""
    host, pid, _ = holder.split(":", 2)
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True
