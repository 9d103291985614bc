"""After sending: an incident's timeline, its list, its written report, the alert channel.

Timeline entries (storage.incident_events) are added by buttons — 「市へ報告した」 asks how and
when, 「対応を記録」「メモを残す」「完了にする」 ask for a sentence (the next DM: a short
"entry" session) — or typed: `/mamoru incident INC-2026-0001 note 内容`, `… measure 内容`,
`… city 電話 今日10時`, `… close 内容`, `… ack`, `… report`.
"""
from __future__ import annotations

import re
import time

import sqlite_utils

from handlers import people, workdays
from handlers.incident import answers as ans
from handlers.incident import common as C
from handlers.incident import dates, notify, report, rights
from handlers.replies import Attachment, Button, Outgoing, Reply, Turn
from storage import incidents as store

CITY_METHODS = ("電話", "メール", "書面（持参・郵送）", "対面", "その他")
KINDS = {"city": "city_reported", "measure": "measure", "note": "note", "close": "closed", "reopen": "reopened"}
PROMPTS = {
    "measure": "実施した対応・対策を入力してください（例：「市の担当課にカードの利用停止を依頼した」）。",
    "note": "残しておくメモを入力してください（例：「ICカードが見つかった」「送信先から削除済みの連絡があった」）。",
    "close": "完了とする理由・結果を入力してください（例：「カードの利用停止と再発行が済み、市へ報告済み」）。",
}
LABELS = {"city": "市への報告", "measure": "対応・対策", "note": "メモ", "close": "完了", "reopen": "再開"}
_REF = re.compile(r"^inc-(\d{4})-(\d{1,6})$", re.I)


def normalize_ref(text: str) -> str | None:
    import unicodedata

    m = _REF.match(unicodedata.normalize("NFKC", text or "").strip())
    return f"INC-{m.group(1)}-{int(m.group(2)):04d}" if m else None


def _find(db, viewer: str, ref: str, via: str, *, manage: bool, what: str) -> tuple[dict | None, Turn | None]:
    r = normalize_ref(ref) or (ref or "").strip()
    inc = store.by_ref(db, r)
    if inc is None:
        return None, Turn().add(Reply(f"事故報告「{ref}」は見つかりませんでした（例：INC-2026-0001）。"
                                      "`/mamoru incident list` で一覧を確認できます。"))
    ok = rights.can_manage(db, viewer, inc) if manage else rights.can_view(db, viewer, inc)
    if not ok:
        return None, Turn().add(rights.refuse(db, viewer, inc, f"事故報告 {inc['ref']} の{what}", via, manage=manage))
    return inc, None


# ---- show and list --------------------------------------------------------------------------

def show(db: sqlite_utils.Database, viewer: str, ref: str, via: str) -> Turn:
    inc, refusal = _find(db, viewer, ref, via, manage=False, what="閲覧")
    if refusal:
        return refusal
    events = store.events(db, inc["id"])
    lines = [f"{inc['ref']}（{notify.type_label(inc)}）　状態: {notify.status(db, inc, events)}",
             f"報告者: {C.name(db, inc['reporter_id'])}さん　報告日時: {workdays.format_jst(inc['at'])}",
             *notify.answer_lines(inc), "経過:"]
    lines += [f"・{workdays.format_jst(r['at'])} {r['what']}（{r['who']}）" for r in report.timeline(db, inc)]
    buttons: list[Button] = []
    if rights.can_manage(db, viewer, inc):
        if not notify.acknowledged(db, inc):
            buttons.append(Button("確認しました", C.A_ACK, inc["ref"], "primary"))
        buttons += notify.manage_buttons(inc)
    else:
        buttons.append(Button("メモを残す", C.A_NOTE, inc["ref"]))
    return Turn().add(Reply("\n".join(lines), buttons, ephemeral=True))


