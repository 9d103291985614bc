"""Contracts as explicit things: added, listed, renamed and removed on purpose, never on the side.

A name that is not a contract in force is refused everywhere with the closest existing names
(rapidfuzz), so a typo (吉川 for 吉川市) cannot start a contract of its own; not even a name that is
exactly a loaded document's municipality is created on the side. A contract comes into being only
by `contract add` (or `users contract NAME`, the same add for admins in Slack and the terminal chat).
Slack-agnostic; the CLI (`mamoru contract …`) and `users …` call these.

    known(db, name) -> str                      # the name, or UnknownContract with suggestions
    add / rename / remove / listing              # each returns (status, Japanese text)
    current_names(db) -> {earlier name: name now}  # what exports and reports show for a record
"""
from __future__ import annotations

import unicodedata

import sqlite_utils

from storage import people as store


class UnknownContract(ValueError):
    """A contract name that is not in force; the message says so and offers the closest names."""


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").strip()


# A name typed for an existing contract is suggested the close ones (「吉川」 → 吉川市); a new contract is warned of
# only a near-duplicate (「吉川市役所」 beside 吉川市), not of another city sharing a character (七瀬川市, 57).
SUGGEST_CUTOFF = 50
DUPLICATE_CUTOFF = 80


def suggestions(db: sqlite_utils.Database, name: str, limit: int = 3, among: list[str] | None = None,
                cutoff: float = SUGGEST_CUTOFF) -> list[str]:
    from rapidfuzz import fuzz, process

    names = [c["name"] for c in store.contracts(db)] if among is None else list(among)
    if not names:
        return []
    hits = process.extract(normalise(name), names, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [h[0] for h in hits]


def unknown_message(db: sqlite_utils.Database, name: str, among: list[str] | None = None) -> str:
    """Why `name` is refused, with the closest names; `among` limits what may be named (a lead
    hears only of the contracts they may see, and is not told how to add one)."""
    close = suggestions(db, name, among=among)
    names = [c["name"] for c in store.contracts(db)] if among is None else among
    if close:
        hint = "もしかして: " + "、".join(f"「{c}」" for c in close) + " でしょうか。"
    else:
        hint = ("登録されている案件: " + "、".join(f"「{c}」" for c in names) + "。") if names \
            else "登録されている案件はまだありません。"
    add = f"新しい案件は `mamoru contract add {name}` で登録してください。" if among is None else ""
    new = store.renamed_to(db, name)
    if new and (among is None or new in among):
        return f"案件「{name}」は「{new}」に名前が変わりました（もしかして: 「{new}」）。これまでの記録は「{new}」に含まれます。"
    return f"案件「{name}」は登録されていません。{hint}{add}"


def current_names(db: sqlite_utils.Database) -> dict[str, str]:
    """Every earlier name of a contract in force -> its name now. A record keeps the name it was
    written under (it is sealed in the audit chain); what a lead, an officer or the city reads names
    the contract as it is called now, with the recorded name beside it where they differ."""
    out: dict[str, str] = {}
    for c in store.contracts(db):
        for old in store.earlier_names(db, c["name"]):
            out.setdefault(old, c["name"])
    return out


def now_called(names: dict[str, str], recorded: str | None) -> tuple[str, str]:
    """(the name now, the recorded name when it differs, else "") for one record; `names` from current_names."""
    if not recorded:
        return "", ""
    now = names.get(recorded, recorded)
    return now, (recorded if now != recorded else "")


def known(db: sqlite_utils.Database, name: str) -> str:
    n = normalise(name)
    if not n:
        raise UnknownContract("案件名を指定してください。")
    if store.contract(db, n) is None:
        raise UnknownContract(unknown_message(db, n))
    return n


def _check_docs(db: sqlite_utils.Database, docs: list[str]) -> None:
    from storage import kb

    missing = [s for s in docs if not kb.document(db, s)]
    if missing:
        raise UnknownContract(f"文書「{'、'.join(missing)}」は読み込まれていません（`mamoru kb list` で確認できます）。")


def add(db: sqlite_utils.Database, name: str, *, municipality: str | None, docs: list[str], actor: str, via: str,
        at: str) -> tuple[int, str]:
    n = normalise(name)
    if not n:
        return 2, "案件名を指定してください。"
    if store.contract(db, n) is not None:
        return 1, f"案件「{n}」は既に登録されています（`mamoru contract list` で確認できます）。"
    if store.in_renames(db, n):
        return 1, _taken(db, n)
    try:
        _check_docs(db, docs)
    except UnknownContract as e:
        return 2, str(e)
    close = [c for c in suggestions(db, n, cutoff=DUPLICATE_CUTOFF) if c != n]
    muni = normalise(municipality or "") or n
    store.append_contract(db, name=n, municipality=muni, doc_slugs=docs or None, actor=actor, via=via, at=at)
    from handlers import people

    note = f"\n（似た名前の案件があります: {'、'.join(f'「{c}」' for c in close)}。同じ案件でしたら `mamoru contract remove {n}` で取り消せます。）" if close else ""
    return 0, f"案件「{n}」（自治体: {muni}）を登録しました。{people.docs_note(db, n)}{note}"


def _taken(db: sqlite_utils.Database, name: str) -> str:
    """Why a name that took part in a rename is not given to a new contract: records written under it
    belong to the contract it became, and must not be counted for another."""
    new = store.renamed_to(db, name)
    where = f"案件「{new}」の以前の名前" if new else "以前の案件の名前"
    return (f"「{name}」は{where}で、その名前の記録があるため新しい案件には使えません。別の名前を指定してください。")


def listing(db: sqlite_utils.Database) -> list[dict]:
    from handlers import people

    out = []
    for c in store.contracts(db):
        refs = dict(store.contract_references(db, c["name"]))
        out.append({"name": c["name"], "municipality": c["municipality"], "docs": people.contract_docs(db, c["name"]),
                    "people": refs.get("登録されている方", 0), "renamed_from": c.get("renamed_from"),
                    "updated_at": c["at"]})
    return out


def listing_text(db: sqlite_utils.Database) -> str:
    rows = listing(db)
    if not rows:
        return "登録されている案件はまだありません。`mamoru contract add 案件名 [--municipality 自治体名] [--doc 文書]` で登録できます。"
    lines = [f"登録されている案件（{len(rows)} 件）:"]
    for r in rows:
        lines.append(f"・{r['name']}（自治体: {r['municipality'] or '-'}、文書: {'、'.join(r['docs']) or '未読み込み'}、"
                     f"登録者 {r['people']} 名" + (f"、旧名: {r['renamed_from']}" if r["renamed_from"] else "") + "）")
    return "\n".join(lines)


def _refs_text(refs: list[tuple[str, int]]) -> str:
    return "、".join(f"{w} {k} {'名' if w == '登録されている方' else '件'}" for w, k in refs)


def rename(db: sqlite_utils.Database, old: str, new: str, *, actor: str, via: str, at: str) -> tuple[int, str]:
    """The contract under a new name: its people and settings move with it (each a new record).
    Records already written keep the name they were written under (they are sealed in the audit
    chain), and count for the new name: the new row names the old one (storage.people.names_of)."""
    try:
        o = known(db, old)
    except UnknownContract as e:
        return 1, str(e)
    n = normalise(new)
    if not n:
        return 2, "新しい案件名を指定してください。"
    if n == o:
        return 1, f"案件「{o}」は既にその名前です。"
    if store.contract(db, n) is not None:
        return 1, f"案件「{n}」は既にあります。別の名前を指定するか、先に `mamoru contract remove {n}` で取り消してください。"
    if store.in_renames(db, n) and n not in store.names_of(db, o):     # back to its own earlier name is fine
        return 1, _taken(db, n)
    c = store.contract(db, o)
    from handlers import people

    # The city stays the city: only a municipality that was merely the old name and binds no document
    # (a typo such as 草加) takes the new name; 吉川市 → 吉川市役所 keeps 吉川市 and its documents.
    muni = n if c["municipality"] == o and not people.contract_docs(db, o) else c["municipality"]
    moved = 0
    with store.transaction(db):
        store.append_contract(db, name=n, municipality=muni,
                              doc_slugs=c["doc_slugs"], actor=actor, via=via, at=at, renamed_from=o)
        for p in store.everyone(db):
            if o in p["contracts"]:
                contracts = [n if x == o else x for x in p["contracts"]]
                store.append(db, user_id=p["user_id"], change="contract_renamed", name=p["name"], role=p["role"],
                             contracts=list(dict.fromkeys(contracts)), lead_id=p["lead_id"],
                             start_date=p["start_date"], days_off=p["days_off"], active=p["active"], actor=actor,
                             via=via, at=at)
                moved += p["active"]
        copied = store.copy_settings(db, o, n, actor=actor, via=via, at=at)
        store.append_contract(db, name=o, municipality=c["municipality"], doc_slugs=c["doc_slugs"], actor=actor,
                              via=via, at=at, state="removed")
    evidence = [(w, k) for w, k in store.contract_references(db, n) if w != "登録されている方"]
    lines = [f"案件「{o}」を「{n}」に変更しました（登録されている方 {moved} 名"
             + ("、設定" if copied else "") + "を引き継ぎました）。"]
    if evidence:
        lines.append("これまでの記録（" + _refs_text(evidence) + f"）は「{n}」の記録として報告・書き出し・状況に含まれます"
                     f"（記録そのものは書き換えず、記録した時点の名前「{o}」が残ります）。")
    return 0, "\n".join(lines)


def remove(db: sqlite_utils.Database, name: str, *, actor: str, via: str, at: str) -> tuple[int, str]:
    """Remove a contract nobody and nothing refers to (a typo, a contract never used)."""
    try:
        n = known(db, name)
    except UnknownContract as e:
        return 1, str(e)
    with store.transaction(db):
        refs = store.contract_references(db, n)
        if refs:
            return 1, (f"案件「{n}」は使われているため取り消せません（" + _refs_text(refs)
                       + "）。契約の終了は `mamoru contract close` と `mamoru contract purge` で行います。")
        c = store.contract(db, n)
        store.append_contract(db, name=n, municipality=c["municipality"], doc_slugs=c["doc_slugs"], actor=actor,
                              via=via, at=at, state="removed")
    return 0, f"案件「{n}」を取り消しました（記録は履歴として残ります）。"
