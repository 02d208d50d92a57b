"""clinic-pos: the counter program for township health centres and village clinics.

The domain core (policy engine, identity, settlement, ledger, sync) lives here and
imports no Qt; ``desktop.ui`` is the only package that does.
"""

__version__ = "0.1.0"
