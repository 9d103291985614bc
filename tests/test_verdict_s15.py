"""Verdicts on wordings the seventeenth set of attachments used (session 15), each written anew for this test:
a duty to take care not to do something, read as a list item under 「次のことを守ってください。」; the polite
'cannot' said to the staff (「お答えできません」); the city's own act said politely (「市から受託者に通知します」);
the terms changed only when both parties agree (「双方の合意がなければ変更できません」); approval as the
background of what was brought in (「承認を得て持ち込んだ私物は、…」); a step written 「…を経ずに」 (rule 7); a
sentence that names who by a negation and ends forbidding (「…されていない者は、…ことはできません」); the city named by
what it did (「事故の報告を受けた市は、…」)."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, ENCOURAGED, INFO, PROHIBITED, REQUIRED, assign, judge


@pytest.mark.parametrize("text, expected", [
    # the polite 'cannot' (お／ご + verb + できません) tells the staff what not to do
    ("本人以外の方からの問合せには、予約の有無をお答えできません。", PROHIBITED),
    ("登録のない方には、来館者の連絡先をご案内できません。", PROHIBITED),
    ("この端末では、外部のサイトを閲覧できません。", PROHIBITED),
    ("受託者は、事前に届け出た者に限り、書庫に入ることができます。", INFO),
    # the city's own act, said politely, with the contractor as the one it is done for (rule 2)
    ("改定したときは、市から受託者に文書で通知します。", INFO),
    ("市は、必要に応じてこの手引きを改めることができます。改めたときは、市から受注者に連絡します。", INFO),
    ("市から受託者に貸与した鍵は、契約終了後速やかに返却してください。", REQUIRED),
    # the terms fixed unless both parties agree: contract machinery (rule 2)
    ("この手引きの内容は、市と受注者の双方の合意がなければ変更できません。", INFO),
    ("本チェックリストは、甲乙の協議がない限り変更できない。", INFO),
    ("作業場所を変更することはできない。", PROHIBITED),
    ("契約期間中は、作業場所を変更できない。", PROHIBITED),         # the contractor's act, not the terms
    # approval as the background of what was brought in (rule 3), not a way out
    ("承認を得て持ち込んだ機器は、作業終了後に持ち帰ること。", REQUIRED),
    ("承諾を得て複写した書類について、その枚数を記録すること。", REQUIRED),
    ("市の承認を得て、機器を持ち込むこと。", APPROVAL),
    # the worker's own step first (rule 7): 「…を経ずに…しないこと」
    ("住所の変更を、本人確認を経ずに受け付けないこと。", REQUIRED),
    ("申込書の控えを、上長の確認を経ずに廃棄しないこと。", REQUIRED),
    # a negation naming who (「記載されていない者は」) inside a sentence that ends forbidding
    ("届出のない者は、貸出記録を取り扱うことはできません。", PROHIBITED),
    ("登録されていない端末は、庁内のネットワークに接続することができない。", PROHIBITED),
    ("受託者は、ウイルスに感染していないことを確認すること。", REQUIRED),
    # the city named by what it did (「事故の報告を受けた市は、…」): its own act (rule 2)
    ("事故の報告を受けた市は、必要に応じて受託者に改善計画の提出を求めるものとします。", INFO),
    ("調査を行った市は、その結果を受託者に通知するものとする。", INFO),
    ("市が貸与した端末は、契約終了時に返却すること。", REQUIRED),
    # taking care not to do something, on its own: the act it guards is forbidden (as decided before)
    ("窓口では、申請者の氏名を大きな声で読み上げないよう注意すること。", PROHIBITED),
    ("受注者は、個人情報を記録した媒体を紛失しないよう注意しなければならない。", PROHIBITED),
])
def test_wordings_of_the_seventeenth_set(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


def test_taking_care_not_to_do_something_takes_the_label_of_its_list():
    """「…しないよう注意すること」 is a plain 「…すること」 whose predicate is the duty to take care: under
    「次のことを守ってください。」 it is one of the things to do (義務, rule 10), under 「次のことはしないでください。」
    one not to do, under 「…に努めること」 an effort; a 「…しないこと」 item keeps its own 禁止."""
    clauses = [
        ("s1", None, ""),
        ("s1.p1", "s1", "次のことを守ってください。"),
        ("s1.p1.b1", "s1.p1", "来館者の病歴は、引継ぎの場合を除き、声に出して読み上げないよう注意すること"),
        ("s1.p1.b2", "s1.p1", "個人宛ての郵便物を開封しないこと"),
        ("s1.p2", "s1", "次の対策に努めること。"),
        ("s1.p2.b1", "s1.p2", "書類を机の上に出したままにしないよう留意すること。"),
        ("s1.p3", "s1", "次のことはしないでください。"),
        ("s1.p3.b1", "s1.p3", "来館者の前で台帳を開いたまま離れないよう気をつけること。"),
    ]
    got = {k: v for k, (v, _) in assign(clauses).items()}
    assert got["s1.p1.b1"] == REQUIRED
    assert got["s1.p1.b2"] == PROHIBITED
    assert got["s1.p2.b1"] == ENCOURAGED
    assert got["s1.p3.b1"] == PROHIBITED
