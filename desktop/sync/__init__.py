"""Sync with the agency: the relay that drains the outbox, and what it brings back.

Qt-free: ``desktop.ui.sync_worker`` runs the relay on a worker thread for the window,
``clinic-pos sync`` runs it once from the command line.
"""

from desktop.sync.client import AgencyBusy, AgencyClient, AgencyUnreachable, OutcomeUnknown
from desktop.sync.credentials import CredentialsError, FixedCredentials, KeyringCredentials
from desktop.sync.relay import Relay
from desktop.sync.report import SyncReport
from desktop.sync.sessions import Operator

__all__ = [
    "AgencyBusy",
    "AgencyClient",
    "AgencyUnreachable",
    "CredentialsError",
    "FixedCredentials",
    "KeyringCredentials",
    "Operator",
    "OutcomeUnknown",
    "Relay",
    "SyncReport",
]
