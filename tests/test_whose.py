"""Whose rules answer, in the terminal chat and the command line (issue 12): someone with no
contract gets each clause with its document named (no question asked: no button can wait there);
with a single contract its documents answer; a registered worker sees other contracts' rules only
on request; and loading another city's attachment never changes this contract's answers."""
from __future__ import annotations

import json
import re

from conftest import jsonl, run_mamoru
from handlers import ask, whose

DOC_TAG = re.compile(r"［(?:[^「」［］]+)?「[^」]+」(?:（自治体名の記載のない文書）)?］")


def contract(db, name: str, doc: str) -> None:
    r = run_mamoru(["contract", "add", name, "--doc", doc], db)
    assert r.returncode == 0, r.stdout + r.stderr


def register_worker(db) -> None:
    for args in (["ULEAD", "--name", "佐藤花子", "--role", "lead", "--contract", "吉川市"],
                 ["UW", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULEAD"]):
        r = run_mamoru(["users", "add", *args], db)
        assert r.returncode == 0, r.stdout + r.stderr


def answer_part(stdout: str) -> str:
    return stdout.split("Ctrl+D", 1)[1]


def test_the_command_line_names_each_clauses_document(db_path):
    r = run_mamoru(["ask", "私物のUSBメモリを使っていい？"], db_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("［文書］") and "「" in lines[1]
    related = lines[lines.index("関連する条項:") + 1:]
    related = [x for x in related if x.startswith("・")]
    assert related and all(DOC_TAG.match(x[1:]) for x in related), related
    assert "読み込まれているすべての文書から探しました" in r.stdout
    hits = json.loads(run_mamoru(["ask", "私物のUSBメモリを使っていい？", "--json"], db_path).stdout)["hits"]
    assert hits and all(h["document"] in {"吉川市「情報セキュリティ特記仕様書」", "長野市「情報セキュリティ要件」",
                                          "草加市「外部委託における情報セキュリティ遵守事項」",
                                          "「セキュリティ保全に係る事項」（自治体名の記載のない文書）"} for h in hits)


def test_terminal_without_a_contract_gets_named_documents_and_is_not_asked(db_path):
    contract(db_path, "吉川市", "yoshikawa")
    contract(db_path, "草加市", "soka")
    r = run_mamoru(["chat", "--as", "UNEW"], db_path, input="私物のUSBメモリを使っていい？\n")
    out = answer_part(r.stdout)
    assert "どの契約（案件）" not in out and whose.ALL_LABEL not in out
    assert "［文書］" in out
    related = [x for x in out.splitlines() if x.startswith("・")]
    assert related and all(DOC_TAG.match(x[1:]) for x in related), related


def test_with_one_contract_nobody_is_asked_and_documents_are_named(db_path):
    """In the Slack DM's own handler path (the carrier that could ask): one contract, nothing to choose."""
    from bot.slack import flows
    from storage.db import open_db

    contract(db_path, "吉川市", "yoshikawa")
    result = flows.message(open_db(db_path), "UNEW", "私物のUSBメモリを使っていい？", flows.VIA_DM)
    text = "".join(m["text"] + json.dumps(m["blocks"], ensure_ascii=False) for m in result.messages)
    assert "どの契約（案件）" not in text and whose.ALL_LABEL not in text
    assert "文書: " in text and "出典: " in text


def test_a_worker_sees_other_contracts_rules_only_on_request(db_path):
    contract(db_path, "吉川市", "yoshikawa")
    register_worker(db_path)
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="私物のUSBメモリを使っていい？\n4\n")
    out = answer_part(r.stdout)
    first, pressed = out.split("[4] ほかの契約の規定も見る", 1)
    assert "[1] 役に立った  [2] 役に立たなかった  [3] 担当者に聞く  [4] ほかの契約の規定も見る" in out
    assert ask.OTHERS_HEADING not in first and "［文書］" not in first
    assert ask.OTHERS_HEADING in pressed and "【" not in pressed    # apart, never a verdict
    shown = [x for x in pressed.splitlines() if x.startswith("・")]
    assert shown and not any(x.startswith("・吉川市") for x in shown)
    # --source is the command line's way to ask for another document on purpose
    other = json.loads(run_mamoru(["ask", "私物のUSBメモリを使っていい？", "--source", "草加市", "--json"], db_path).stdout)
    assert other["hits"] and all(h["source"] == "soka" for h in other["hits"])


KAWAGUCHI = """情報セキュリティに関する特記事項

第1条（持ち出しの禁止）
受託者は、市の許可なく、USBメモリその他の電磁的記録媒体に情報を複写し、又は庁外に持ち出してはならない。
第2条（私物の利用の禁止）
受託者は、私物のパソコン、スマートフォン及びUSBメモリを業務に利用してはならない。
第3条（離席時の措置）
受託者は、離席するときは、端末の画面をロックしなければならない。
第4条（事故の報告）
受託者は、情報の漏えい、紛失その他の事故が発生したときは、直ちに市に報告しなければならない。
第5条（再委託）
受託者は、市の書面による承諾なく、業務を第三者に再委託してはならない。
"""

QUESTIONS = ["私物のUSBメモリを使っていい？", "離席するときは画面ロックが必要？", "書類を家に持ち帰ってもいい？",
             "下請けに出してもいい？", "ChatGPTに顧客データを貼ってもいい？", "ICカードを同僚に貸していい？"]


def _own_part(chat_out: str) -> str:
    """The chat's answers without the reference to other contracts (which a new contract may join)."""
    keep, skipping = [], False
    for line in chat_out.splitlines():
        if line.startswith(ask.OTHERS_HEADING):
            skipping = True
        elif skipping and not line.startswith("・"):
            skipping = False
        if not skipping:
            keep.append(line)
    return "\n".join(keep)


def _ranked(db, scoped: bool) -> list:
    lines = [{"id": str(i), "q": q, **({"source": "吉川市"} if scoped else {})} for i, q in enumerate(QUESTIONS)]
    r = run_mamoru(["ask", "--jsonl", "--top", "5"], db, input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert r.returncode == 0, r.stderr
    return [(o["found"], [(h["clause_id"], h["score"]) for h in o["hits"]]) for o in jsonl(r.stdout)]


def test_loading_another_citys_attachment_never_changes_this_contracts_answers(db_path, tmp_path):
    contract(db_path, "吉川市", "yoshikawa")
    register_worker(db_path)
    chat_input = "".join(q + "\n" for q in QUESTIONS)
    before = _ranked(db_path, scoped=True), _ranked(db_path, scoped=False)
    chat_before = answer_part(run_mamoru(["chat", "--as", "UW"], db_path, input=chat_input).stdout)
    assert chat_before.count("（吉川市 情報セキュリティ特記仕様書") >= 4

    f = tmp_path / "kawaguchi.txt"
    f.write_text(KAWAGUCHI, encoding="utf-8")
    r = run_mamoru(["kb", "add", str(f), "--municipality", "川口市", "--title", "情報セキュリティに関する特記事項",
                    "--slug", "kawaguchi"], db_path)
    assert r.returncode == 0, r.stdout + r.stderr
    contract(db_path, "川口市", "kawaguchi")

    after = _ranked(db_path, scoped=True), _ranked(db_path, scoped=False)
    chat_after = answer_part(run_mamoru(["chat", "--as", "UW"], db_path, input=chat_input).stdout)
    assert after[0] == before[0]                 # same clauses, same order, same scores
    # the worker reads exactly what they read before (only the reference list of other contracts may grow)
    assert _own_part(chat_after) == _own_part(chat_before)
    assert ask.OTHERS_HEADING in chat_before
    # The attachment does weigh on a search over every document: the check above could fail.
    assert after[1] != before[1]
    assert any(cid.startswith("kawaguchi:") for _, hits in after[1] for cid, _ in hits)


def _answers(db, lines: list[dict]) -> list:
    r = run_mamoru(["ask", "--jsonl", "--top", "3"], db, env={"MAMORU_MEANING": "off"},
                   input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert r.returncode == 0, r.stderr
    return [(o["found"], [(h["clause_id"], h["score"]) for h in o["hits"]]) for o in jsonl(r.stdout)]


def test_a_large_attachment_of_another_city_turns_no_answer_of_this_contract_into_a_refusal_or_back(db_path, tmp_path):
    """Whether a clause answers is judged on how telling the question's words are. Judged on the whole
    library, a 1,500-clause attachment of another city (every clause with a word of its own) made words
    the rules never use weigh less, and a question its contract's document had declined was answered.
    And a question typed in kana or romaji was read with the words most common in the library (ないよう as that
    attachment's 内用, not 内容). Both are now the contract's documents' with the shipped ones, never another contract's."""
    import random

    from conftest import ROOT

    qs = [json.loads(l) for l in (ROOT / "tests" / "data" / "questions_dev4.jsonl").read_text(encoding="utf-8").splitlines()
          if l.strip()]
    lines = [{"id": f"{q['id']}-{s}", "q": q["q"], "source": s} for q in qs for s in ("soka", "yoshikawa", "nagano")]
    # read from kana by the words of the documents: 内用 (ないよう), common in the other city's attachment, is not
    # this contract's word for ないよう (内容)
    lines += [{"id": f"kana-{s}", "q": "kazoku ni shigoto no naiyou hanashitemo ii?", "source": s} for s in ("yoshikawa", "nagano")]
    lines.append({"id": "near", "q": "市への報告のやり方、普段のと何かあった時のと、社内で手順決めとかないといけない？",
                  "source": "soka"})
    run_mamoru(["kb", "list"], db_path)
    before = _answers(db_path, lines)
    assert sum(found for found, _ in before) > len(lines) // 2

    rnd = random.Random(1)
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
    words = list(dict.fromkeys("".join(rnd.choice(kana) for _ in range(5)) for _ in range(1700)))[:1500]
    f = tmp_path / "kawaguchi.txt"
    f.write_text("川口市 物品管理に関する特記事項\n\n" + "".join(f"第{i}条　受託者は、{w}の台帳を内用に限る。\n"
                                                     for i, w in enumerate(words, 1)), encoding="utf-8")
    r = run_mamoru(["kb", "add", str(f), "--municipality", "川口市", "--title", "物品管理に関する特記事項",
                    "--slug", "kawaguchi"], db_path, env={"MAMORU_MEANING": "off"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"kawaguchi\t川口市\t物品管理に関する特記事項\t条項 1,?500 件", run_mamoru(["kb", "list"], db_path).stdout)
    after = _answers(db_path, lines)
    assert [a == b for a, b in zip(before, after)] == [True] * len(lines)
