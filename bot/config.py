"""Settings from environment variables (documented in the README), read once at start."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from storage.db import default_path


@dataclass(frozen=True)
class Settings:
    db_path: Path
    tz: str
    bot_token: str | None
    app_token: str | None
    signing_secret: str | None
    api_url: str | None

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            db_path=default_path(),
            tz=env.get("MAMORU_TZ") or "Asia/Tokyo",
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            api_url=env.get("SLACK_API_URL") or None,
        )

    @property
    def slack_configured(self) -> bool:
        return bool(self.bot_token and (self.app_token or self.signing_secret))
