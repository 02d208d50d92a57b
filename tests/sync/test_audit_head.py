"""The audit chain's head leaves the machine with every sync, and sync keeps the chain whole.

The relay's sign-in (9001) carries the head in the envelope's 设备安全信息 (``dev_safe_info``),
which the sandbox agency keeps; ``clinic-pos audit verify --head`` checks a store against it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.audit import Head, read_head
from db.audit_verify import verify
from db.session import Store
from desktop.sandbox.server import SandboxServer
from desktop.settlement import reverse
from desktop.sync.relay import Relay
from desktop.sync.sessions import AUDIT_HEAD_PREFIX
from tests.sync.helpers import FIRST_DAY, Visits
from tests.sync.test_relay import NOW


def test_each_sync_sends_the_head_and_sync_breaks_no_seal(
    store: Store, agency: SandboxServer, relay: Relay, visits: Visits, tmp_path: Path
) -> None:
    settled = visits.days(FIRST_DAY, 1, 4)
    reverse(store, settled[0], "录入错误", staff_id=1, now=NOW)
    with store.reading() as session:
        before = read_head(session.connection())
    assert relay.run().complete
    with sqlite3.connect(tmp_path / "agency.sqlite3") as kept:
        sent = [row[0] for row in kept.execute("SELECT head FROM audit_head ORDER BY id")]
    assert sent  # one per facility signed in
    heads = [Head(int(text.split()[1].split(":")[0]), text.split(":")[1]) for text in sent]
    assert all(text.startswith(AUDIT_HEAD_PREFIX) for text in sent)
    assert all(head.seq >= before.seq for head in heads)
    with store.reading() as session:
        for head in heads:  # each is an entry of the clinic's chain, as it stands after the sync
            assert verify(session.connection(), expected=head, recent=1).ok
        # The agency's answers changed statuses and delivery states: none of it sealed, the chain whole.
        whole = verify(session.connection())
    assert whole.ok, whole.first
