"""A contract's document dropped into the DM: which contract, then load it and report.

An officer or admin shares a PDF, Word, Excel or HTML file (or text) in the DM with the app:
  1. shared(): who may (officers, admins), what kind of file, and its size as Slack reports it,
     all checked before anything is downloaded; then 「どの案件の文書ですか」 with a button per
     contract (and one for a document bound to no contract).
  2. choose(): the button; returns the upload to fetch (the runtime downloads it), or a refusal.
  3. load(): knowledge.library.load_file with the bytes; the load report and its warnings back, or
     what changed when it is a revised version (the same file name loaded before keeps its slug).
The document joins the contract's documents. Slack-agnostic: the bytes come in as an argument.
"""
from __future__ import annotations

import re
from pathlib import Path

import sqlite_utils

from handlers import contracts as contract_names
from handlers import people, workdays
from handlers.replies import Button, Reply, Turn
from storage import kb as kb_store
from storage import people as pstore
from storage import uploads as store

ACTION_CHOOSE = "document_contract"
ACTION_CANCEL = "document_cancel"
MAY_LOAD = ("officer", "admin")
KINDS = {".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".odt": "OpenDocument", ".xlsx": "Excel", ".xlsm": "Excel",
         ".html": "HTML", ".htm": "HTML", ".txt": "テキスト", ".md": "テキスト", ".csv": "CSV", ".tsv": "CSV"}
FILETYPES = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "xlsm": ".xlsm", "html": ".html", "text": ".txt",
             "markdown": ".md", "csv": ".csv", "tsv": ".tsv", "xls": ".xls", "doc": ".doc", "odt": ".odt"}
# Old binary Office files: told at once what to save them as, nothing downloaded
OLD_KINDS = {".xls": "古い形式の Excel（.xls）のファイルは読み込めません。Excel で開いて「名前を付けて保存」から"
                     "「Excel ブック（.xlsx）」で保存し直してからお送りください。"}
ACCEPTED = "PDF、Word（.docx、.doc）、OpenDocument（.odt）、Excel（.xlsx）、CSV、HTML またはテキスト"
MAX_BUTTONS = 20
NO_CONTRACT = "-"


def max_bytes() -> int:
    from knowledge.readers import MAX_BYTES

    return MAX_BYTES


def _kind(name: str, filetype: str) -> str | None:
    ext = Path(name).suffix.lower() or FILETYPES.get((filetype or "").lower(), "")
    return KINDS.get(ext)


def _reply(text: str, **kw) -> Turn:
    return Turn().add(Reply(text, ephemeral=False, **kw))


def shared(db: sqlite_utils.Database, user_id: str, file: dict, via: str) -> Turn:
    """A file shared in the DM (`file`: Slack's file object from files.info: id, name, size, filetype)."""
    name = file.get("name") or file.get("title") or file.get("id") or "file"
    p = people.get_person(db, user_id)
    if not p or p["role"] not in MAY_LOAD:
        return _reply(f"ファイル「{name}」を受け取りましたが、文書の読み込みは情報セキュリティ対策責任者と管理者の方だけが"
                      "行えます。契約の文書を追加したい場合は、情報セキュリティ対策責任者にお送りください。")
    kind = _kind(name, file.get("filetype") or "")
    old_kind = OLD_KINDS.get(Path(name).suffix.lower() or FILETYPES.get((file.get("filetype") or "").lower(), ""))
    if kind is None and old_kind:
        return _reply(f"ファイル「{name}」は{old_kind}")
    if kind is None:
        return _reply(f"ファイル「{name}」は読み込めない種類です。契約の情報セキュリティの文書を{ACCEPTED}でお送りください。")
    size = int(file.get("size") or 0)
    if size > max_bytes():
        return _reply(f"ファイル「{name}」は大きすぎます（{size / 1024 / 1024:.1f} MB、上限 {max_bytes() // 1024 // 1024} MB）。"
                      "ダウンロードはしていません。特記事項の部分だけを別のファイルに分けてお送りください。")
    if size <= 0:
        return _reply(f"ファイル「{name}」は空です。本文の入ったファイルをお送りください。")
    uid = store.add(db, user_id=user_id, file_id=file["id"], name=name, size=size, filetype=file.get("filetype") or "",
                    via=via, at=workdays.iso())
    names = [c["name"] for c in pstore.contracts(db)]
    buttons = [Button(c[:70], ACTION_CHOOSE, f"{uid}:{c}") for c in names[:MAX_BUTTONS]]
    buttons.append(Button("案件に結び付けない", ACTION_CHOOSE, f"{uid}:{NO_CONTRACT}"))
    buttons.append(Button("読み込まない", ACTION_CANCEL, str(uid), "danger"))
    more = "" if len(names) <= MAX_BUTTONS else f"（案件が多いため最初の {MAX_BUTTONS} 件を表示しています）"
    return _reply(f"{kind}ファイル「{name}」（{size / 1024:.0f} KB）を受け取りました。どの案件の文書ですか。{more}\n"
                  "選ぶと読み込み、条項の数と確認が必要な点をお知らせします。同じファイル名の文書を前に読み込んでいれば、"
                  "その改訂版として変わった条項をお知らせします。", buttons=buttons)


