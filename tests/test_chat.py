"""The terminal chat drives the same conversation handlers as Slack (real entry point, --as)."""
import json
import re

from conftest import run_mamoru


def register(db):
    r = run_mamoru(["contract", "add", "吉川市"], db)     # contracts are explicit: the first step of a fresh install
    assert r.returncode == 0, r.stderr
    for args in (["UADMIN", "--name", "管理者", "--role", "admin"],
                 ["ULEAD", "--name", "佐藤花子", "--role", "lead", "--contract", "吉川市"],
                 ["UW", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
                  "--start-date", "2026-12-01"]):
        r = run_mamoru(["users", "add", *args], db)
        assert r.returncode == 0, r.stderr


def test_no_rule_question_offers_the_lead_and_goes_only_when_pressed(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="経費精算のやり方を教えて\n")
    assert r.returncode == 0, r.stderr
    assert "見つかりませんでした" in r.stdout and "[1] 担当者に聞く" in r.stdout
    assert "への通知" not in r.stdout
    assert json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout) == []
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="経費精算のやり方を教えて\n1\n")
    assert "佐藤花子さん［ULEAD］への通知" in r.stdout
    assert "経費精算のやり方を教えて" in r.stdout.split("への通知")[1]
    gaps = json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout)
    assert [(g["question"], g["not_found"]) for g in gaps] == [("経費精算のやり方を教えて", 1)]


def test_typing_a_shown_buttons_name_presses_it_and_slash_quit_quits(db_path):
    # 「担当者に聞く」 typed instead of 1 was searched as a new question (answered with the rule on 作業責任者);
    # 「/quit」, typed out of Slack habit, was answered with a rule too
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="経費精算のやり方を教えて\n担当者に聞く\n/quit\nUSB使っていい？\n")
    assert r.returncode == 0, r.stderr
    assert "佐藤花子さん［ULEAD］への通知" in r.stdout
    assert "【" not in r.stdout                       # no verdict: neither line was searched as a question
    assert "USB" not in r.stdout.split("への通知")[1]   # the chat ended at 「/quit」
    gaps = json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout)
    assert [g["question"] for g in gaps] == ["経費精算のやり方を教えて"]


def test_typing_ask_the_lead_with_a_question_routes_it_and_alone_says_how(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="担当者に聞きたい\n担当者に聞く：私物のタブレットで作業してもいいですか\n")
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.split("担当者に聞くには", 1)[1], r.stdout.split("への通知", 1)
    assert "「担当者に聞く」ボタン" in first and "【" not in r.stdout
    assert "佐藤花子さん［ULEAD］" in second[0] and "私物のタブレットで作業してもいいですか" in second[1]


def test_small_talk_gets_a_friendly_reply_and_reaches_nobody(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="ありがとうございます！\nはい\n6\n👍\n")
    assert r.returncode == 0, r.stderr
    assert "どういたしまして" in r.stdout and "承知しました" in r.stdout
    assert "への通知" not in r.stdout and "担当者に聞く" not in r.stdout
    assert json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout) == []


def test_numbered_choice_presses_the_button_and_is_recorded(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="私物のUSBメモリを使っていい？\n2\n")
    assert "[1] 役に立った  [2] 役に立たなかった  [3] 担当者に聞く" in r.stdout
    assert "ご意見ありがとうございます" in r.stdout
    gaps = json.loads(run_mamoru(["kb", "gaps", "--json"], db_path).stdout)
    assert [g["question"] for g in gaps if g["unhelpful"]] == ["私物のUSBメモリを使っていい？"]


def test_a_workers_answer_comes_from_their_own_contract(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="私物のUSBメモリを使っていい？\n")
    answer = r.stdout.split("Ctrl+D", 1)[1]
    headline = re.search(r"（(.+?)）", answer).group(1)
    assert headline.startswith("吉川市 情報セキュリティ特記仕様書"), headline
    assert "草加市" not in answer and "セキュリティ保全に係る事項" not in answer
    # Their contract has no IC-card rule: another contract's clauses are shown apart, as reference only.
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="ICカードを同僚に貸していい？\n")
    assert "あなたの契約の文書の中には見つかりませんでした" in r.stdout
    assert "参考：ほかの契約の規定（あなたの契約の規定ではありません）" in r.stdout


def test_lead_answers_a_routed_question_from_the_terminal(db_path):
    register(db_path)
    run_mamoru(["chat", "--as", "UW"], db_path, input="経費精算のやり方を教えて\n1\n")
    home = run_mamoru(["chat", "--as", "ULEAD"], db_path, input="ホーム\n")
    choices = re.findall(r"\[(\d+)\] ([^\[\n]+?)(?=  \[|\s*$)", home.stdout, re.M)
    number = next(n for n, label in choices if label.strip().startswith("回答する"))
    r = run_mamoru(["chat", "--as", "ULEAD"], db_path, input=f"ホーム\n{number}\n経費は総務の規程に従ってください。\n")
    assert r.returncode == 0, r.stderr
    assert "山田太郎さん［UW］への通知" in r.stdout
    assert "経費は総務の規程に従ってください。" in r.stdout
    again = run_mamoru(["chat", "--as", "UW"], db_path, input="経費精算のやりかたを教えてください\n")
    assert "以前、似たご質問に担当者（佐藤花子さん）が回答しています。" in again.stdout


