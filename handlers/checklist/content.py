"""Checklists as content: one TOML file per checklist under knowledge/checklists/.

A file holds `id`, `title`, `summary`, `[schedule]` (kind start_of_day | end_of_day | on_demand,
send / deadline as HH:MM in JST, grace_minutes) and `[[items]]` (id, label — short, shown on
buttons —, text — what the worker confirms —, clauses — clause ids, checked against the
knowledge base by the tests —, concepts — what it is about, to find its clause in a contract's own
documents (knowledge/basis.py) —, reason_required, kind "check" (yes/no, the default) or "event",
and optionally action = "incident").
"""
from __future__ import annotations

import datetime as _dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DIR = Path(__file__).resolve().parent.parent.parent / "knowledge" / "checklists"
KINDS = ("start_of_day", "end_of_day", "on_demand")
SCHEDULED = ("start_of_day", "end_of_day")


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    text: str
    clauses: tuple[str, ...]
    reason_required: bool = False
    kind: str = "check"          # "check" (はい / いいえ) or "event" (a thing that happened)
    action: str = ""             # "incident": starts the incident report
    # What the item is about, as concept ids (knowledge/concepts; "a+b": both): finds its clause in a
    # contract's own documents when they hold none of `clauses` (knowledge/basis.py)
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schedule:
    kind: str                    # start_of_day | end_of_day | on_demand
    send: _dt.time | None = None
    deadline: _dt.time | None = None
    grace_minutes: int = 0

    @property
    def scheduled(self) -> bool:
        return self.kind in SCHEDULED

    def grace_end(self) -> _dt.time | None:
        if self.deadline is None:
            return None
        t = _dt.datetime.combine(_dt.date(2000, 1, 3), self.deadline) + _dt.timedelta(minutes=self.grace_minutes)
        return t.time() if t.date() == _dt.date(2000, 1, 3) else _dt.time(23, 59)


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    summary: str
    schedule: Schedule
    items: tuple[Item, ...] = field(default_factory=tuple)
    version: int = 1
    file: str = ""

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    @functools.cached_property
    def checks(self) -> tuple[Item, ...]:
        """The yes/no items (what a scheduled checklist asks)."""
        return tuple(i for i in self.items if i.kind == "check")


class ContentError(ValueError):
    pass


def parse_time(value: str | None, what: str) -> _dt.time | None:
    if value in (None, ""):
        return None
    try:
        h, m = str(value).strip().replace("：", ":").split(":")
        return _dt.time(int(h), int(m))
    except ValueError:
        raise ContentError(f"{what}「{value}」は時刻として読めません（例: 09:30）。")


def _checklist(data: dict, file: str) -> Checklist:
    for key in ("id", "title", "items"):
        if key not in data:
            raise ContentError(f"{file}: {key} がありません。")
    s = data.get("schedule") or {}
    kind = s.get("kind", "on_demand")
    if kind not in KINDS:
        raise ContentError(f"{file}: schedule.kind「{kind}」は {', '.join(KINDS)} のいずれかにしてください。")
    sched = Schedule(kind, parse_time(s.get("send"), f"{file}: send"), parse_time(s.get("deadline"), f"{file}: deadline"),
                     int(s.get("grace_minutes", 0)))
    if sched.scheduled and (sched.send is None or sched.deadline is None or sched.deadline <= sched.send):
        raise ContentError(f"{file}: 定時のチェックリストには send と、それより後の deadline が必要です。")
    items, seen = [], set()
    for raw in data["items"]:
        iid = str(raw.get("id") or "")
        if not iid or iid in seen or "|" in iid:
            raise ContentError(f"{file}: 項目の id「{iid}」が空か、重複しています。")
        seen.add(iid)
        kind_i = raw.get("kind", "check")
        if kind_i not in ("check", "event"):
            raise ContentError(f"{file}: 項目 {iid} の kind は check か event にしてください。")
        clauses = tuple(raw.get("clauses") or ())
        if not clauses:
            raise ContentError(f"{file}: 項目 {iid} に根拠の条項（clauses）がありません。")
        items.append(Item(iid, str(raw.get("label") or raw["text"]), str(raw["text"]), clauses,
                          bool(raw.get("reason_required", False)), kind_i, str(raw.get("action") or ""),
                          tuple(str(c) for c in raw.get("concepts") or ())))
    return Checklist(str(data["id"]), str(data["title"]), str(data.get("summary") or ""), sched, tuple(items),
                     int(data.get("version", 1)), file)


@functools.lru_cache(maxsize=4)
def _load(directory: str) -> tuple[Checklist, ...]:
    out: list[Checklist] = []
    for path in sorted(Path(directory).glob("*.toml")):
        with open(path, "rb") as f:
            out.append(_checklist(tomllib.load(f), path.name))
    ids = [c.id for c in out]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ContentError(f"チェックリストの id が重複しています: {', '.join(sorted(dup))}")
    order = {"start_of_day": 0, "on_demand": 1, "end_of_day": 2}
    return tuple(sorted(out, key=lambda c: (order[c.schedule.kind], c.id != "leave", c.id)))


def checklists() -> tuple[Checklist, ...]:
    """Every shipped checklist, in the order of the day (始業時, 離席時, ICカード, 終業時)."""
    return _load(str(DIR))


def get(checklist_id: str) -> Checklist | None:
    return next((c for c in checklists() if c.id == checklist_id), None)


def find(word: str) -> Checklist | None:
    """A checklist by id or title (「終業時」, "end", 「終業」)."""
    import unicodedata

    w = unicodedata.normalize("NFKC", word or "").strip().lower()
    if not w:
        return None
    for c in checklists():
        if w in (c.id.lower(), unicodedata.normalize("NFKC", c.title).lower()):
            return c
    for c in checklists():
        t = unicodedata.normalize("NFKC", c.title).lower()
        if t.startswith(w) or w.startswith(t.rstrip("時")):
            return c
    return None
