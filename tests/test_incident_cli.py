"""Incident reports in the terminal chat and on the command line (the real `mamoru` entry point)."""
from __future__ import annotations

import json
import re

from conftest import run_mamoru


def register(db):
    r = run_mamoru(["contract", "add", "吉川市"], db)
    assert r.returncode == 0, r.stderr
    for args in (["UADMIN", "--name", "管理者", "--role", "admin"],
                 ["UOFF", "--name", "責任者花子", "--role", "officer"],
                 ["ULEAD", "--name", "佐藤リーダー", "--role", "lead", "--contract", "吉川市"],
                 ["UW", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        r = run_mamoru(["users", "add", *args], db)
        assert r.returncode == 0, r.stderr


def test_a_whole_report_in_the_terminal_chat_by_numbers_and_text(db_path):
    register(db_path)
    lines = ["メールを誤送信しました",      # a trigger: the report starts, the type guessed
             "3",                          # [3] メール・FAXの誤送信
             "昨日15時頃", "1",            # understood → [1] はい
             "1",                          # 発見日時: [1] さっき（いま）
             "自席",
             "hanako@example.org",
             "見積書（個人情報なし）",
             "2",                          # 含まれていない
             "1通",
             "1",                          # 発生状況: [1] この内容で回答 (the first message)
             "1",                          # これまでの対応: [1] まだ何もしていません
             "1",                          # 案件: [1] 吉川市
             "1"]                          # 送信
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "お書きの内容から「メール・FAXの誤送信」のようです" in out
    assert "誤って送った相手に連絡し、開封せずに削除していただく" in out                # first aid for a mis-sent mail
    assert "・誤送信先（ドメイン等）: example.org" in out and "hanako" not in out
    ref = re.search(r"受付番号は (INC-\d{4}-\d{4})", out).group(1)
    assert f"佐藤リーダーさん［ULEAD］への通知" in out and f"責任者花子さん［UOFF］への通知" in out
    listed = json.loads(run_mamoru(["incident", "list", "--json"], db_path).stdout)
    assert [(i["ref"], i["type"], i["status"]) for i in listed] == [(ref, "mail", "未確認")]
    # the lead acknowledges and records from the terminal too
    r = run_mamoru(["chat", "--as", "ULEAD"], db_path,
                   input=f"incident {ref} ack\nincident {ref} city 電話 昨日16時\nincident {ref} report\n")
    assert "確認済みとして記録しました" in r.stdout and "方法: 電話" in r.stdout
    assert "# 情報セキュリティ事故（インシデント）報告書" in r.stdout and "| 件数 | 1通 |" in r.stdout
    # the 書面 the contract asks for: addressed to the city, the contractor and contract named, dated, signed
    assert "\n吉川市長 様\n" in r.stdout and "件名（案件）: 吉川市" in r.stdout and "報告日: 2026年" in r.stdout
    assert "受託者: 【要記入】" in r.stdout                              # not configured here: left to fill in
    assert "| 報告者 | " in r.stdout and "| 作業責任者 | 佐藤リーダー |  |" in r.stdout
    assert "| 情報セキュリティ対策責任者 | 責任者花子 |  |" in r.stdout
    assert "吉川市 情報セキュリティ特記仕様書 第18条第1項" in r.stdout
    body = r.stdout[r.stdout.index("## 1. 事故の内容"):]
    fields = [body.index(f"| {k} |") for k in ("情報の内容", "件数", "事故の発生場所", "発生状況")]
    assert fields == sorted(fields)                                       # the contract's fields first, in its order
    r = run_mamoru(["incident", "export", ref, "--format", "md", "-o", "-"], db_path,
                   env={"MAMORU_CONTRACTOR": "株式会社まもる情報"})
    assert "受託者: 株式会社まもる情報" in r.stdout and "(device)" not in r.stdout and "（mail）" not in r.stdout


def test_the_checklists_ic_card_lost_starts_the_report_with_the_type_filled_in(db_path):
    register(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="ICカード 紛失\n")
    assert r.returncode == 0, r.stderr
    assert "種別: ICカードの紛失・盗難（入力済み）" in r.stdout
    assert "質問 2/11（発生日時）" in r.stdout


def test_cli_refuses_unknown_numbers_and_bad_formats(db_path):
    register(db_path)
    r = run_mamoru(["incident", "export", "INC-2026-0099", "--format", "md"], db_path)
    assert r.returncode == 1 and "見つかりませんでした" in r.stderr
    r = run_mamoru(["incident", "export", "INC-2026-0099", "--format", "pdf"], db_path)
    assert r.returncode == 2
    r = run_mamoru(["incident", "list"], db_path)
    assert r.returncode == 0 and "まだありません" in r.stdout
