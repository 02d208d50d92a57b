"""The signing (签约) rules of the resident schemes: who is signed where on a day, and may they change.

Pure functions over typed records; the figures that differ between policies live in
``resources/signing/*.toml``. Employee schemes have no signing.
"""

from desktop.signing.apply import apply_decision
from desktop.signing.decide import decide
from desktop.signing.in_force import Signed, missing_roles, signed_on, signing_on
from desktop.signing.rules import (
    NoSigningRulesError,
    SigningFileError,
    SigningRulebook,
    SigningRules,
    default_signing_rules,
    load_signing_rules,
)
from desktop.signing.types import (
    ChangeRequest,
    Decision,
    Grounds,
    Origin,
    ResidenceFacility,
    Role,
    SigningHistory,
    SigningInputError,
    SigningRecord,
)

__all__ = [
    "ChangeRequest",
    "Decision",
    "Grounds",
    "NoSigningRulesError",
    "Origin",
    "ResidenceFacility",
    "Role",
    "Signed",
    "SigningFileError",
    "SigningHistory",
    "SigningInputError",
    "SigningRecord",
    "SigningRulebook",
    "SigningRules",
    "apply_decision",
    "decide",
    "default_signing_rules",
    "load_signing_rules",
    "missing_roles",
    "signed_on",
    "signing_on",
]
