"""A reader that hands out prepared reads in turn: for demos, training and tests."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from desktop.identity.reads import CardRead, ReaderError, ReaderProblem


class SimulatedReader:
    """Each ``read()`` takes the next queued read; a queued ``ReaderError`` is raised in its turn."""

    def __init__(self, reads: Iterable[CardRead | ReaderError] = ()) -> None:
        self._queue: deque[CardRead | ReaderError] = deque(reads)

    def put(self, read: CardRead | ReaderError) -> None:
        self._queue.append(read)

    def __len__(self) -> int:
        return len(self._queue)

    def read(self) -> CardRead:
        if not self._queue:
            raise ReaderError(ReaderProblem.NO_CARD, "请刷卡或扫码", "the simulated reader has no more reads queued")
        item = self._queue.popleft()
        if isinstance(item, ReaderError):
            raise item
        return item
