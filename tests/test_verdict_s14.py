"""Verdicts on wordings the eleventh set of attachments used (session 14), each written anew for this test:
a checklist row 「Xしなければ、Yしていないこと」 (rule 7), the terms of a checklist fixed by both parties'
agreement, and a polite 「…の定めるところによります」."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, INFO, PROHIBITED, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    # a checklist row: the step first (rule 7), the worker's own or the city's approval
    ("パスワードを設定しなければ、データをUSBメモリに保存していないこと。", REQUIRED),
    ("市の承認を得なければ、帳票を複写していないこと。", APPROVAL),
    ("帳票を複写していないこと。", PROHIBITED),
    # the checklist's own terms, changed only by both parties: machinery, not the worker's act
    ("本点検表の点検項目は、毎年度見直すものとし、双方の合意なく変更することはできない。", INFO),
    ("甲乙の協議によらずに、この確認項目を変更することはできない。", INFO),
    ("作業場所を変更することはできない。", PROHIBITED),
    # what the attachment leaves to another document, said politely (rule 2)
    ("この手引きに定めのない事項は、委託契約書の定めるところによります。", INFO),
    ("その他の事項は、市の情報セキュリティポリシーに従います。", INFO),
    ("記録媒体は、市が貸与したものに限ります。", REQUIRED),     # read as its plain form 「…に限る。」
])
def test_verdict(text, expected):
    assert judge(text).verdict == expected
