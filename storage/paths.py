"""Where mamoru's database lives (MAMORU_DB, else the per-user data directory), with the standard
library alone, so short commands can find the file before anything heavy is imported."""
from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    """MAMORU_DB, else the per-user data directory (XDG)."""
    env = os.environ.get("MAMORU_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mamoru" / "mamoru.db"
