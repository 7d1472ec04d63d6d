"""Injected faults, off by default, switchable at run time, drawn from a seeded random source.

Each MWS call that passes authentication draws exactly four numbers (throttle, error,
disconnect, slow) whatever the settings, so a seed replays the same faults for the same call
sequence. A throttle fault answers 503 RequestThrottled, an error fault 500 InternalError (both
before the call has any effect); a disconnect drops the connection after the call took effect
(the realistic, dangerous case for non-idempotent calls); a slow fault delays the answer.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

RATES = ("throttleRate", "errorRate", "disconnectRate", "slowRate")
MAX_SLOW_SECONDS = 600.0


@dataclass
class FaultSettings:
    throttleRate: float = 0.0
    errorRate: float = 0.0
    disconnectRate: float = 0.0
    slowRate: float = 0.0
    slowSeconds: float = 2.0


@dataclass(frozen=True)
class Draw:
    throttle: bool = False
    error: bool = False
    disconnect: bool = False
    delay: float = 0.0


def _number(name: str, value: object, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= upper:
        raise ValueError(f"fault setting '{name}' must be a number from 0 to {upper:g}, got {value!r}")
    return float(value)


class Faults:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.settings = FaultSettings()

    def configure(self, **changes: object) -> dict:
        """Change some settings (the others stay); unknown names and out-of-range values are refused."""
        known = (*RATES, "slowSeconds")
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown fault setting '{name}'; use {', '.join(known)}")
            upper = MAX_SLOW_SECONDS if name == "slowSeconds" else 1.0
            setattr(self.settings, name, _number(name, value, upper))
        return self.as_dict()

    def as_dict(self) -> dict:
        return asdict(self.settings)

    def draw(self) -> Draw:
        s = self.settings
        throttle, error, disconnect, slow = (self.rng.random() for _ in range(4))
        return Draw(throttle < s.throttleRate, error < s.errorRate, disconnect < s.disconnectRate,
                    s.slowSeconds if slow < s.slowRate else 0.0)