def visible(db: sqlite_utils.Database, viewer: str) -> list[dict]:
    """The incidents the viewer may see, as storage.incidents.index rows (no answers)."""
    ok = rights.viewer(db, viewer)
    return [i for i in store.index(db) if ok(i)]


def list_turn(db: sqlite_utils.Database, viewer: str, via: str) -> Turn:
    if C.role(db, viewer) is None:
        return Turn().add(people.registration_info(db, viewer, opening="事故報告の一覧は、登録された方だけがご覧いただけます。"))
    rows = visible(db, viewer)
    if not rows:
        return Turn().add(Reply("ご覧いただける事故・インシデントの報告はありません。", ephemeral=True))
    lines = [f"事故・インシデントの報告（{len(rows)} 件）:"]
    for i in reversed(rows[-50:]):
        lines.append(f"・{i['ref']} {notify.type_label(i)}　{workdays.format_jst(i['at'])}　報告: {C.name(db, i['reporter_id'])}さん"
                     f"　{notify.status_of(db, i)}")
    if len(rows) > 50:
        lines.append(f"ほか {len(rows) - 50} 件（`mamoru incident list` で全件を表示できます）。")
    return Turn().add(Reply("\n".join(lines), ephemeral=True))


# ---- the written report ---------------------------------------------------------------------

def file(db: sqlite_utils.Database, viewer: str, ref: str, via: str) -> Turn:
    inc, refusal = _find(db, viewer, ref, via, manage=True, what="報告書")
    if refusal:
        return refusal
    if via in ("terminal", "cli"):
        return Turn().add(Reply(report.markdown(db, inc) +
                                f"\n（Word 形式は `mamoru incident export {inc['ref']} --format docx` で書き出せます。）"))
    data = report.docx_bytes(db, inc)
    att = Attachment(report.filename(inc, "docx"), data, f"{report.TITLE}（{inc['ref']}）",
                     f"管理者に `mamoru incident export {inc['ref']} --format docx` での書き出しをご依頼ください。")
    out = Outgoing(viewer, Reply(f"{inc['ref']} の報告書（Word 形式）をお送りします（{workdays.format_jst(C.now())} 時点の記録）。"),
                   key=f"incident:file:{inc['ref']}:{viewer}:{time.time_ns()}", file=att)
    return Turn().add(Reply(f"{inc['ref']} の報告書を DM でお送りします。", ephemeral=True), [out])


# ---- entries --------------------------------------------------------------------------------

def record(db: sqlite_utils.Database, actor: str, inc: dict, what: str, via: str, *, text: str = "",
           method: str = "", when: dates.When | None = None, dedupe: str | None = None) -> Turn:
    """Add one timeline entry (what: city, measure, note, close, reopen) and say so."""
    now = C.now()
    detail: dict = {}
    masked: list[str] = []
    if text:
        v = ans.text_value(text)
        detail["text"], masked = v["v"], v["masked"]
    if what == "city":
        w = when or dates.When(now.replace(second=0, microsecond=0), "minute", False, "いま")
        detail.update(method=ans.mask.mask_text(method) if method else "-", when=workdays.iso(w.dt) if w.dt else None, display=w.display())
    with store.transaction(db):
        eid = store.add_event(db, incident_id=inc["id"], kind=KINDS[what], actor=actor, detail=detail, dedupe=dedupe,
                              via=C.via_of(via), at=workdays.iso(now))
    if eid is None:
        return Turn().add(Reply("この記録は既に登録されています（二重には記録していません）。"))
    label = LABELS[what]
    head = f"{inc['ref']} に「{label}」を記録しました（{C.name(db, actor)}さん、{workdays.format_jst(now)}）。"
    if what == "city":
        head += f"\n方法: {detail['method']}　報告日時: {detail['display']}"
    if detail.get("text"):
        head += f"\n内容: {ans.short(detail['text'])}"
    if masked:
        from handlers.incident import mask

        head += f"\n※ {'、'.join(mask.LABELS[k] for k in masked)}と思われる部分は伏せ字にして記録しました。"
    out: list[Outgoing] = []
    if what in ("city", "close") and inc["reporter_id"] != actor:
        out.append(Outgoing(inc["reporter_id"], Reply(f"ご報告の {inc['ref']} に「{label}」が記録されました"
                                                      f"（{C.name(db, actor)}さん、{workdays.format_jst(now)}）。"),
                            key=f"incident:entry:{eid}:reporter"))
    buttons = notify.manage_buttons(inc) if rights.can_manage(db, actor, inc) and what != "close" else []
    return Turn().add(Reply(head, buttons), out, actor, inc["reporter_id"])


