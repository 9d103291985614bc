"""What a handler gives back: text plus optional buttons, rendered by bot/ for Slack or terminal.

`text` is always complete on its own (the terminal and notifications show only it);
`buttons` become Block Kit buttons in Slack and numbered choices in the terminal.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str          # Japanese, at most 75 characters (Block Kit limit)
    action: str         # action_id, e.g. "ask_feedback_up"
    value: str = ""     # at most 2000 characters (Block Kit limit)
    style: str | None = None  # "primary" | "danger" | None


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    ephemeral: bool = False


@dataclass
class Outgoing:
    """A message the runtime must send to someone (a notice, a routed question)."""
    user_id: str
    reply: Reply
    key: str = ""       # idempotency key: the same key is sent once
