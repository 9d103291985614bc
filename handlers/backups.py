"""Scheduled backups: a verified copy of the database into MAMORU_BACKUP_DIR, the oldest pruned.

Each copy is `mamoru-YYYYmmdd-HHMMSS.db` (JST), taken with storage.audit.backup (SQLite's online
backup API, then PRAGMA quick_check and the whole audit chain checked on the copy). Only files of
that shape are ever pruned, so nothing else kept in the folder is touched. The folder is created
with mode 700 and each copy made 600: a backup holds everything the database holds.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path

from handlers import workdays

PATTERN = re.compile(r"^mamoru-(\d{8})-(\d{6})\.db$")


def backups(folder: Path) -> list[Path]:
    """The scheduled backups in the folder, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if PATTERN.match(p.name) and p.is_file())


def latest(folder: Path) -> tuple[Path, _dt.datetime] | None:
    """The newest backup and when it was taken (from its name, JST), or None."""
    found = backups(folder)
    if not found:
        return None
    m = PATTERN.match(found[-1].name)
    when = _dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S").replace(tzinfo=workdays.JST)
    return found[-1], when


def run(db_path: Path, folder: Path, keep: int, now: _dt.datetime | None = None) -> dict:
    """Take one backup and prune to the newest `keep`; returns what happened (no personal data)."""
    from storage import audit
    from storage.db import open_db

    now = workdays.local(now or workdays.now())
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    dest = folder / f"mamoru-{now:%Y%m%d-%H%M%S}.db"
    db = open_db(db_path)
    try:
        r = audit.backup(db, str(dest))
    finally:
        db.conn.close()
    os.chmod(dest, 0o600)
    ok = r.get("quick_check") == "ok" and r["verification"].ok
    removed = []
    if ok:        # a bad copy never pushes a good one out
        for old in backups(folder)[:-keep] if keep > 0 else []:
            old.unlink()
            removed.append(old.name)
    return {"path": str(dest), "bytes": r["bytes"], "ok": ok, "quick_check": r.get("quick_check"),
            "chain_ok": r["verification"].ok, "removed": removed, "seconds": round(r["seconds"], 3)}
