"""The load report: what a loaded document holds, what was dropped, what looks doubtful, and what
changed since the version loaded before — shown before anyone relies on the clauses."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).parent
_LONG = 1200                   # characters: a clause this long probably swallowed its neighbours
_RE_SPACED = re.compile(r"(?:[\u3040-\u30ff\u4e00-\u9fff][ \u3000]){6,}[\u3040-\u30ff\u4e00-\u9fff]")
_RE_ODD_MARK = re.compile(r"^(?:[㋐-㋾㊀-㊉⑴-⒇⒜-⒵❶-❿➀-➉]|[ⅰ-ⅿⅠ-Ⅿ][.．)）\s])")
_KIND_JA = {"pdf": "PDF", "docx": "Word", "doc": "Word（.doc）", "odt": "OpenDocument（.odt）", "xlsx": "Excel", "html": "Web ページ", "text": "テキスト", "markdown": "Markdown", "csv": "CSV"}


@dataclass
class Diff:
    added: list[tuple[str, str]] = field(default_factory=list)            # (clause id, citation)
    removed: list[tuple[str, str]] = field(default_factory=list)
    reworded: list[tuple[str, str, str, str]] = field(default_factory=list)   # (id, citation, old, new)
    content: list[tuple[str, str, str]] = field(default_factory=list)     # (file, clause id, 変更/削除)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.reworded)


@dataclass
class LoadReport:
    slug: str
    title: str
    municipality: str | None
    kind: str
    changed: bool
    dry_run: bool = False
    pages: int | None = None
    counts: dict = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)
    diff: Diff | None = None
    sheets: list[tuple[str, str]] = field(default_factory=list)   # a workbook's sheets read: (name, read as); the rest dropped

    @property
    def clauses(self) -> int:          # what the older LoadResult called it
        return self.counts.get("clauses", 0)

    @property
    def forms(self) -> int:
        return self.counts.get("forms", 0)

    def to_json(self) -> dict:
        d = self.diff
        return {"slug": self.slug, "title": self.title, "municipality": self.municipality, "kind": self.kind,
                "pages": self.pages, "sheets": [{"name": n, "read_as": h} for n, h in self.sheets], "changed": self.changed, "dry_run": self.dry_run, "counts": self.counts,
                "dropped": self.dropped, "warnings": [{"clause_id": c, "message": m} for c, m in self.warnings],
                "diff": None if d is None else {
                    "added": [{"clause_id": c, "citation": t} for c, t in d.added],
                    "removed": [{"clause_id": c, "citation": t} for c, t in d.removed],
                    "reworded": [{"clause_id": c, "citation": t, "old": o, "new": n} for c, t, o, n in d.reworded],
                    "content": [{"file": f, "clause_id": c, "change": h} for f, c, h in d.content]},
                "report": self.lines_ja()}

    def lines_ja(self) -> list[str]:
        c = self.counts
        src = _KIND_JA.get(self.kind, self.kind) + (f"、{self.pages} ページ" if self.pages else "") \
            + (f"、シート {len(self.sheets)} 枚" if self.sheets else "")
        head = f"{self.municipality} {self.title}" if self.municipality else self.title
        if self.dry_run:
            state = "確認のみです（読み込んでいません）"
        elif self.changed:
            state = "読み込みました"
        else:
            state = "変更はありません（同じ内容が読み込み済みです）"
        out = [f"{self.slug}: {head}（{src}）を{state}。" if self.changed or self.dry_run
               else f"{self.slug}: {state}。"]
        found = [f"{name} {c.get(k, 0)} 件" for k, name in (("articles", "条"), ("sections", "節・見出し"),
                                                           ("paragraphs", "項"), ("items", "号・細目"),
                                                           ("forms", "様式")) if c.get(k)]
        out.append(f"条項 {c.get('clauses', 0)} 件（{'、'.join(found) or '構造なし'}）を確認しました。")
        if self.sheets:
            out.append("読み込んだシート: " + "、".join(f"「{name}」（{how}）" for name, how in self.sheets))
        if self.dropped:
            out.append("取り除いたもの:")
            out.extend(f"  ・{d}" for d in self.dropped)
        if self.warnings:
            out.append(f"確認をお願いしたい点（{len(self.warnings)} 件）:")
            out.extend(f"  ・{cid + ': ' if cid else ''}{msg}" for cid, msg in self.warnings)
        else:
            out.append("気になる点は見つかりませんでした。")
        d = self.diff
        if d is not None:
            if d:
                out.append(f"前の版からの変更: 追加 {len(d.added)} 件、削除 {len(d.removed)} 件、"
                           f"文言の変更 {len(d.reworded)} 件。")
                out.extend(f"  + 追加 {cit}" for _, cit in d.added)
                out.extend(f"  - 削除 {cit}" for _, cit in d.removed)
                for _, cit, old, new in d.reworded:
                    out.append(f"  ~ 変更 {cit}")
                    out.append(f"      旧: {_short(old)}")
                    out.append(f"      新: {_short(new)}")
            else:
                out.append("前の版と条項の文言は同じです。")
            if d.content:
                out.append("引用している条項が変わったため、見直しが必要な内容:")
                out.extend(f"  ・{f}（{cid} が{how}されました）" for f, cid, how in d.content)
            if d and not self.dry_run:
                out.append("以前の回答や記録が引用した条文は、その時点の文言のまま保存されています。")
        return out


def _short(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n] + "…"


def counts(rows: list[dict], forms: int) -> dict:
    c = {"clauses": len(rows), "articles": 0, "sections": 0, "paragraphs": 0, "items": 0, "forms": forms}
    for r in rows:
        lvl = r["level"]
        key = {"article": "articles", "section": "sections", "paragraph": "paragraphs"}.get(lvl, "items")
        c[key] += 1
    return c


def warnings(rows: list[dict], text_len: int) -> list[tuple[str | None, str]]:
    """Doubts a person should look at before relying on the clauses, with the clause to look at."""
    out: list[tuple[str | None, str]] = []
    total = sum(len(r["text"]) for r in rows) or 1
    if not rows:
        return [(None, "条項が一つも見つかりませんでした。ファイルの中身を確認してください")]
    biggest = max(rows, key=lambda r: len(r["text"]))
    if len(rows) > 1 and total > 1500 and len(biggest["text"]) > 0.5 * total:
        out.append((biggest["id"], f"一つの条項に本文の {len(biggest['text']) * 100 // total}% が入っています。"
                                   "区切りが読み取れていない可能性があります"))
    elif len(rows) == 1 and total > 1500:
        out.append((biggest["id"], "文書全体が一つの条項になりました。条・項の番号が読み取れていない可能性があります"))
    # a checklist's numbered rows (「1」「2」…) are structure too, though they are no article or section
    numbered = sum(1 for r in rows if re.match(r"[0-9０-９]", r.get("label") or ""))
    structured = any(r["level"] in ("article", "section") for r in rows) or numbered * 2 >= len(rows)
    if not structured and len(rows) > 3:
        out.append((None, "条や番号付きの見出しが見つかりませんでした。段落ごとに条項としています"))
    out.extend(_numbering_gaps(rows))
    for r in rows:
        for h in r["heading"][-1:]:
            if "。" in h or len(h) > 40:
                out.append((r["id"], f"見出し「{_short(h, 30)}」が文のように読めます。見出しと本文の区切りを確認してください"))
        t = r["text"]
        if len(t) > _LONG:
            out.append((r["id"], f"とても長い条項です（{len(t)} 文字）。複数の条項がつながっていないか確認してください"))
        if _RE_SPACED.search(t):
            out.append((r["id"], "文字の間に空白が入っています（字間を空けた PDF など）。検索に影響するため原本と比べてください"))
        if _RE_ODD_MARK.match(t):
            out.append((r["id"], f"見慣れない番号の記号「{t[:1]}」で始まっています。項目として読めているか確認してください"))
    seen: set = set()
    uniq = []
    for w in out:          # one message per clause and kind
        k = (w[0], w[1][:12])
        if k not in seen:
            seen.add(k)
            uniq.append(w)
    return uniq


def _numbering_gaps(rows: list[dict]) -> list[tuple[str | None, str]]:
    """第3条 then 第5条, or 第4条 twice: siblings of the same kind whose numbers skip or repeat."""
    out = []
    by_parent: dict = {}
    for r in rows:
        m = re.fullmatch(r"([a-z]+)(\d+)(?:-\d+)?", r["key"].rsplit(".", 1)[-1])
        if not m or m.group(1) not in ("a", "s", "p", "i"):
            continue
        by_parent.setdefault((r["parent_id"], m.group(1)), []).append((int(m.group(2)), r, r["key"].endswith(
            tuple(f"-{k}" for k in range(2, 10)))))
    for (_parent, kind), sibs in by_parent.items():
        prev = None
        for n, r, repeated in sibs:
            if repeated:
                out.append((r["id"], f"番号が重複しています（{_label_tail(r)}が二度あります）"))
            elif prev is not None and n > prev + 1:
                out.append((r["id"], f"番号が飛んでいます（{prev} の次が {n}）。抜けている条項がないか確認してください"))
            prev = n
    return out


def _label_tail(r: dict) -> str:
    return r["label"] or r["key"]


def diff(old: list[dict], new: list[dict]) -> Diff:
    """Clause by clause, by id (the id is the position: a11.p1.i6)."""
    o = {r["id"]: r for r in old}
    n = {r["id"]: r for r in new}
    d = Diff()
    for cid, r in n.items():
        if cid not in o:
            d.added.append((cid, r["citation"]))
        elif _norm(o[cid]["text"]) != _norm(r["text"]):
            d.reworded.append((cid, r["citation"], o[cid]["text"], r["text"]))
    for cid, r in o.items():
        if cid not in n:
            d.removed.append((cid, r["citation"]))
    return d


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def content_citing(slug: str, changed: dict[str, str]) -> list[tuple[str, str, str]]:
    """Files under knowledge/ (checklists, quiz, oversight, report…) that cite a changed clause."""
    if not changed:
        return []
    out = []
    pat = re.compile(re.escape(slug) + r":[A-Za-z0-9_.\-]+")
    for path in sorted(KNOWLEDGE_DIR.rglob("*")):
        if path.suffix not in (".toml", ".json", ".tsv", ".md", ".yaml", ".yml") or "sources" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for cid in sorted(set(pat.findall(text))):
            cid = cid.rstrip(".")
            if cid in changed:
                out.append((str(path.relative_to(KNOWLEDGE_DIR.parent)), cid, changed[cid]))
    return out
