"""「今日の作業終わりました」「これから作業始めます」 say the day's end or start: its checklist opens
(they were answered with the rule on returning information at the end of the contract, 【義務】)."""
import pytest

from conftest import run_mamoru
from handlers import capabilities
from handlers.checklist import _which


@pytest.mark.parametrize("text,which", [("今日の作業終わりました", "終業"), ("作業終了！", "終業"), ("本日の業務終了しました", "終業"),
                                        ("仕事おわりました〜", "終業"), ("これから作業始めます", "始業"), ("業務開始します", "始業"),
                                        ("今から作業開始です", "始業")])
def test_the_days_start_or_end_said_opens_its_checklist(text, which):
    m = capabilities.understand(text)
    assert m is not None and m.name == "checklist.open"
    assert _which(m.plain) == which


@pytest.mark.parametrize("text", ["作業が終わったらどうする？", "作業終了時にログオフは必要ですか", "業務の終了時に返却するものは？"])
def test_a_question_about_the_end_of_work_is_still_a_rule_question(text):
    assert capabilities.understand(text) is None


def test_a_worker_saying_the_day_is_over_gets_the_end_of_day_checklist(db_path):
    assert run_mamoru(["contract", "add", "吉川市"], db_path).returncode == 0
    assert run_mamoru(["users", "add", "UW", "--name", "山田太郎", "--contract", "吉川市"], db_path).returncode == 0
    r = run_mamoru(["chat", "--as", "UW"], db_path, input="今日の作業終わりました\nこれから作業始めます\n")
    assert r.returncode == 0, r.stderr
    end, start = r.stdout.split("終業時のチェックリストです", 1)[1].split("始業時のチェックリストです", 1)
    assert "ログオフ" in end and "【" not in r.stdout     # a checklist each, not a rule with a verdict
    assert "社員証" in start