def begin(db: sqlite_utils.Database, actor: str, ref: str, what: str, via: str) -> Turn:
    """A button 「市へ報告した」「対応を記録」「メモを残す」「完了にする」: ask for the details."""
    inc, refusal = _find(db, actor, ref, via, manage=(what != "note"), what=f"{LABELS[what]}の記録")
    if refusal:
        return refusal
    with store.transaction(db):
        sid = store.new_session(db, user_id=actor, kind="entry", incident_id=inc["id"],
                                preset={"what": what, "ref": inc["ref"]}, via=C.via_of(via), at=workdays.iso(C.now()))
    return _entry_prompt(db, sid, inc, what, {})


def _entry_prompt(db, sid: int, inc: dict, what: str, got: dict, lead: str = "") -> Turn:
    cancel = Button("キャンセル", C.A_ENTRY_CANCEL, C.value(s=sid), "danger")
    if what == "city":
        if "method" not in got:
            return Turn().add(Reply(f"{lead}{inc['ref']} の市への報告を記録します。どの方法で報告しましたか。",
                                    [*(Button(m, C.A_ENTRY, C.value(s=sid, q="method", c=m)) for m in CITY_METHODS), cancel]))
        return Turn().add(Reply(f"{lead}方法: {got['method']}\nいつ報告しましたか。「いま」を押すか、「今日10時頃」「11/20 15:30」の"
                                "ように入力してください。",
                                [Button("いま", C.A_ENTRY, C.value(s=sid, q="when", c="now"), "primary"), cancel]))
    buttons = [cancel]
    if what == "close":
        buttons.insert(0, Button("理由を書かずに完了にする", C.A_ENTRY, C.value(s=sid, q="text", c=""), "primary"))
    return Turn().add(Reply(f"{lead}{inc['ref']}: {PROMPTS[what]}（次のメッセージを記録します）", buttons))


def _entry_state(db, sid: int) -> tuple[dict | None, dict]:
    sess = store.session(db, sid)
    got: dict = {}
    for s in store.steps(db, sid) if sess else []:
        if s["op"] == "answer":
            got[s["question"]] = s["value"]
    return sess, got


def entry_press(db: sqlite_utils.Database, user_id: str, action: str, raw: str, via: str) -> Turn:
    v = C.parse(raw)
    try:
        sid = int(v.get("s") or 0)
    except (TypeError, ValueError):
        sid = 0
    with store.transaction(db):
        sess, got = _entry_state(db, sid)
        if sess is None or sess["user_id"] != user_id or sess["kind"] != "entry":
            return Turn().add(Reply("この記録の操作は見つかりませんでした。"))
        inc = store.incident(db, sess["incident_id"])
        what = sess["preset"]["what"]
        if store.status(db, sid) in ("done", "cancel"):
            return Turn().add(Reply(f"{inc['ref']} のこの記録の操作は、既に終わっています（二重には記録していません）。"))
        if action == C.A_ENTRY_CANCEL:
            store.append_step(db, session_id=sid, op="cancel", via=C.via_of(via), at=workdays.iso(C.now()))
            return Turn().add(Reply(f"{inc['ref']} の「{LABELS[what]}」の記録をやめました。"))
        q, c = str(v.get("q") or ""), str(v.get("c") or "")
        if what == "city" and q == "method" and "method" not in got and c:
            store.append_step(db, session_id=sid, op="answer", question="method", value=c, via=C.via_of(via),
                              at=workdays.iso(C.now()))
            got["method"] = c
            return _entry_prompt(db, sid, inc, what, got)
        if what == "city" and q == "when" and "method" in got:
            return _finish(db, sess, inc, got, via, when=None)
        if what == "close" and q == "text":
            return _finish(db, sess, inc, got, via, text="")
        return _entry_prompt(db, sid, inc, what, got, lead="このボタンは前に表示したものです。\n")


