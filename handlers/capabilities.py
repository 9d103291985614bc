"""Where capabilities (checklists, training, incidents, …) plug into the conversation.

A capability module registers, at import time, what it answers to:
- register_action(action_id, fn): a button. fn(db, user_id, value, via) -> Turn
- register_command(words, fn): a first word of `/mamoru …`, of a DM or of a terminal line
  ("team", "離席", "incident"). fn(db, user_id, rest, via) -> Turn
- register_session(fn, last_prompt=None): a conversation in progress (a quiz, an incident report,
  a reason being asked for) sees the person's next message first. fn(db, user_id, text, via) ->
  Turn | None (None: no session for this person, or not for this text). When two are waiting for
  the same person, the one that asked most recently answers: last_prompt(db, user_id) -> the ISO
  time of that session's latest question to the person, or None when it waits for nothing.
- register_trigger(pattern, fn): a DM that matches a regular expression starts something
  ("紛失した" → incident report). fn(db, user_id, text, via) -> Turn
Home sections and notice sources register with handlers.home / handlers.notices as before.
Add the module to CAPABILITY_MODULES; load() imports them all once.
"""
from __future__ import annotations

import datetime as _dt
import importlib
import logging
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
PromptFn = Callable[[sqlite_utils.Database, str], "str | None"]

_actions: dict[str, ActionFn] = {}
_commands: dict[str, CommandFn] = {}
_sessions: list[tuple[SessionFn, "PromptFn | None"]] = []
_triggers: list[tuple[re.Pattern, CommandFn]] = []
_lock = threading.Lock()
log = logging.getLogger(__name__)
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


def register_session(fn: SessionFn, last_prompt: PromptFn | None = None) -> None:
    if all(f is not fn for f, _ in _sessions):
        _sessions.append((fn, last_prompt))


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


def _asked_at(db: sqlite_utils.Database, user_id: str, last_prompt: PromptFn | None) -> float | None:
    if last_prompt is None:
        return None
    try:
        at = last_prompt(db, user_id)
    except Exception:  # a broken capability must not take the person's message hostage
        log.exception("last_prompt of a session failed")
        return None
    return _dt.datetime.fromisoformat(at).timestamp() if at else None


def session(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    """The conversation waiting for this person's message; the most recent question first, so a
    reason asked at 09:10 does not swallow the answers of an incident report started at 09:12."""
    load()
    ranked = sorted(((_asked_at(db, user_id, lp), n, fn) for n, (fn, lp) in enumerate(_sessions)),
                    key=lambda r: (r[0] is None, -(r[0] or 0.0), r[1]))
    for _, _, fn in ranked:
        turn = fn(db, user_id, text, via)
        if turn is not None:
            return turn
    return None


def is_command(text: str) -> bool:
    """Whether a message starts with a capability's word (「インシデント報告」「離席」「研修」…, with or
    without `/mamoru`): a session waiting for free text (a reason) lets such a message through.
    Triggers (「置き忘れ」…) are not counted: they are phrases a reason may well contain."""
    load()
    words = unicodedata.normalize("NFKC", text or "").replace("\u3000", " ").split()
    if words and words[0].lower() == "/mamoru":
        words = words[1:]
    return bool(words) and _word(words[0]) in _commands


def matches_trigger(text: str) -> bool:
    """Whether a message would start something (「紛失した」 → an incident report) on its own."""
    load()
    t = unicodedata.normalize("NFKC", text or "")
    return any(p.search(t) for p, _ in _triggers)


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
