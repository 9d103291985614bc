"""Through the Slack stand-in and `mamoru serve --http`: a document dropped into the DM (which
contract → files.info → url_private with the bot token → load report; a revised version → what
changed; too large or the wrong person → nothing downloaded), a form sent as .docx, the admin's
add-a-person form, and approving a registration request with the details it lacks."""
from __future__ import annotations

import io
import json

import pytest

from slack_standin import BOT_TOKEN, block_actions, new_ts, selected, serve_env, view_submission
from storage import kb as kb_store
from storage import people as pstore
from storage.db import open_db

PEOPLE = [
    ["add", "UADM", "--name", "管理者", "--role", "admin"],
    ["add", "UOFF", "--name", "対策花子", "--role", "officer"],
    ["add", "ULEAD", "--name", "責任一郎", "--role", "lead", "--contract", "吉川市"],
    ["add", "UW1", "--name", "作業太郎", "--contract", "吉川市", "--lead", "ULEAD"],
]

V1 = """<html><head><title>情報セキュリティ特記事項</title></head><body>
<h1>情報セキュリティ特記事項</h1>
<h2>第1条（目的）</h2><p>この特記事項は、委託業務における情報の適正な取扱いを定める。</p>
<h2>第2条（持ち出しの禁止）</h2><p>受託者は、市の許可なく情報を庁外に持ち出してはならない。</p>
<h2>第3条（事故の報告）</h2><p>受託者は、事故が発生したときは、直ちに市に報告しなければならない。</p>
</body></html>"""
V2 = V1.replace("直ちに市に報告", "直ちに市に電話で報告").replace(
    "</body>", "<h2>第4条（教育）</h2><p>受託者は、従事者に情報セキュリティの教育を行わなければならない。</p></body>")


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    yield from serve_env(slack, tmp_path_factory.mktemp("ops_slack"), PEOPLE, contracts=["吉川市"])


def share(env, slack, user: str, file_id: str, subtype: str | None = "file_share") -> None:
    ts = new_ts()
    event = {"type": "message", "channel_type": "im", "channel": "D" + user[1:],
             "user": user, "text": "", "ts": ts, "event_ts": ts, "files": [{"id": file_id}]}
    if subtype:
        event["subtype"] = subtype
    status, _, _ = env["server"].event(event, f"Ev{file_id}{ts}")
    assert status == 200


def posted(slack, user: str, needle: str, count: int = 1):
    return slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") in ("D" + user[1:], user)
                          and needle in (c.text_of_blocks() + str(c.params.get("text"))), count=count, timeout=30)


def buttons(call) -> list[dict]:
    out = []
    for b in call.blocks():
        for e in b.get("elements", []) if b.get("type") == "actions" else []:
            out.append(e)
    return out


def press(env, slack, user: str, element: dict, call) -> None:
    payload = block_actions(user, element["action_id"], element["value"], response_url=slack.hook_url(f"p{new_ts()}"),
                            message_ts=call.params.get("ts") or new_ts())
    status, _, _ = env["server"].interactive(payload)
    assert status == 200


