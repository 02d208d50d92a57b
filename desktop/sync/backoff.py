"""How long to wait after the agency failed to answer: exponential, capped, with jitter.

Jitter spreads the retries of many clinics coming back online at once (after a line
fault in a township, every village clinic reconnects in the same minute). Half of each
delay is fixed and half random ("equal jitter"), so a retry never comes at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 1.0  # seconds after the first failure
    factor: float = 2.0
    cap: float = 300.0  # never wait longer than this between tries

    def __post_init__(self) -> None:
        if not 0 < self.base <= self.cap or self.factor < 1:
            raise ValueError(f"backoff needs 0 < base <= cap and factor >= 1, not {self}")

    def ceiling(self, failures: int) -> float:
        """The longest wait after ``failures`` failures in a row (1 or more)."""
        exponent = min(max(failures, 1) - 1, 64)  # far past the cap; keeps the power finite
        return min(self.cap, self.base * self.factor**exponent)

    def delay(self, failures: int, rng: random.Random) -> float:
        ceiling = self.ceiling(failures)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)
