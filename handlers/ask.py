"""Rule questions: a question in, an answer (verdict, cited clause, related clauses) out.

Knows nothing of Slack or terminals; bot/ renders the Answer for each.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

import sqlite_utils

from knowledge import library, verdict as verdicts
from knowledge.search import Hit, searcher_for

NOT_FOUND = ("ご質問に該当する規定は、登録されている文書の中に見つかりませんでした。"
             "作業責任者（または情報セキュリティ対策責任者）にご確認ください。")
PREFER_RATIO = 0.6
# Something already happened (「USBメモリなくした」「誤送信しちゃった」「感染したっぽい」), not a
# hypothetical (「盗まれたら」「なくさないために」): the first rule to show is the one that says
# to report it at once, if the search found one among the first few.
EVENT = re.compile(r"(なくし|無くし|失くし|紛失し|落とし|置き忘れ|忘れてき|盗まれ|盗られ|誤送信し|誤って送っ|間違えて送っ|"
                   r"間違って送っ|送っちゃ|感染し|漏れ|漏えいし|漏洩し|流出し|乗っ取られ)"
                   r"(た|ちゃった|ちゃいました|てしまった|てしまいました|ました)(?!ら)")
EVENT_WINDOW = 5


def _reports_incident(h: Hit) -> bool:
    t = h.text or ""
    return "報告" in t and ("事故" in t or "インシデント" in t)


def _event_first(question: str, hits: list[Hit]) -> list[Hit]:
    if not hits or _reports_incident(hits[0]) or not EVENT.search(unicodedata.normalize("NFKC", question)):
        return hits
    k = next((i for i, h in enumerate(hits[:EVENT_WINDOW]) if _reports_incident(h)), None)
    return hits if k is None else [hits[k]] + hits[:k] + hits[k + 1:]
EMPTY = "ご質問の内容を読み取れませんでした。知りたいことを文章で入力してください（例：「離席するときに画面ロックは必要ですか」）。"


@dataclass
class Answer:
    question: str
    found: bool
    verdict: str | None = None
    verdict_line: str = ""
    best: Hit | None = None
    related: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""
    elapsed_ms: float = 0.0

    @property
    def hits(self) -> list[Hit]:
        return ([self.best] if self.best else []) + self.related


def answer(db: sqlite_utils.Database, question: str, *, source: str | None = None,
           prefer: str | None = None, top: int = 5) -> Answer:
    """Answer one question; source restricts to documents, prefer only ranks them first."""
    t0 = time.perf_counter()
    notes: list[str] = []
    slugs = library.resolve_source(db, source)
    if slugs == []:
        notes.append(f"「{source}」に一致する文書がないため、すべての文書から探しました。")
        slugs = None
    top = max(1, min(int(top or 5), 20))
    result = searcher_for(db).search(question, slugs, top=top)
    notes.extend(result.notes)
    hits = result.hits
    if prefer:
        own = [s for s in (library.resolve_source(db, prefer) or []) if slugs is None or s in slugs]
        if own:
            # The asker's own contract answers first when it covers the question nearly as well
            # as the best document does; otherwise the better clause elsewhere leads.
            mine = searcher_for(db).search(question, own, top=top)
            if mine.found and (not result.found or not hits or mine.hits[0].score >= PREFER_RATIO * hits[0].score):
                first = mine.hits[0]
                hits = [first] + [h for h in hits if h.clause_id != first.clause_id][: top - 1]
                result.found = True
    if result.found:
        first = hits[0] if hits else None
        hits = _event_first(question, hits)
        if hits and hits[0] is not first:
            notes.append("起きてしまったことについてのご質問と受け取り、事故の報告の決まりを先に表示しています。")
    ans = Answer(question=question, found=result.found, notes=notes)
    if not question.strip() or (not result.found and not hits):
        ans.message = EMPTY if not result.question.strip() or "質問の文章を読み取れませんでした。" in result.notes else NOT_FOUND
    elif not result.found:
        ans.message = NOT_FOUND
    else:
        ans.best, ans.related = hits[0], hits[1:]
        ans.verdict = hits[0].verdict
        ans.verdict_line = verdicts.LINES.get(hits[0].verdict, verdicts.LINES[verdicts.INFO])
    ans.elapsed_ms = (time.perf_counter() - t0) * 1000
    return ans
