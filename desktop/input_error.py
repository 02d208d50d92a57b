"""Bad input named by its field, and a value cut short enough to repeat in the message.

Every contract's reader (the quote codec, the shared JSON reader, settle's and fund's
readers) raises ``InputError``; a command prints ``as_json()`` and exits 2.
"""

from __future__ import annotations

_SHOWN = 40


class InputError(ValueError):
    """Bad input: what is wrong, in plain words, and the dotted path of the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_json(self) -> dict[str, str]:
        return {"error": f"{self.field}: {self.message}", "field": self.field}


def show(text: str, limit: int = _SHOWN) -> str:
    """``text`` quoted for a message, cut at ``limit`` characters with its length said."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def field_name(key: str, limit: int = _SHOWN) -> str:
    """A key as one step of a dotted field path: a huge key is cut, so no error repeats it whole."""
    return key if len(key) <= limit else f"{key[:limit]}…"
