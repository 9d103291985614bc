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


@dataclass(frozen=True)
class Attachment:
    """A file sent along with an Outgoing (e.g. an incident report as .docx)."""
    filename: str
    content: bytes
    title: str = ""
    elsewhere: str = ""   # how to get it another way if it cannot be sent, e.g. "`/mamoru report` で…"


@dataclass
class Outgoing:
    """A message the runtime must send to someone (a notice, a routed question)."""
    user_id: str
    reply: Reply
    key: str = ""       # idempotency key: the same key is sent once
    file: Attachment | None = None   # sent after the message (Slack: files_upload_v2 into the DM)


@dataclass
class Turn:
    """Everything one turn of a conversation produces, whoever carries it (Slack, terminal).

    `answer` is a handlers.ask.Answer (rendered with its feedback buttons), `prior` a lead's
    earlier answer offered first; `replies` are shown in order; `outgoing` goes to other people;
    `refresh` names the people whose App Home changed.
    """
    answer: object | None = None
    prior: dict | None = None
    routed_text: str = ""
    routed: bool = False
    replies: list[Reply] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    refresh: set[str] = field(default_factory=set)

    def add(self, reply: Reply, out=(), *refresh: str) -> "Turn":
        self.replies.append(reply)
        self.outgoing += list(out)
        self.refresh |= {o.user_id for o in out} | set(refresh)
        return self