def entry_text(db: sqlite_utils.Database, user_id: str, sess: dict, text: str, via: str) -> Turn:
    """The next DM after 「対応を記録」 etc.: the entry's text (or the city report's method / time)."""
    raw = (text or "").strip()
    with store.transaction(db):
        sess, got = _entry_state(db, sess["id"])
        inc = store.incident(db, sess["incident_id"])
        what = sess["preset"]["what"]
        if store.status(db, sess["id"]) in ("done", "cancel"):
            return Turn().add(Reply("この記録の操作は既に終わっています。"))
        word = ans.norm(raw)
        if word in {"キャンセル", "cancel", "中止", "やめる"}:
            store.append_step(db, session_id=sess["id"], op="cancel", via=C.via_of(via), at=workdays.iso(C.now()))
            return Turn().add(Reply(f"{inc['ref']} の「{LABELS[what]}」の記録をやめました。"))
        if what == "city":
            if "method" not in got:
                method = next((m for m in CITY_METHODS if ans.norm(m).startswith(word) or word.startswith(ans.norm(m)[:2])),
                              raw[:40] if ans.meaningful(raw) else "")
                if not method:
                    return _entry_prompt(db, sess["id"], inc, what, got, lead="報告の方法を選んでください。\n")
                store.append_step(db, session_id=sess["id"], op="answer", question="method", value=method,
                                  via=C.via_of(via), at=workdays.iso(C.now()))
                got["method"] = method
                return _entry_prompt(db, sess["id"], inc, what, got)
            try:
                w = ans.read_when(raw, C.now())
            except ans.Invalid as e:
                return _entry_prompt(db, sess["id"], inc, what, got, lead=f"{e}\n")
            return _finish(db, sess, inc, got, via, when=w)
        if not ans.meaningful(raw):
            return _entry_prompt(db, sess["id"], inc, what, got, lead="内容が空のようです。\n")
        return _finish(db, sess, inc, got, via, text=raw)


def _finish(db, sess: dict, inc: dict, got: dict, via: str, *, text: str = "", when: dates.When | None = None) -> Turn:
    what = sess["preset"]["what"]
    store.append_step(db, session_id=sess["id"], op="done", via=C.via_of(via), at=workdays.iso(C.now()))
    return record(db, sess["user_id"], inc, what, via, text=text, method=got.get("method", ""), when=when,
                  dedupe=f"entry:{sess['id']}")


# The words of `incident INC-… <verb> …` typed records, and what each records.
TYPED_VERBS = {"note": "note", "メモ": "note", "measure": "measure", "対応": "measure", "対策": "measure",
               "city": "city", "市": "city", "市へ報告": "city", "close": "close", "完了": "close",
               "reopen": "reopen", "再開": "reopen"}