def test_an_officer_drops_a_document_picks_the_contract_and_gets_the_report_then_a_revision(env, slack):
    slack.files["FDOC1"] = {"name": "特記事項.html", "data": V1.encode(), "filetype": "html", "mimetype": "text/html",
                            "user": "UOFF"}
    share(env, slack, "UOFF", "FDOC1")
    [ask] = posted(slack, "UOFF", "どの案件の文書ですか")
    assert slack.find("files.info", lambda c: c.params.get("file") == "FDOC1")
    assert not slack.find("download:FDOC1")                    # nothing downloaded before the choice
    labels = [e["text"]["text"] for e in buttons(ask)]
    assert labels == ["吉川市", "案件に結び付けない", "読み込まない"]
    press(env, slack, "UOFF", buttons(ask)[0], ask)
    [done] = slack.wait_for(None, lambda c: c.method.startswith("hook:") and "読み込みました" in c.text_of_blocks()
                            + str(c.params.get("text")), timeout=60)
    text = done.text_of_blocks() + str(done.params.get("text"))
    assert "案件「吉川市」の文書に加えました" in text and "条項" in text
    [dl] = slack.find("download:FDOC1")
    assert dl.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    db = open_db(env["db_path"])
    slug = [d["slug"] for d in kb_store.documents(db) if d.get("file_name") == "特記事項.html"][0]
    from handlers import people

    assert {slug, "yoshikawa"} <= set(people.contract_docs(db, "吉川市"))
    # a double press loads nothing twice
    press(env, slack, "UOFF", buttons(ask)[0], ask)

    slack.files["FDOC2"] = {"name": "特記事項.html", "data": V2.encode(), "filetype": "html", "user": "UOFF"}
    share(env, slack, "UOFF", "FDOC2")
    ask2 = posted(slack, "UOFF", "どの案件の文書ですか", count=2)[-1]
    press(env, slack, "UOFF", buttons(ask2)[0], ask2)
    [rev] = slack.wait_for(None, lambda c: c.method.startswith("hook:") and "改訂版として" in c.text_of_blocks()
                           + str(c.params.get("text")), timeout=60)
    text = rev.text_of_blocks() + str(rev.params.get("text"))
    assert "前の版からの変更: 追加 1 件" in text and "文言の変更 1 件" in text and f"（文書 {slug}）" in text
    rows = open_db(env["db_path"]).execute("SELECT outcome FROM document_upload_results ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["loaded", "loaded"]


def test_a_large_document_is_announced_at_once_and_reported_when_loaded(env, slack):
    """Reading and embedding a large attachment takes a while: a silent minute looks like a failure."""
    from handlers import documents

    articles = "".join(f"<h2>第{n}条（作業記録{n}）</h2><p>受託者は、作業{n}を行ったときは、その日時、作業者及び内容を"
                       f"記録し、市の求めに応じて提出しなければならない。記録は契約終了後五年間保存すること。</p>"
                       for n in range(1, 400))
    big = f"<html><head><title>作業記録特記事項</title></head><body><h1>作業記録特記事項</h1>{articles}</body></html>"
    assert len(big.encode()) > documents.SLOW_BYTES
    slack.files["FSLOW"] = {"name": "作業記録特記事項.html", "data": big.encode(), "filetype": "html", "user": "UOFF"}
    share(env, slack, "UOFF", "FSLOW")
    [ask] = slack.wait_for("chat.postMessage", lambda c: "どの案件の文書ですか" in c.text_of_blocks()
                           and "作業記録特記事項.html" in c.text_of_blocks(), timeout=30)
    press(env, slack, "UOFF", buttons(ask)[0], ask)

    def said(needle):
        return lambda c: c.method.startswith("hook:") and needle in c.text_of_blocks() + str(c.params.get("text")) \
            and "作業記録特記事項.html" in c.text_of_blocks() + str(c.params.get("text"))

    [note] = slack.wait_for(None, said("を読み込んでいます"), timeout=60)
    [done] = slack.wait_for(None, said("を読み込みました"), timeout=120)
    assert note.at < done.at and "数分かかることがあります" in note.text_of_blocks() + str(note.params.get("text"))


def test_too_large_or_not_an_officer_nothing_is_downloaded(env, slack):
    slack.files["FBIG"] = {"name": "巨大.pdf", "data": b"%PDF-1.4", "size": 200 * 1024 * 1024, "filetype": "pdf"}
    share(env, slack, "UOFF", "FBIG")
    posted(slack, "UOFF", "大きすぎます")
    slack.files["FW"] = {"name": "規程.docx", "data": b"PK\x03\x04", "filetype": "docx"}
    share(env, slack, "UW1", "FW")
    posted(slack, "UW1", "情報セキュリティ対策責任者と管理者の方だけ")
    slack.files["FX"] = {"name": "写真.png", "data": b"\x89PNG", "filetype": "png"}
    share(env, slack, "UOFF", "FX", subtype=None)      # newer clients send files without the subtype
    posted(slack, "UOFF", "読み込めない種類です")
    assert not slack.find("download:FBIG") and not slack.find("download:FW") and not slack.find("download:FX")


def test_a_form_comes_as_a_docx_in_the_dm(env, slack):
    import docx

    status, _, _ = env["server"].command("UOFF", "様式 hozen:form2", slack.hook_url("form"))
    assert status == 200
    [reply] = slack.wait_for("hook:/hooks/form", timeout=30)
    assert "セキュリティ保全状況報告書" in reply.text_of_blocks()
    def entries(c):
        f = c.params.get("files")
        return json.loads(f) if isinstance(f, str) else (f or [])

    [done] = slack.wait_for("files.completeUploadExternal", lambda c: c.params.get("channel_id") == "DOFF"
                            and any("記入用" in (e.get("title") or "") for e in entries(c)), timeout=30)
    fid = entries(done)[0]["id"]
    [up] = slack.find(f"upload:/upload/{fid}")
    paras = [p.text for p in docx.Document(io.BytesIO(up.params["data"])).paragraphs]
    assert "セキュリティ保全状況報告書" in paras and any("□ 変更なし" in p for p in paras)


def views_opened(slack, callback: str, count: int = 1):
    return slack.wait_for("views.open", lambda c: (json.loads(c.params["view"]) if isinstance(c.params["view"], str)
                                                   else c.params["view"]).get("callback_id") == callback,
                          count=count, timeout=30)


def view_of(call) -> dict:
    v = call.params["view"]
    return json.loads(v) if isinstance(v, str) else v


def test_an_admin_adds_a_person_with_the_form(env, slack):
    slack.directory["U0HANA"] = {"real_name": "ﾔﾏﾀﾞ ﾊﾅｺ", "email": "Hanako@Example.jp"}
    server = env["server"]
    server.command("UADM", "users", slack.hook_url("users-adm"))
    [reply] = slack.wait_for("hook:/hooks/users-adm", timeout=30)
    [btn] = [e for e in buttons(reply) if e["action_id"].startswith("people_add_open")]
    server.interactive(block_actions("UADM", btn["action_id"], btn["value"], response_url=slack.hook_url("x1")))
    [opened] = views_opened(slack, "people_add_modal")
    blocks = {b.get("block_id"): b for b in view_of(opened)["blocks"]}
    assert [o["value"] for o in blocks["contract"]["element"]["options"]] == ["吉川市"]
    assert blocks["user"]["element"]["type"] == "users_select" and blocks["start"]["element"]["type"] == "datepicker"
    # a worker without a lead: the form stays open with the reason, nothing is recorded
    values = {"user": selected("users_select", "U0HANA"), "role": selected("static_select", "worker"),
              "contract": selected("static_select", "吉川市")}
    status, body, _ = server.interactive(view_submission("UADM", "people_add_modal", values))
    assert status == 200 and json.loads(body) == {"response_action": "errors",
                                                  "errors": {"lead": "作業責任者を選んでください。"}}
    values |= {"lead": selected("users_select", "ULEAD"), "start": selected("datepicker", "2026-12-10")}
    status, body, _ = server.interactive(view_submission("UADM", "people_add_modal", values))
    assert status == 200 and not body
    posted(slack, "UADM", "登録しました: U0HANA ヤマダ ハナコ（作業従事者）")
    p = pstore.current(open_db(env["db_path"]), "U0HANA")
    assert (p["name"], p["email"], p["contracts"], p["lead_id"], p["start_date"], p["via"]) == \
        ("ヤマダ ハナコ", "hanako@example.jp", ["吉川市"], "ULEAD", "2026-12-10", "slack_button")
    # not an admin: no form
    server.interactive(block_actions("UW1", "people_add_open", "add", response_url=slack.hook_url("x2")))
    [no] = slack.wait_for("hook:/hooks/x2", timeout=30)
    assert "管理者の方だけ" in no.text_of_blocks()


def test_approving_a_request_asks_for_contract_lead_and_start_date(env, slack):
    slack.directory["U0JIRO"] = {"real_name": "佐藤 次郎"}
    server = env["server"]
    server.interactive(block_actions("U0JIRO", "people_request_registration", "U0JIRO", response_url=None,
                                     view_id="VHOMEJ"))
    [to_off] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UOFF"
                              and "佐藤 次郎さん（U0JIRO）から" in c.text_of_blocks(), timeout=30)
    [approve] = [e for e in buttons(to_off) if e["action_id"].startswith("people_approve")]
    server.interactive(block_actions("UOFF", approve["action_id"], approve["value"], response_url=slack.hook_url("a1"),
                                     message_ts=to_off.params.get("ts")))
    [opened] = views_opened(slack, "people_approve_modal")
    view = view_of(opened)
    assert view["private_metadata"] == "U0JIRO"
    text = json.dumps(view, ensure_ascii=False)
    assert "申請にない項目（案件、作業責任者、開始日）を入力してください" in text
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["name"]["element"]["initial_value"] == "佐藤 次郎"
    assert blocks["start"]["element"]["initial_date"]            # today by default
    values = {"name": selected("text", "佐藤 次郎"), "contract": selected("static_select", "吉川市"),
              "lead": selected("users_select", "ULEAD"), "start": selected("datepicker", "2026-12-14")}
    status, body, _ = server.interactive(view_submission("UOFF", "people_approve_modal", values, "U0JIRO"))
    assert status == 200 and not body
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "U0JIRO"
                   and "承認されました" in c.text_of_blocks(), timeout=30)
    p = pstore.current(open_db(env["db_path"]), "U0JIRO")
    assert (p["name"], p["role"], p["contracts"], p["lead_id"], p["start_date"], p["change"]) == \
        ("佐藤 次郎", "worker", ["吉川市"], "ULEAD", "2026-12-14", "approve")


def test_everything_the_flows_above_recorded_is_sealed_and_verifies(env, slack):
    """Issue 13: evidence written by the newer writers (documents shared and their outcome, the
    add-a-person and approval modals, forms) goes through transaction(): sealed at COMMIT, so
    `mamoru audit verify` passes while the bot keeps running."""
    from conftest import run_mamoru

    db = open_db(env["db_path"])
    counts = dict(db.execute("SELECT table_name, COUNT(*) FROM audit_chain GROUP BY table_name").fetchall())
    assert counts.get("document_uploads") and counts.get("document_upload_results") and counts.get("people")
    assert db.execute("SELECT COUNT(*) FROM audit_chain WHERE hash IS NULL").fetchone()[0] == 0
    r = run_mamoru(["audit", "verify"], env["db_path"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "問題はありません" in r.stdout
