"""Blank forms (様式) kept apart when a document was loaded: listed, shown, and sent as .docx.

`/mamoru 様式` (or 「様式」 in a DM, the terminal) lists the forms of every loaded document;
`/mamoru 様式 hozen:form2` or `/mamoru 様式 状況報告書` shows one and, in Slack, sends it to the
person's DM as a Word file to fill in (handlers.forms_docx). Registered people only (the forms
are blank, but they are the contract's paperwork). `mamoru kb show SLUG` / `kb show SLUG:form1` /
`kb form SLUG:form1 -o FILE.docx` do the same from the command line.
"""
from __future__ import annotations

import re
import time
import unicodedata

import sqlite_utils

from handlers import access, capabilities
from handlers.replies import Attachment, Outgoing, Reply, Turn
from storage import kb as kb_store

WORDS = ["様式", "form", "forms"]
_ID = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_\-]*):form(\d+)$")


def forms_of(db: sqlite_utils.Database, slug: str) -> list[dict]:
    return kb_store.forms_of(db, slug)


def all_forms(db: sqlite_utils.Database) -> list[dict]:
    out = []
    for d in kb_store.documents(db):
        out += [dict(f, doc=d) for f in kb_store.forms_of(db, d["slug"])]
    return out


def get(db: sqlite_utils.Database, form_id: str) -> dict | None:
    m = _ID.match((form_id or "").strip())
    if not m:
        return None
    doc = kb_store.document(db, m.group(1))
    if not doc:
        return None
    for f in kb_store.forms_of(db, doc["slug"]):
        if f["id"] == form_id.strip():
            return dict(f, doc=doc)
    return None


def find(db: sqlite_utils.Database, words: str) -> list[dict]:
    """A form by id, else by (part of) its title, NFKC, spaces ignored."""
    f = get(db, words)
    if f:
        return [f]
    want = re.sub(r"\s+", "", unicodedata.normalize("NFKC", words))
    return [f for f in all_forms(db) if want and want in re.sub(r"\s+", "", unicodedata.normalize("NFKC", f["title"]))]


def source_of(f: dict) -> str:
    d = f["doc"]
    return f"{d['municipality'] + ' ' if d.get('municipality') else ''}{d['title']} {f['title']}"


def list_lines(forms: list[dict]) -> list[str]:
    return [f"・{f['id']}　{f['title']}（{source_of(f).rsplit(' ', 1)[0]}）" for f in forms]


def show_text(f: dict) -> str:
    return f"【様式】{source_of(f)}（{f['id']}）\n{f['text']}"


def docx(f: dict) -> bytes:
    from handlers import forms_docx

    return forms_docx.build(f["title"], f["text"], source_of(f))


def filename(f: dict) -> str:
    return re.sub(r'[\\/:*?<>|"\s]', "_", f"{f['title']}_{f['id'].replace(':', '_')}") + ".docx"


def command(db: sqlite_utils.Database, user_id: str, rest: str, via: str) -> Turn:
    refused = access.require(db, user_id, what="様式", via=via, need="self")
    if refused:
        return Turn().add(refused)
    rest = rest.strip()
    if not rest:
        forms = all_forms(db)
        if not forms:
            return Turn().add(Reply("読み込まれている文書に様式（記入用の書式）はありません。", ephemeral=True))
        return Turn().add(Reply("\n".join(["読み込まれている様式です。`/mamoru 様式 番号` で内容と Word ファイルをお送りします。",
                                           *list_lines(forms)]), ephemeral=True))
    found = find(db, rest)
    if not found:
        return Turn().add(Reply(f"様式「{rest}」は見つかりませんでした。`/mamoru 様式` で一覧をご覧ください。", ephemeral=True))
    if len(found) > 1:
        return Turn().add(Reply("\n".join([f"「{rest}」に当たる様式が複数あります。番号で指定してください。",
                                           *list_lines(found)]), ephemeral=True))
    f = found[0]
    if via in ("terminal", "cli"):
        return Turn().add(Reply(show_text(f) + f"\nWord ファイルは `mamoru kb form {f['id']} -o ファイル名.docx` で書き出せます。",
                                ephemeral=True))
    att = Attachment(filename(f), docx(f), f"{f['title']}（記入用）", f"管理者に `mamoru kb form {f['id']}` での書き出しをご依頼ください。")
    out = Outgoing(user_id, Reply(f"{source_of(f)} の記入用の Word ファイルです。原本と照合のうえお使いください。"),
                   key=f"form:file:{f['id']}:{user_id}:{time.time_ns()}", file=att)
    return Turn().add(Reply(show_text(f) + "\n記入用の Word ファイルを DM でお送りします。", ephemeral=True), [out])


capabilities.register_command(WORDS, command)
