"""Verdicts on wordings the eleventh set of attachments used (session 14), each written anew for this test:
a checklist row 「Xしなければ、Yしていないこと」 (rule 7), the terms of a checklist fixed by both parties'
agreement, and a polite 「…の定めるところによります」; and the twelfth set's: a client called 選管 or 病院, the
contractor's own lead as the subject of a polite sentence, and a table cell read with its column's name."""
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
    # the client named otherwise: an election commission (選管), a city hospital (病院)
    ("選管は、事故の状況によって、作業の中止を指示することがあります。", INFO),
    ("病院は、事故の内容を公表することがあります。", INFO),
    # the contractor's own lead acting, said politely, is a rule, not the writer's own act
    ("作業室の鍵は、作業責任者が管理します。", REQUIRED),
    ("申請書の様式は、当課が作成します。", INFO),
    # what a page or handbook is, and where the rest is
    ("このページは、本業務の遵守事項を現場向けにまとめたものです。", INFO),
    ("詳細は、保守契約書及び遵守事項によります。", INFO),
    # a cell read with its column's name (「してはいけないこと」「NG例」 / 「OK例」「してよいこと」)
    ("NG例：受け取った封筒を開けたまま机に置いておく。", PROHIBITED),
    ("してはいけないこと：作業場所外への持ち出し", PROHIBITED),
    ("してはいけないこと：電話による口座番号の聞き取り（甲が認めた場合を除く。）", APPROVAL),
    ("してはいけないこと：甲の許可なく行う保護者への照会", APPROVAL),
    ("OK例：原稿を受け取ったら、受領簿に件数を記入する。", REQUIRED),
    ("OK例：選管の承認を得てから、暗号化したUSBメモリで手渡す。", APPROVAL),
    ("してよいこと：作業机での開封及び点検", INFO),
    # the thirteenth set's: an answer that only allows, its ただし the rule; what counts as what; precedence;
    # allowed only for what the city approved; a 可否 table's △
    ("休憩時間中に休憩室で使用することは差し支えありません。ただし、執務エリアへ持ち込んではいけません。", PROHIBITED),
    ("市は、作業場所に立ち入ることができる。ただし、事前に受注者に通知するものとする。", INFO),
    ("氏名や住所など、特定の個人を識別できる情報をいいます。通話の録音も個人情報に当たります。", INFO),
    ("このＱ＆Ａ集と特記仕様書の内容が異なる場合は、特記仕様書の規定が優先します。", INFO),
    ("市の許可を得た資料に限り、必要な部数を印刷できます。", APPROVAL),
    ("本チェックリストと市の遵守事項の内容が異なるときは、市の遵守事項が優先する。", INFO),
    ("このチェックリストは、受託者が遵守事項の履行状況を日々確認するためのものである。", INFO),
    ("資料の使用　△　暗号化機能付きの媒体に限ります。", APPROVAL),
    # the fourteenth set's: an exception naming who may (a category), not a way to be allowed
    ("業務従事者以外の者を事務所内に立ち入らせないこと。ただし、市職員及び市が入室を許可した点検業者は、この限りでない。", PROHIBITED),
    ("資料を複写しないこと。ただし、市が許可した場合は、この限りでない。", APPROVAL),
    ("私物の機器を持ち込まないでください。ただし、市が許可した機器は、この限りではありません。", APPROVAL),
])
def test_verdict(text, expected):
    assert judge(text).verdict == expected
