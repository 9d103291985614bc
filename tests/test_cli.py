"""The real `mamoru` entry point, in a subprocess, against a real database file."""
import json

from conftest import jsonl, run_mamoru


def test_ask_prints_verdict_clause_and_citation(db_path):
    r = run_mamoru(["ask", "ICカードを同僚に貸してもいいですか"], db_path)
    assert r.returncode == 0, r.stderr
    assert "【禁止】" in r.stdout
    assert "他の者に貸与し" in r.stdout
    assert "セキュリティ保全に係る事項" in r.stdout
    assert "関連する条項" in r.stdout


def test_ask_json_and_source(db_path):
    r = run_mamoru(["ask", "FAXで送っていい？", "--source", "yoshikawa", "--top", "3", "--json"], db_path)
    out = json.loads(r.stdout)
    assert out["found"] and len(out["hits"]) == 3
    assert all(h["source"] == "yoshikawa" for h in out["hits"])
    assert "FAX" in out["hits"][0]["text"]


def test_ask_jsonl_answers_every_line_in_order(db_path):
    lines = [
        {"id": "a", "q": "離席するとき画面ロックは必要？"},
        {"id": "b", "q": "今日の天気は？"},
        {"id": "c", "q": "再委託", "source": "長野市"},
        {"id": "d", "q": ""},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n"
    r = run_mamoru(["ask", "--jsonl", "--top", "5"], db_path, input=stdin)
    assert r.returncode == 0, r.stderr
    out = jsonl(r.stdout)
    assert [o["id"] for o in out] == ["a", "b", "c", "d", None]
    assert out[0]["found"] and out[0]["hits"][0]["text"]
    assert set(out[0]["hits"][0]) == {"clause_id", "text", "citation", "source", "verdict", "score", "refers", "lead"}
    assert out[1]["found"] is False and out[1]["hits"] == []
    assert out[2]["hits"][0]["source"] == "nagano"
    assert out[3]["found"] is False
    assert "error" in out[4]
    assert all(isinstance(o["elapsed_ms"], float) for o in out)


def test_kb_list_show_and_add_twice(db_path, tmp_path):
    r = run_mamoru(["kb", "list", "--json"], db_path)
    docs = {d["slug"]: d for d in json.loads(r.stdout)}
    assert set(docs) == {"yoshikawa", "soka", "nagano", "hozen"}
    assert docs["yoshikawa"]["municipality"] == "吉川市"

    doc = tmp_path / "kawaguchi.md"
    doc.write_text("# 情報セキュリティ遵守事項\n\n第1条 受注者は、USBメモリを使用してはならない。\n\n"
                   "第2条 受注者は、事故が発生した場合は直ちに報告しなければならない。\n", encoding="utf-8")
    args = ["kb", "add", str(doc), "--municipality", "川口市", "--title", "情報セキュリティ遵守事項"]
    first = run_mamoru(args, db_path)
    assert first.returncode == 0 and "読み込みました" in first.stdout
    again = run_mamoru(args, db_path)
    assert "変更はありません" in again.stdout

    show = run_mamoru(["kb", "show", "kawaguchi"], db_path)
    ids = [line.split("\t")[0] for line in show.stdout.splitlines()]
    assert len(ids) == 2
    one = run_mamoru(["kb", "show", ids[0], "--json"], db_path)
    clause = json.loads(one.stdout)
    assert clause["citation"] == "川口市 情報セキュリティ遵守事項 第1条"
    assert clause["verdict"] == "prohibited"

    ans = json.loads(run_mamoru(["ask", "USBメモリ使っていい？", "--source", "川口市", "--json"], db_path).stdout)
    assert ans["hits"][0]["clause_id"] == ids[0]

    # A changed version replaces that document's clauses; ids of unchanged positions stay.
    doc.write_text(doc.read_text(encoding="utf-8") + "\n第3条 受注者は、離席時に端末をロックすること。\n", encoding="utf-8")
    changed = run_mamoru(args, db_path)
    assert "条項 3 件" in changed.stdout
    show2 = run_mamoru(["kb", "show", "kawaguchi"], db_path)
    assert [line.split("\t")[0] for line in show2.stdout.splitlines()][:2] == ids


def test_kb_show_unknown_clause_is_a_clear_error(db_path):
    r = run_mamoru(["kb", "show", "nope:a1"], db_path)
    assert r.returncode == 1 and "見つかりませんでした" in r.stderr


def test_kb_add_missing_file_is_a_clear_error(db_path, tmp_path):
    r = run_mamoru(["kb", "add", str(tmp_path / "missing.txt"), "--title", "x"], db_path)
    assert r.returncode == 1 and "読み込めませんでした" in r.stderr
    assert "Traceback" not in r.stderr


def test_chat_answers_through_the_real_entry_point(db_path):
    r = run_mamoru(["chat", "--as", "U123"], db_path, input="私物のUSBメモリを使ってもいい？\n\n🙂\n終了\n")
    assert r.returncode == 0, r.stderr
    assert "mamoru" in r.stdout
    assert "（" in r.stdout and "）" in r.stdout       # a citation was printed
    assert "読み取れませんでした" in r.stdout             # the emoji got a clear answer
    assert r.stdout.rstrip().endswith("ご利用ありがとうございました。")


def test_start_without_slack_credentials_opens_the_terminal_chat(db_path):
    r = run_mamoru(["start"], db_path, input="FAXで送っていい？\n")
    assert r.returncode == 0, r.stderr
    assert "Slack" in r.stderr and "README" in r.stderr
    assert "FAX" in r.stdout


def test_ask_caps_the_question_like_slack_and_chat(db_path):
    from handlers.routing import MAX_QUESTION

    long_q = "ICカードを同僚に貸してもいいですか" * (MAX_QUESTION // 10)
    r = run_mamoru(["ask", long_q], db_path)
    assert r.returncode == 2 and r.stdout == ""
    assert "質問が長すぎます" in r.stderr and f"{MAX_QUESTION:,} 文字以内" in r.stderr
    r = run_mamoru(["ask"], db_path, input=long_q * 20)        # piped in: read bounded, refused the same way
    assert r.returncode == 2 and "質問が長すぎます" in r.stderr
    ok = "ICカードを同僚に貸してもいいですか" + "　" * (MAX_QUESTION - 10)   # padding is not the question
    assert run_mamoru(["ask", ok], db_path).returncode == 0
    lines = [{"id": "long", "q": long_q}, {"id": "short", "q": "ICカードを同僚に貸してもいいですか"}]
    r = run_mamoru(["ask", "--jsonl"], db_path, input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    out = jsonl(r.stdout)
    assert r.returncode == 0 and [o["id"] for o in out] == ["long", "short"]
    assert out[0]["found"] is False and "質問が長すぎます" in out[0]["error"]
    assert out[1]["found"] and out[1]["hits"]
