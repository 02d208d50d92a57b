"""The upload gives way to the clerk. Qt-free.

The relay runs on a thread of the window's own process, and every key the clerk types
runs Python on the GUI thread: the two share one interpreter lock. During a long upload
(the demo's first start sends a year of records) each agency call and each batch of
answers holds that lock for a while, and typing an item waited twice as long for its
quote. So while keys or clicks are coming in, the relay makes one call per ``gap_s`` at
most; once the clerk has been still for ``quiet_s``, it goes at full speed again. The
upload never stops altogether: a clerk typing all day still sees the count go down.

The relay sends several settlements at once from a few threads; while the clerk types
they take turns, so it is one call per ``gap_s`` in all, not one per thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

QUIET_S = 1.0
GAP_S = 0.1


class Pace:
    def __init__(
        self, quiet_s: float = QUIET_S, gap_s: float = GAP_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.quiet_s = quiet_s
        self.gap_s = gap_s
        self.clock = clock
        self.last_input = -quiet_s  # a plain float: written on the GUI thread, read on the relay's
        self.waited = 0  # calls held back, for the curious and the tests
        self._turns = threading.Lock()  # the relay's threads, one at a time while the clerk types

    def touch(self) -> None:
        """A key or a click, on the GUI thread."""
        self.last_input = self.clock()

    def before_call(self, stop: threading.Event) -> None:
        """On a relay thread, before each call to the agency."""
        if self.clock() - self.last_input >= self.quiet_s:
            return
        with self._turns:
            if self.clock() - self.last_input < self.quiet_s:
                self.waited += 1
                stop.wait(self.gap_s)  # releases the GIL; closing the window cuts it short
