"""Training content: question banks, courses and the pledge, as reviewable TOML files.

- `knowledge/quiz/bank-<id>.toml`: `[bank]` (id, title, document, version) and `[[questions]]`
  (id, topic, kind "choice" | "truefalse", clauses, prompt, choices, answer — the right choice
  verbatim, "○"/"×" for truefalse —, explanation quoting the clause in 「」).
- `knowledge/quiz/course-<id>.toml`: `[course]` (id, title, version, documents — the default
  course of contracts bound by these documents —, contracts — or named contracts —, banks,
  questions_per_attempt, pass_percent (1–100, default 80), valid_days (default 365), renew_days,
  due_days, remind_days (default [7, 3, 1]), pledge, basis — the clauses requiring training).
- `knowledge/pledge/<id>.toml`: id, title, version, text ({contract} is replaced), clauses, concepts.

MAMORU_TRAINING_DIR (optional) names one more directory holding files of the same three kinds
(bank-*.toml, course-*.toml, pledge-*.toml), for a deployment's own contracts.
A contract's settings recorded with `mamoru training contract` override a course's numbers.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent.parent / "knowledge"
QUIZ_DIR = ROOT / "quiz"
PLEDGE_DIR = ROOT / "pledge"
KINDS = ("choice", "truefalse")
TRUE_FALSE = ("○", "×")
TF_ALIASES = {"○": "○", "◯": "○", "o": "○", "true": "○", "正": "○", "×": "×", "x": "×", "✕": "×", "false": "×",
              "誤": "×"}

TOPICS = {
    "desk": "離席時",
    "end_of_day": "終業時",
    "ic_card": "ICカード・入退室",
    "devices_media": "私物の機器・記録媒体",
    "takeout_copy": "持ち出し・複写",
    "mail_fax": "電子メール・FAX",
    "incident": "事故の報告",
    "subcontract": "再委託",
    "return_destroy": "返却・廃棄",
    "confidentiality": "秘密保持（契約終了後も）",
    "handling": "情報の取扱い",
    "account": "ID・パスワード",
}

DEFAULTS = {"questions_per_attempt": 10, "pass_percent": 80, "valid_days": 365, "renew_days": 30, "due_days": 7,
            "remind_days": (7, 3, 1)}
SETTING_KEYS = tuple(DEFAULTS)


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    bank: str
    topic: str
    kind: str
    clauses: tuple[str, ...]
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str

    @property
    def answer_index(self) -> int:
        return self.choices.index(self.answer)


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    document: str
    version: int
    questions: tuple[Question, ...]
    file: str = ""


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    version: str
    documents: tuple[str, ...]
    contracts: tuple[str, ...]
    banks: tuple[str, ...]
    questions_per_attempt: int
    pass_percent: int
    valid_days: int
    renew_days: int
    due_days: int
    remind_days: tuple[int, ...]
    pledge: str
    basis: tuple[str, ...]
    file: str = ""


@dataclass(frozen=True)
class Pledge:
    id: str
    title: str
    version: str
    text: str
    clauses: tuple[str, ...]
    file: str = ""
    concepts: tuple[str, ...] = ()    # what it rests on, for a contract whose documents hold none of `clauses`


@dataclass(frozen=True)
class Content:
    banks: dict[str, Bank]
    courses: dict[str, Course]
    pledges: dict[str, Pledge]

    def questions(self, course: Course) -> list[Question]:
        return [q for b in course.banks if b in self.banks for q in self.banks[b].questions]

    def question(self, question_id: str) -> Question | None:
        for b in self.banks.values():
            for q in b.questions:
                if q.id == question_id:
                    return q
        return None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _int(value, what: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ContentError(f"{what} は {lo}〜{hi} の整数で指定してください（{value!r}）。")
    return value


def check_settings(values: dict, what: str) -> dict:
    """Validated course numbers (pass mark 1–100 %, …); raises ContentError with a Japanese reason."""
    out = {}
    for k, v in values.items():
        if k not in DEFAULTS:
            raise ContentError(f"{what}: 「{k}」という設定はありません（{', '.join(SETTING_KEYS)}）。")
        if k == "remind_days":
            if not isinstance(v, (list, tuple)):
                raise ContentError(f"{what}: remind_days は日数の並びで指定してください（例: [7, 3, 1]）。")
            out[k] = tuple(sorted({_int(d, f"{what}: remind_days", 1, 365) for d in v}, reverse=True))
        elif k == "pass_percent":
            out[k] = _int(v, f"{what}: 合格点（pass_percent）", 1, 100)
        elif k == "questions_per_attempt":
            out[k] = _int(v, f"{what}: 出題数（questions_per_attempt）", 1, 100)
        elif k == "valid_days":
            out[k] = _int(v, f"{what}: 有効期間（valid_days）", 1, 3660)
        else:
            out[k] = _int(v, f"{what}: {k}", 0, 3660)
    return out


def _question(raw: dict, bank: str, file: str) -> Question:
    qid = str(raw.get("id") or "")
    where = f"{file}: 問題「{qid or '（id なし）'}」"
    if not qid:
        raise ContentError(f"{where} に id がありません。")
    for key in ("topic", "clauses", "prompt", "answer", "explanation"):
        if not raw.get(key):
            raise ContentError(f"{where} に {key} がありません。")
    topic = str(raw["topic"])
    if topic not in TOPICS:
        raise ContentError(f"{where}: topic「{topic}」は {', '.join(TOPICS)} のいずれかにしてください。")
    kind = str(raw.get("kind") or "choice")
    if kind not in KINDS:
        raise ContentError(f"{where}: kind は choice か truefalse にしてください。")
    if kind == "truefalse":
        choices = TRUE_FALSE
        answer = TF_ALIASES.get(_norm(str(raw["answer"])).lower())
        if answer is None:
            raise ContentError(f"{where}: ○×問題の answer は \"○\" か \"×\" にしてください。")
    else:
        choices = tuple(str(c).strip() for c in raw.get("choices") or [])
        if len(choices) < 2:
            raise ContentError(f"{where}: 選択肢（choices）を二つ以上書いてください。")
        if len(set(map(_norm, choices))) != len(choices):
            raise ContentError(f"{where}: 同じ選択肢が二回あります。")
        answer = str(raw["answer"]).strip()
        if answer not in choices:
            raise ContentError(f"{where}: 正解（answer）が選択肢の中にありません。")
    clauses = tuple(str(c) for c in raw["clauses"])
    return Question(qid, bank, topic, kind, clauses, str(raw["prompt"]).strip(), choices, answer,
                    str(raw["explanation"]).strip())


def _bank(data: dict, file: str) -> Bank:
    b = data.get("bank") or {}
    for key in ("id", "title", "document"):
        if not b.get(key):
            raise ContentError(f"{file}: [bank] に {key} がありません。")
    questions = tuple(_question(q, str(b["id"]), file) for q in data.get("questions") or [])
    if not questions:
        raise ContentError(f"{file}: 問題（[[questions]]）がありません。")
    return Bank(str(b["id"]), str(b["title"]), str(b["document"]), int(b.get("version", 1)), questions, file)


def _course(data: dict, file: str) -> Course:
    c = data.get("course") or {}
    for key in ("id", "title", "banks"):
        if not c.get(key):
            raise ContentError(f"{file}: [course] に {key} がありません。")
    nums = dict(DEFAULTS)
    nums.update(check_settings({k: c[k] for k in DEFAULTS if k in c}, file))
    return Course(str(c["id"]), str(c["title"]), str(c.get("version", 1)), tuple(map(str, c.get("documents") or ())),
                  tuple(map(str, c.get("contracts") or ())), tuple(map(str, c["banks"])),
                  nums["questions_per_attempt"], nums["pass_percent"], nums["valid_days"], nums["renew_days"],
                  nums["due_days"], tuple(nums["remind_days"]), str(c.get("pledge") or "confidentiality"),
                  tuple(map(str, c.get("basis") or ())), file)


def _pledge(data: dict, file: str) -> Pledge:
    for key in ("id", "title", "version", "text", "clauses"):
        if not data.get(key):
            raise ContentError(f"{file}: 誓約書に {key} がありません。")
    return Pledge(str(data["id"]), str(data["title"]), str(data["version"]), str(data["text"]).strip(),
                  tuple(map(str, data["clauses"])), file, tuple(map(str, data.get("concepts") or ())))


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ContentError(f"{path.name}: TOML として読めません（{e}）。")


@functools.lru_cache(maxsize=8)
def _load(dirs: tuple[str, ...]) -> Content:
    banks: dict[str, Bank] = {}
    courses: dict[str, Course] = {}
    pledges: dict[str, Pledge] = {}
    qids: dict[str, str] = {}

    def put(table: dict, item, what: str):
        if item.id in table:
            raise ContentError(f"{what}の id「{item.id}」が二つのファイルにあります（{table[item.id].file}、{item.file}）。")
        table[item.id] = item

    for d in dirs:
        p = Path(d)
        for path in sorted(p.glob("bank-*.toml")):
            b = _bank(_read(path), path.name)
            for q in b.questions:
                if q.id in qids:
                    raise ContentError(f"問題の id「{q.id}」が重複しています（{qids[q.id]}、{path.name}）。")
                qids[q.id] = path.name
            put(banks, b, "問題集")
        for path in sorted(p.glob("course-*.toml")):
            put(courses, _course(_read(path), path.name), "コース")
        pledge_files = sorted(p.glob("pledge-*.toml")) + (sorted(PLEDGE_DIR.glob("*.toml")) if p == QUIZ_DIR else [])
        for path in pledge_files:
            put(pledges, _pledge(_read(path), path.name), "誓約書")
    for c in courses.values():
        missing = [b for b in c.banks if b not in banks]
        if missing:
            raise ContentError(f"{c.file}: 問題集「{'、'.join(missing)}」がありません。")
        if c.pledge not in pledges:
            raise ContentError(f"{c.file}: 誓約書「{c.pledge}」がありません。")
    return Content(banks, courses, pledges)


def directories() -> tuple[str, ...]:
    extra = os.environ.get("MAMORU_TRAINING_DIR")
    return (str(QUIZ_DIR),) + ((str(Path(extra).expanduser()),) if extra else ())


def load() -> Content:
    """Every bank, course and pledge (cached; ContentError when a file is wrong)."""
    return _load(directories())


# ---- which course binds a contract --------------------------------------------------------------

def _merge(courses: list[Course]) -> Course:
    """One course for a contract bound by several documents: every bank, the strictest numbers."""
    first = courses[0]
    return dataclasses.replace(
        first, id="+".join(c.id for c in courses), title="・".join(c.title for c in courses),
        version="+".join(c.version for c in courses), documents=tuple(d for c in courses for d in c.documents),
        banks=tuple(dict.fromkeys(b for c in courses for b in c.banks)),
        questions_per_attempt=max(c.questions_per_attempt for c in courses),
        pass_percent=max(c.pass_percent for c in courses), valid_days=min(c.valid_days for c in courses),
        renew_days=max(c.renew_days for c in courses), due_days=min(c.due_days for c in courses),
        remind_days=tuple(sorted({d for c in courses for d in c.remind_days}, reverse=True)),
        basis=tuple(dict.fromkeys(b for c in courses for b in c.basis)), file="")


def course_for(db: sqlite_utils.Database, contract: str, settings: dict | None = None) -> Course | None:
    """The course a contract's people take: one naming the contract, else the default course of
    its documents (several documents: one merged course), with the contract's settings applied."""
    from handlers import people
    from storage import training as store

    content = load()
    named = [c for c in content.courses.values() if contract in c.contracts]
    if named:
        course = named[0]
    else:
        docs = people.contract_docs(db, contract)
        found = []
        for d in docs:
            for c in content.courses.values():
                if d in c.documents and not c.contracts and c not in found:
                    found.append(c)
        if not found:
            return None
        course = found[0] if len(found) == 1 else _merge(found)
    over = (settings if settings is not None else store.settings(db)).get(contract) or {}
    if over:
        course = dataclasses.replace(course, **{k: (tuple(v) if k == "remind_days" else v) for k, v in over.items()
                                                if k in DEFAULTS})
    return course


def course_by_id(db: sqlite_utils.Database, course_id: str, contract: str | None = None) -> Course | None:
    """A course by id: as the contract sees it when given (merged, with its settings), else the file's."""
    if contract:
        c = course_for(db, contract)
        if c and c.id == course_id:
            return c
    return load().courses.get(course_id)
