"""The local runner's snapshot file: read once, rewritten atomically after every snapshot event.

Why atomic (temp file in the same directory, fsync, ``os.replace``): a run killed mid-write must leave
either the old snapshot or the new one, never half a JSON document the next run cannot read.
``apply`` follows sailor-nodejs: ``snapshot`` replaces the whole snapshot, ``updateSnapshot``
shallow-merges a plain object into it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import SdkError


def apply(snapshot: Any, event: str, payload: Any) -> Any:
    """The snapshot after ``event`` (``snapshot`` or ``updateSnapshot``)."""
    if event == "snapshot":
        return payload
    if event == "updateSnapshot":
        base = snapshot if isinstance(snapshot, dict) else {}
        return {**base, **payload}
    raise ValueError(f"{event!r} is not a snapshot event")


def read(path: Path, default: Any = None) -> Any:
    """The snapshot stored at ``path``, or ``default`` (``{}``) when the file does not exist yet."""
    if not path.exists():
        return {} if default is None else default
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SdkError(f"snapshot file {path} is not valid JSON ({exc}); fix or delete it to start afresh") from None


def write(path: Path, snapshot: Any) -> None:
    """Replace ``path`` with ``snapshot`` as JSON, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(snapshot, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