def test_users_command_in_the_terminal_follows_roles(db_path):
    register(db_path)
    worker = run_mamoru(["chat", "--as", "UW"], db_path, input="users list\n")
    assert "管理者の方だけ" in worker.stdout
    admin = run_mamoru(["chat", "--as", "UADMIN"], db_path, input="/mamoru users list\n")
    assert "山田太郎" in admin.stdout and "佐藤花子" in admin.stdout


def test_unregistered_person_sees_how_to_register_on_home(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UNEW"], db_path, input="ホーム\n1\n")
    assert "登録" in r.stdout
    assert "への通知" in r.stdout   # the request reached an approver


# ---- approving a registration request: the details Slack's approval form asks, asked line by line

NOW = {"MAMORU_NOW": "2026-12-03T10:00:00+09:00"}


def _requested(db):
    register(db)
    for args in (["users", "add", "UOFF", "--name", "責任者花子", "--role", "officer"], ["contract", "add", "草加市"]):
        assert run_mamoru(args, db).returncode == 0
    r = run_mamoru(["chat", "--as", "UNEW"], db, input="ホーム\n1\n", env=NOW)
    assert "登録の申請を受け付けました" in r.stdout


def _approve_button(db, who, name="UNEW") -> str:
    home = run_mamoru(["chat", "--as", who], db, input="ホーム\n", env=NOW).stdout
    return re.search(rf"\[(\d+)\] {name}さんを承認する", home).group(1)


def _person(db, uid):
    people = json.loads(run_mamoru(["users", "list", "--json"], db).stdout)
    return next((p for p in people if p["user_id"] == uid), None)


def test_an_officer_approving_in_the_terminal_records_name_contract_lead_and_start_date(db_path):
    _requested(db_path)
    n = _approve_button(db_path, "UOFF")
    r = run_mamoru(["chat", "--as", "UOFF"], db_path, env=NOW,
                   input=f"ホーム\n{n}\n山田　次郎\n吉川市\n1\n2026/12/10\n")
    assert "申請にない項目（案件、作業責任者、開始日）を入力してください" in r.stdout
    assert "作業責任者: [1] 佐藤花子（作業責任者、ULEAD）" in r.stdout          # the contract's lead first
    assert "山田 次郎さん（UNEW）を作業従事者として登録しました。" in r.stdout
    assert "案件がまだ設定されていません" not in r.stdout
    p = _person(db_path, "UNEW")
    assert (p["name"], p["role"], p["contracts"], p["lead_id"], p["start_date"], p["updated_by"], p["via"]) == (
        "山田 次郎", "worker", ["吉川市"], "ULEAD", "2026-12-10", "UOFF", "terminal")


def test_a_lead_approving_in_the_terminal_keeps_the_forms_defaults(db_path):
    register(db_path)
    for args in (["UNEW", "--name", "山田次郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],):
        assert run_mamoru(["users", "add", *args], db_path).returncode == 0
    assert run_mamoru(["users", "remove", "UNEW"], db_path).returncode == 0   # left, asks again: their lead approves
    r = run_mamoru(["chat", "--as", "UNEW"], db_path, input="ホーム\n1\n", env=NOW)
    assert "佐藤花子さんに承認をお願いしました" in r.stdout
    n = _approve_button(db_path, "ULEAD", "山田次郎")
    r = run_mamoru(["chat", "--as", "ULEAD"], db_path, env=NOW, input=f"ホーム\n{n}\n\n\n\n\n")
    assert "申請にない項目（開始日）" in r.stdout and "［Enter で 2026-12-03］" in r.stdout
    p = _person(db_path, "UNEW")
    assert (p["name"], p["contracts"], p["lead_id"], p["start_date"], p["active"]) == (
        "山田次郎", ["吉川市"], "ULEAD", "2026-12-03", True)


def test_bad_answers_are_asked_again_and_cancel_leaves_the_request_waiting(db_path):
    _requested(db_path)
    n = _approve_button(db_path, "UOFF")
    r = run_mamoru(["chat", "--as", "UOFF"], db_path, env=NOW,
                   input=f"ホーム\n{n}\n山田次郎\n吉川\n9\n吉川市\nUNEW\nUW\nキャンセル\n")
    out = r.stdout
    assert "案件「吉川」は登録されていません" in out and "番号 9 は一覧にありません（1〜2 から選んでください）" in out
    assert "ご本人を自分の作業責任者にはできません。" in out
    assert "山田太郎さんは作業従事者です。作業責任者・対策責任者を選んでください。" in out
    assert "承認を取りやめました。申請はそのまま承認をお待ちしています。" in out
    assert _person(db_path, "UNEW") is None
    assert _approve_button(db_path, "UOFF")                          # still there to approve
    r = run_mamoru(["chat", "--as", "UOFF"], db_path, env=NOW, input=f"ホーム\n{n}\n山田次郎\n1\n1\n2026年13月1日\n")
    assert "開始日「2026年13月1日」は日付として読めません" in r.stdout
    assert "入力が終わったため、承認を取りやめました" in r.stdout and _person(db_path, "UNEW") is None
