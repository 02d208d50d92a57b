"""The copay engine: policy parameters as dated data and the quote for one visit."""

from desktop.policy.engine import quote
from desktop.policy.parameters import (
    NotInForceError,
    PolicyBook,
    PolicyFileError,
    PolicyVersion,
    UnknownPolicyError,
    default_book,
    load_book,
)

__all__ = [
    "NotInForceError",
    "PolicyBook",
    "PolicyFileError",
    "PolicyVersion",
    "UnknownPolicyError",
    "default_book",
    "load_book",
    "quote",
]
