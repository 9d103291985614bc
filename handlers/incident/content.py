"""The incident question flow as content: knowledge/incident/flow.toml (see the comments there).

`flow()` loads it once (cached, re-read when the file changes). The file is checked on load:
unknown kinds, duplicate ids, a type-specific question naming an unknown type, a choice
question without choices are refused with a clear message. `missing_clauses(db)` lists the
clause ids the file cites that the knowledge base does not hold (the tests require none).
"""
from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

FILE = Path(__file__).resolve().parent.parent.parent / "knowledge" / "incident" / "flow.toml"
KINDS = ("choice", "datetime", "text", "count", "domain", "contract")


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Step:
    text: str
    clauses: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()     # what it rests on, for a contract whose documents hold none of `clauses`


@dataclass(frozen=True)
class IncidentType:
    id: str
    label: str
    keywords: tuple[str, ...]
    clauses: tuple[str, ...]
    first_aid: tuple[Step, ...]
    escalate: bool = True
    concepts: tuple[str, ...] = ()     # what it is about: its clauses in a contract's own documents (knowledge/basis.py)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    prompt: str
    types: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    allow_unknown: bool = False
    same_as: str = ""
    quick: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()

    def applies(self, type_id: str | None) -> bool:
        return not self.types or (type_id in self.types)

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Flow:
    version: int
    title: str
    types: tuple[IncidentType, ...]
    questions: tuple[Question, ...]
    report_clauses: tuple[str, ...]
    masking_clauses: tuple[str, ...]
    file: str = ""
    # the same two rules by what they are about and say, for a contract whose documents hold none of the ids
    report_concepts: tuple[str, ...] = ()
    report_text: str = ""
    masking_concepts: tuple[str, ...] = ()
    masking_text: str = ""
    by_id: dict = field(default_factory=dict, compare=False, hash=False)

    def type(self, type_id: str | None) -> IncidentType | None:
        return next((t for t in self.types if t.id == type_id), None)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def sequence(self, type_id: str | None) -> list[Question]:
        """The questions asked for this type, in order (the type question first)."""
        return [q for q in self.questions if q.applies(type_id)]

    def all_clause_ids(self) -> list[str]:
        ids: list[str] = [*self.report_clauses, *self.masking_clauses]
        for t in self.types:
            ids += t.clauses
            for s in t.first_aid:
                ids += s.clauses
        for q in self.questions:
            ids += q.clauses
        return list(dict.fromkeys(ids))


def _tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def parse(data: dict, file: str = "") -> Flow:
    where = file or "flow.toml"
    types = []
    for t in data.get("types") or []:
        if not t.get("id") or not t.get("label"):
            raise ContentError(f"{where}: 種別には id と label が必要です。")
        steps = tuple(Step(str(s["text"]), _tuple(s.get("clauses")), _tuple(s.get("concepts")))
                      for s in t.get("first_aid") or [])
        types.append(IncidentType(str(t["id"]), str(t["label"]), _tuple(t.get("keywords")), _tuple(t.get("clauses")),
                                  steps, bool(t.get("escalate", True)), _tuple(t.get("concepts"))))
    if not types:
        raise ContentError(f"{where}: 種別（[[types]]）が一つもありません。")
    type_ids = {t.id for t in types}
    if len(type_ids) != len(types):
        raise ContentError(f"{where}: 種別の id が重複しています。")
    questions = []
    for q in data.get("questions") or []:
        qid, kind = str(q.get("id") or ""), str(q.get("kind") or "")
        if not qid or kind not in KINDS:
            raise ContentError(f"{where}: 質問「{qid}」の kind「{kind}」は使えません（{', '.join(KINDS)}）。")
        if not q.get("label") or not q.get("prompt"):
            raise ContentError(f"{where}: 質問「{qid}」には label と prompt が必要です。")
        unknown = [t for t in _tuple(q.get("types")) if t not in type_ids]
        if unknown:
            raise ContentError(f"{where}: 質問「{qid}」の types に未定義の種別があります: {', '.join(unknown)}")
        choices = tuple(Choice(str(c["id"]), str(c["label"])) for c in q.get("choices") or [])
        if qid == "type":
            choices = tuple(Choice(t.id, t.label) for t in types)
        if kind == "choice" and not choices:
            raise ContentError(f"{where}: 選択式の質問「{qid}」に choices がありません。")
        questions.append(Question(qid, kind, str(q["label"]), str(q["prompt"]), _tuple(q.get("types")), choices,
                                  bool(q.get("allow_unknown", False)), str(q.get("same_as") or ""),
                                  _tuple(q.get("quick")), _tuple(q.get("clauses"))))
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{where}: 質問の id が重複しています。")
    if not questions or questions[0].id != "type":
        raise ContentError(f"{where}: 最初の質問は種別（id = \"type\"）にしてください。")
    for q in questions:
        if q.same_as and q.same_as not in ids:
            raise ContentError(f"{where}: 質問「{q.id}」の same_as「{q.same_as}」がありません。")
    masking = data.get("masking") or {}
    return Flow(int(data.get("version") or 1), str(data.get("title") or "事故・インシデント報告"), tuple(types),
                tuple(questions), _tuple(data.get("report_clauses")), _tuple(masking.get("clauses")), where,
                report_concepts=_tuple(data.get("report_concepts")), report_text=str(data.get("report_text") or ""),
                masking_concepts=_tuple(masking.get("concepts")), masking_text=str(masking.get("text") or ""))


_lock = threading.Lock()
_cache: dict[str, tuple[float, Flow]] = {}


def flow(path: str | os.PathLike | None = None) -> Flow:
    p = Path(path or FILE)
    mtime = p.stat().st_mtime
    with _lock:
        hit = _cache.get(str(p))
        if hit and hit[0] == mtime:
            return hit[1]
        with p.open("rb") as f:
            try:
                data = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                raise ContentError(f"{p.name}: TOML として読めません: {e}") from e
        fl = parse(data, p.name)
        _cache[str(p)] = (mtime, fl)
        return fl


def missing_clauses(db: sqlite_utils.Database, fl: Flow | None = None) -> list[str]:
    from storage import kb

    return [cid for cid in (fl or flow()).all_clause_ids() if kb.clause(db, cid) is None]