def typed(db: sqlite_utils.Database, actor: str, ref: str, sub: str, rest: str, via: str) -> Turn:
    """`incident INC-… note|measure|city|close|reopen …` typed (Slack, the terminal, the CLI)."""
    what = TYPED_VERBS.get(sub)
    if what is None:
        return Turn().add(Reply(USAGE, ephemeral=True))
    inc, refusal = _find(db, actor, ref, via, manage=(what != "note"), what=f"{LABELS[what]}の記録")
    if refusal:
        return refusal
    if what in ("note", "measure") and not ans.meaningful(rest):
        return Turn().add(Reply(f"記録する内容を続けて入力してください（例：`/mamoru incident {inc['ref']} {sub} 内容`）。",
                                ephemeral=True))
    if what == "city":
        parts = rest.split(maxsplit=1)
        method = parts[0] if parts else ""
        if not method:
            return Turn().add(Reply(f"報告の方法と日時を続けて入力してください（例：`/mamoru incident {inc['ref']} city 電話 今日10時`）。",
                                    ephemeral=True))
        when = None
        if len(parts) > 1:
            try:
                when = ans.read_when(parts[1], C.now())
            except ans.Invalid as e:
                return Turn().add(Reply(str(e), ephemeral=True))
        return record(db, actor, inc, "city", via, method=method, when=when)
    return record(db, actor, inc, what, via, text=rest)


# ---- the alert channel ----------------------------------------------------------------------

_CHANNEL = re.compile(r"^<?#?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?$")


def alert(db: sqlite_utils.Database, actor: str, rest: str, via: str) -> Turn:
    if actor != people.CLI_ACTOR and C.role(db, actor) not in C.MANAGER_ROLES:
        from handlers import access

        r = access.require(db, actor, what="事故の通知チャンネルの設定", via=C.via_of(via), need="all")
        return Turn().add(r or Reply("通知チャンネルの設定は、情報セキュリティ対策責任者・管理者だけが行えます。", ephemeral=True))
    arg = rest.strip()
    if not arg:
        ch = store.alert_channel(db)
        return Turn().add(Reply(f"事故の通知チャンネル: {ch or '設定なし（作業責任者と責任者への DM のみ）'}。"
                                "`/mamoru incident alert #チャンネル` で設定、`/mamoru incident alert off` で解除できます。",
                                ephemeral=True))
    if arg.lower() in ("off", "なし", "解除", "none"):
        channel = None
    else:
        m = _CHANNEL.match(arg)
        if not m:
            return Turn().add(Reply("チャンネルを指定してください（例：`/mamoru incident alert #security-alerts` または "
                                    "チャンネル ID `C0123ABCD`）。", ephemeral=True))
        channel = m.group(1)
    with store.transaction(db):
        store.set_alert_channel(db, channel=channel, actor=actor, via=C.via_of(via), at=workdays.iso(C.now()))
    if channel is None:
        return Turn().add(Reply("事故の通知チャンネルを解除しました。事故の報告は作業責任者と責任者への DM だけでお知らせします。",
                                ephemeral=True))
    return Turn().add(Reply(f"事故の通知チャンネルを {channel} に設定しました。報告があると、受付番号と種別だけを"
                            "このチャンネルにお知らせします（内容や個人情報は載せません）。mamoru をチャンネルに招待してください。",
                            ephemeral=True))


USAGE = ("事故・インシデント報告の使い方:\n"
         "・`/mamoru incident`（または DM で「インシデント報告」）: 報告を始めます\n"
         "・`/mamoru incident list`: ご覧いただける報告の一覧\n"
         "・`/mamoru incident INC-2026-0001`: 報告の内容と経過\n"
         "・`/mamoru incident INC-2026-0001 ack`: 確認しました（作業責任者・責任者）\n"
         "・`/mamoru incident INC-2026-0001 note 内容`: メモを残す\n"
         "・`/mamoru incident INC-2026-0001 measure 内容`: 対応・対策を記録\n"
         "・`/mamoru incident INC-2026-0001 city 電話 今日10時`: 市への報告を記録\n"
         "・`/mamoru incident INC-2026-0001 close 内容`: 完了にする\n"
         "・`/mamoru incident INC-2026-0001 report`: 報告書ファイルを受け取る\n"
         "・`/mamoru incident alert #チャンネル|off`: 通知チャンネル（情報セキュリティ対策責任者・管理者）")
