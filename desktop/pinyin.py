"""Pinyin initials of a Chinese name, the way a clerk types to find it (``阿莫西林胶囊`` → ``amxljn``)."""

from __future__ import annotations


def initials(name: str) -> str:
    """Lower-case initials; letters and digits in the name are kept as they are."""
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only where a catalogue is searched or stored

    return "".join(part[:1] for part in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
