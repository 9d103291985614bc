"""Settings from environment variables (documented in the README), read once at start."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from storage.paths import default_path

DEFAULT_BACKUP_KEEP = 14
DEFAULT_BACKUP_TIME = "03:00"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    tz: str
    bot_token: str | None
    app_token: str | None
    signing_secret: str | None
    api_url: str | None
    backup_dir: Path | None = None      # MAMORU_BACKUP_DIR, default <database folder>/backups
    backup_keep: int = DEFAULT_BACKUP_KEEP
    backup_time: str = DEFAULT_BACKUP_TIME   # HH:MM (JST) of the daily backup, or "off"

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        db = default_path()
        return cls(
            db_path=db,
            tz=env.get("MAMORU_TZ") or "Asia/Tokyo",
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            api_url=env.get("SLACK_API_URL") or None,
            backup_dir=backup_dir(db),
            backup_keep=backup_keep(),
            backup_time=(env.get("MAMORU_BACKUP_TIME") or DEFAULT_BACKUP_TIME).strip(),
        )

    @property
    def slack_configured(self) -> bool:
        return bool(self.bot_token and (self.app_token or self.signing_secret))


def backup_dir(db_path: Path) -> Path:
    env = os.environ.get("MAMORU_BACKUP_DIR")
    return Path(env).expanduser() if env else Path(db_path).expanduser().parent / "backups"


def backup_keep() -> int:
    """MAMORU_BACKUP_KEEP (how many daily backups are kept); a bad value falls back to the default
    (`mamoru doctor` names it)."""
    raw = os.environ.get("MAMORU_BACKUP_KEEP")
    try:
        return max(1, int(raw)) if raw else DEFAULT_BACKUP_KEEP
    except ValueError:
        return DEFAULT_BACKUP_KEEP
