"""Verdicts, session 22: a plain act verb with its object used as a rule (「訪問時は職員証を示す。」) is the worker's duty
(verdict_rules.md rule 9, 「a plain …する。 used as a rule」), as 「…を着用する。」 already was; what a table or a sign
shows stays 規定. Wordings written for this test."""
import pytest

from knowledge import verdict


@pytest.mark.parametrize("text", [
    "訪問時は、住民に職員証を示す。",
    "離席するときは、ノートパソコンの画面を閉じる。",
    "作業を終えたときは、保管庫に鍵を掛ける。",
    "調査員は、腕章を着ける。",
    "使い終えた媒体は、所定の保管箱に戻す。",
])
def test_a_plain_act_verb_used_as_a_rule_is_a_duty(text):
    assert verdict.judge(text).verdict == verdict.REQUIRED, verdict.judge(text)


@pytest.mark.parametrize("text", [
    "この一覧は、各課の連絡先を示す。",
    "表中の記号は、○が実施済み、×が未実施を示す。",
    "本要領は、作業の手順を示すものである。",
])
def test_what_a_table_or_a_sign_shows_stays_a_provision(text):
    assert verdict.judge(text).verdict == verdict.INFO, verdict.judge(text)
