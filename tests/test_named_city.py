"""A city named in a question says whose rules are asked about; it is not what the question is about."""
import json

from conftest import run_mamoru


def test_a_city_named_to_say_whose_rules_is_not_what_is_asked(db_path):
    # 長野市's document has no rule on passwords: its clause naming 長野市 (第1) was the answer, with a verdict
    r = run_mamoru(["ask", "--jsonl"], db_path, input=json.dumps({"q": "長野市のパスワードは何文字以上？"}, ensure_ascii=False)
                   + "\n" + json.dumps({"q": "長野の件、USBメモリを家に持ち帰ってもいい？"}, ensure_ascii=False) + "\n")
    assert r.returncode == 0, r.stderr
    password, usb = [json.loads(l) for l in r.stdout.splitlines()]
    assert not password["found"]
    assert usb["found"] and usb["hits"][0]["citation"].endswith("第6第1項")


def test_a_registered_worker_naming_another_city_gets_their_own_rule_and_that_citys_apart(db_path):
    assert run_mamoru(["contract", "add", "吉川市"], db_path).returncode == 0
    assert run_mamoru(["users", "add", "UW", "--name", "山田太郎", "--contract", "吉川市"], db_path).returncode == 0
    r = run_mamoru(["chat", "--as", "UW"], db_path,
                   input="長野市ではUSBメモリを家に持ち帰ってもいい？\n長野市のパスワードは何文字以上？\n")
    assert r.returncode == 0, r.stderr
    usb, password = r.stdout.split("← 番号を入力すると押せます")[:2]
    # the answer is their own contract's; 長野市's rule is shown apart, under a heading saying whose it is
    answer, apart = usb.split("参考：長野市の規定（あなたの契約の規定ではありません）")
    assert "（吉川市 情報セキュリティ特記仕様書 第11条第1項第2号）" in answer and "長野市" not in answer.split("関連する条項")[0]
    assert "長野市 情報セキュリティ要件 第6第1項" in apart and "回答はあなたの契約の文書の規定です" in apart
    # 長野市 has no password rule: said so, and nothing of its documents shown
    assert "長野市の文書には、ご質問に該当する規定は見つかりませんでした" in password
    assert "長野市 情報セキュリティ要件" not in password