def _upload(db, user_id: str, value: str) -> tuple[dict | None, str | None, str | None]:
    """(upload, contract or None, refusal text)."""
    raw_id, _, contract = (value or "").partition(":")
    try:
        up = store.get(db, int(raw_id))
    except ValueError:
        up = None
    if up is None:
        return None, None, "このファイルの受け付け記録が見つかりませんでした。もう一度ファイルをお送りください。"
    if up["user_id"] != user_id:
        return None, None, "このファイルを送った方だけが選べます。"
    if up["outcome"]:
        done = {"loaded": "読み込み済み", "refused": "読み込めなかったもの", "cancelled": "取りやめたもの"}[up["outcome"]]
        return None, None, f"ファイル「{up['name']}」は既に{done}です。"
    return up, (None if contract in ("", NO_CONTRACT) else contract), None


def choose(db: sqlite_utils.Database, user_id: str, value: str) -> tuple[dict | None, str | None, Turn | None]:
    """The button: (upload to download, contract) or (None, None, refusal Turn)."""
    p = people.get_person(db, user_id)
    if not p or p["role"] not in MAY_LOAD:
        return None, None, _reply("文書の読み込みは情報セキュリティ対策責任者と管理者の方だけが行えます。")
    up, contract, why = _upload(db, user_id, value)
    if why:
        return None, None, _reply(why)
    if contract is not None:
        try:
            contract = contract_names.known(db, contract)
        except contract_names.UnknownContract as e:
            return None, None, _reply(str(e))
    return up, contract, None


def cancel(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    up, _, why = _upload(db, user_id, f"{value}:")
    if why:
        return _reply(why)
    store.finish(db, upload_id=up["id"], outcome="cancelled", contract=None, slug=None, detail={}, actor=user_id,
                 via=via, at=workdays.iso())
    return _reply(f"ファイル「{up['name']}」は読み込みませんでした。")


def _slug(db, name: str, contract: str | None) -> str:
    """The slug of the document loaded before from the same file name (a revision), preferring the
    contract's own documents; else a new slug from the name, never one already taken."""
    from knowledge import library

    docs = kb_store.documents(db)
    mine = set(people.contract_docs(db, contract)) if contract else set()
    same = [d for d in docs if (d.get("file_name") or "") == Path(name).name and not d.get("builtin")]
    same.sort(key=lambda d: d["slug"] not in mine)
    if same:
        return same[0]["slug"]
    base = library.slug_for(name)
    taken = {d["slug"] for d in docs}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def load(db: sqlite_utils.Database, user_id: str, upload: dict, contract: str | None, data: bytes,
         via: str) -> Turn:
    """Load the downloaded bytes; the report (or the refusal) back to the person."""
    from knowledge import library

    at = workdays.iso()
    name = upload["name"]
    if len(data) > max_bytes():
        store.finish(db, upload_id=upload["id"], outcome="refused", contract=contract, slug=None,
                     detail={"reason": "too_large", "bytes": len(data)}, actor=user_id, via=via, at=at)
        return _reply(f"ファイル「{name}」は大きすぎるため読み込みませんでした（上限 {max_bytes() // 1024 // 1024} MB）。")
    if not store.claim(db, upload["id"]):
        return _reply(f"ファイル「{name}」は既に処理済みです。")
    c = pstore.contract(db, contract) if contract else None
    municipality = (c["municipality"] if c else None) or None
    slug = _slug(db, name, contract)
    old = kb_store.document(db, slug)
    try:
        report = library.load_file(db, data, name=name, slug=slug, title=old["title"] if old else None,
                                   municipality=municipality or (old["municipality"] if old else None))
    except library.LoadRefused as e:
        store.finish(db, upload_id=upload["id"], outcome="refused", contract=contract, slug=None,
                     detail={"reason": str(e)}, actor=user_id, via=via, at=at)
        return _reply(f"ファイル「{name}」は読み込めませんでした。\n{e}")
    bound = ""
    if c is not None:
        docs = people.contract_docs(db, contract)
        if slug not in docs:
            pstore.append_contract(db, name=contract, municipality=c["municipality"], doc_slugs=[*docs, slug],
                                   actor=user_id, via=via, at=at)
        bound = f"案件「{contract}」の文書に加えました。"
    store.finish(db, upload_id=upload["id"], outcome="loaded", contract=contract, slug=slug,
                 detail={"changed": report.changed, "warnings": len(report.warnings), "clauses": report.clauses},
                 actor=user_id, via=via, at=at)
    head = (f"ファイル「{name}」を{'改訂版として' if old else ''}読み込みました（文書 {slug}）。{bound}"
            if report.changed else f"ファイル「{name}」は読み込み済みの文書（{slug}）と同じ内容でした。")
    lines = [head, *report.lines_ja()]
    lines.append(f"条項の一覧はサーバーで `mamoru kb show {slug}` で確認できます。")
    return _reply("\n".join(lines))


# A file this large takes more than a few seconds to read, split and embed (about 10 ms a clause): the person
# is told at once that it is being loaded, so a silent minute is not taken for a failure.
SLOW_BYTES = 100_000


def loading_note(upload: dict, data: bytes) -> str | None:
    """What to say before loading a large file (None for a small one, or one that will be refused)."""
    if len(data) < SLOW_BYTES or len(data) > max_bytes():
        return None
    return (f"ファイル「{upload['name']}」（{len(data) / 1024 / 1024:.1f} MB）を読み込んでいます。大きな文書は数分かかることが"
            "あります。終わりましたら、読み込みの結果をこちらでお知らせします。")


def is_loadable_name(name: str) -> bool:
    return bool(re.search(r"\.(pdf|docx|xlsx|xlsm|html?|txt|md)$", name or "", re.I))


def _cancel_action(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    return cancel(db, user_id, value, via)


def _register() -> None:
    from handlers import capabilities

    capabilities.register_action(ACTION_CANCEL, _cancel_action)


_register()
