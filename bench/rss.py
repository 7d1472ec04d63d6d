"""This process's own peak resident set size, for the benchmarks that run in a child process.

``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is not it: Linux carries ``ru_maxrss`` across
``execve``, and ``subprocess`` spawns with vfork, so a fresh child reports its *parent's* peak (a
parent holding a 30,000-order sandbox makes every child look 100+ MB). ``VmHWM`` in
``/proc/self/status`` is the high-water mark of this process's own memory map, which exec replaces.
Elsewhere, ``ru_maxrss`` is the fallback (KiB on Linux, bytes on macOS).
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """Peak RSS of this process so far, in MiB (one decimal)."""
    if STATUS.exists():
        for line in STATUS.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # "VmHWM:   123456 kB"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
