"""Where capabilities (checklists, training, incidents, …) plug into the conversation.

A capability module registers, at import time, what it answers to:
- register_action(action_id, fn): a button. fn(db, user_id, value, via) -> Turn
- register_command(words, fn): a first word of `/mamoru …`, of a DM or of a terminal line
  ("team", "離席", "incident"). fn(db, user_id, rest, via) -> Turn
- register_session(fn): a conversation in progress (a quiz, an incident report, a reason being
  asked for) sees the person's next message first. fn(db, user_id, text, via) -> Turn | None
  (None: no session for this person, or not for this text).
- register_trigger(pattern, fn): a DM that matches a regular expression starts something
  ("紛失した" → incident report). fn(db, user_id, text, via) -> Turn
Home sections and notice sources register with handlers.home / handlers.notices as before.
Add the module to CAPABILITY_MODULES; load() imports them all once.
"""
from __future__ import annotations

import importlib
import re
import threading
import unicodedata
from typing import Callable

import sqlite_utils

from handlers.replies import Turn

CAPABILITY_MODULES: list[str] = [
    "handlers.checklist",
    "handlers.training",
    "handlers.incident",
    "handlers.report",
    "handlers.weekly",
]

ActionFn = Callable[[sqlite_utils.Database, str, str, str], Turn]
CommandFn = Callable[[sqlite_utils.Database, str, str, str], Turn]
SessionFn = Callable[[sqlite_utils.Database, str, str, str], "Turn | None"]

_actions: dict[str, ActionFn] = {}
_commands: dict[str, CommandFn] = {}
_sessions: list[SessionFn] = []
_triggers: list[tuple[re.Pattern, CommandFn]] = []
_lock = threading.Lock()
_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            for name in CAPABILITY_MODULES:
                importlib.import_module(name)
            _loaded = True


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def register_action(action_id: str, fn: ActionFn) -> None:
    _actions[action_id] = fn


def register_command(words, fn: CommandFn) -> None:
    for w in ([words] if isinstance(words, str) else words):
        _commands[_word(w)] = fn


def register_session(fn: SessionFn) -> None:
    if fn not in _sessions:
        _sessions.append(fn)


def register_trigger(pattern: str, fn: CommandFn) -> None:
    _triggers.append((re.compile(pattern), fn))


def action(db: sqlite_utils.Database, user_id: str, action_id: str, value: str, via: str) -> Turn | None:
    """Run a registered button; None when no capability owns this action id."""
    load()
    fn = _actions.get(action_id.split("#", 1)[0])
    return fn(db, user_id, value, via) if fn else None


def command(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    load()
    first, _, rest = text.replace("\u3000", " ").strip().partition(" ")
    fn = _commands.get(_word(first))
    return fn(db, user_id, rest.strip(), via) if fn else None


def session(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    load()
    for fn in _sessions:
        turn = fn(db, user_id, text, via)
        if turn is not None:
            return turn
    return None


def trigger(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    load()
    t = unicodedata.normalize("NFKC", text)
    for pattern, fn in _triggers:
        if pattern.search(t):
            return fn(db, user_id, text, via)
    return None


def action_ids() -> list[str]:
    load()
    return sorted(_actions)
