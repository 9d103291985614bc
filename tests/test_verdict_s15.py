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


# --- the eighteenth and nineteenth sets (session 15), each wording written anew for the test ---------------------

@pytest.mark.parametrize("text, expected", [
    # a lead-in whose ただし lets through what the city (a section head of it) found necessary: a route (rule 3)
    ("倉庫には、次に掲げる物品を持ち込んではならない。ただし、管理課長が業務上必要と認めたものは、この限りでない。", APPROVAL),
    ("倉庫には、次に掲げる物品を持ち込んではならない。ただし、作業責任者が必要と認めたものは、この限りでない。", PROHIBITED),
    # 「…の承諾のない〈行為〉」: done without the approval (rule 3), unlike 「許可のない者」 naming who
    ("市の承諾のない業務の再委託", APPROVAL),
    ("許可のない者の入室", None),
    # the city's sign-off before going on is its approval (rule 7: 「…の確認を受けた後でなければ…してはならない」)
    ("受託者は、改善策を定めて情報政策課の確認を受けた後でなければ、作業を再開してはならない。", APPROVAL),
    ("受託者は、作業責任者の確認を受けた後でなければ、作業を再開してはならない。", REQUIRED),
    # until a step the worker takes (by some means, no subject of its own) is rule 7; until an event is a time limit
    ("使用済みの帳票は、裁断機で細断するまでごみ箱に入れないこと。", REQUIRED),
    ("原因が判明するまで、次の工程に進まないこと。", PROHIBITED),
    ("市の調査が終わるまで、関係する記録を消去しないこと。", PROHIBITED),
    # an item marked ×
    ("×窓口の端末で私的な検索をする", PROHIBITED),
    ("×来庁者の書類を机の上に置いたまま離席する", PROHIBITED),
    # a line marked with its force in angle brackets
    ("＜禁止＞届出のない者による台帳の閲覧", PROHIBITED),
    ("＜推奨＞離席の際は、画面を閉じるよう心がけること。", ENCOURAGED),
    ("＜必須＞台帳は、施錠できる保管庫に保管すること。", REQUIRED),
    # what a word in a table covers, said politely; liability said politely
    ("表中の「課長」には、課長があらかじめ指名した職員を含みます。", INFO),
    ("再委託をした場合であっても、受注者は、再委託先の行為について全ての責任を負います。", INFO),
    # an FAQ answer 「A. …原則として…に限ります。ただし、…承認した場合は、…できます。」
    ("A. 書類の受取りは、原則として申請者本人に限ります。ただし、申請者が代理人を届け出て、市が承認した場合は、"
     "その代理人に渡すことができます。", APPROVAL),
])
def test_wordings_of_the_eighteenth_and_nineteenth_sets(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


def test_a_heading_that_says_its_items_are_forbidden_or_asked():
    """A heading 「NG」「これだけは禁止」「やってはいけないこと」 over bare items forbids them, 「OK」 asks them (rule 10: the
    heading read as their lead-in); the heading itself stays 規定, and an item with its own wording keeps it."""
    clauses = [
        ("h1", None, "", "NG"),
        ("h1.b1", "h1", "個人情報を含む書類のFAX送信", ""),
        ("h2", None, "", "OK"),
        ("h2.b1", "h2", "聞き取った内容は、復唱して確認する", ""),
        ("h3", None, "", "これだけは絶対禁止"),
        ("h3.b1", "h3", "入館カードの貸し借り", ""),
        ("h3.b2", "h3", "市の許可のない台帳のコピー", ""),
        ("h4", None, "", "日々の業務"),
        ("h4.b1", "h4", "入館カードの貸し借り", ""),
    ]
    got = {k: v for k, (v, _) in assign(clauses).items()}
    assert got["h1"] == INFO and got["h3"] == INFO
    assert got["h1.b1"] == PROHIBITED
    assert got["h2.b1"] == REQUIRED
    assert got["h3.b1"] == PROHIBITED
    assert got["h3.b2"] == APPROVAL
    assert got["h4.b1"] == INFO


@pytest.mark.parametrize("column, cell, expected", [
    ("市がとる措置", "契約の全部又は一部を解除する", INFO),
    ("市の対応", "文書により改善を指示する", INFO),
    ("やること", "画面をそのままにして操作を止め、業務責任者を呼ぶ", REQUIRED),
    ("やること", "回答せずに、担当課へ取り次ぐ", REQUIRED),
])
def test_a_column_that_says_who_acts(column, cell, expected):
    assert judge(f"{column}：{cell}").verdict == expected


def test_the_rows_of_a_checklist_table_are_checks_to_make():
    """A table 「チェック項目 | 頻度 | 担当」: each row is a check the worker makes as often as it says (義務, rule 9), a
    row with its own wording keeps it; the header row is no rule, and rows of another table are not checks."""
    clauses = [
        ("h1", None, "", "点検"),
        ("h1.r1", "h1", "チェック項目: 頻度\n担当", ""),
        ("h1.r2", "h1", "画面ロック設定が有効になっていることを確認: 毎日\n作業責任者", ""),
        ("h1.r3", "h1", "受渡簿の件数と現物との突合: 毎週\n作業責任者", ""),
        ("h2", None, "", "用語"),
        ("h2.r1", "h2", "作業室: 入力作業を行う部屋", ""),
    ]
    got = {k: v for k, (v, _) in assign(clauses).items()}
    assert got["h1.r1"] == INFO
    assert got["h1.r2"] == REQUIRED and got["h1.r3"] == REQUIRED
    assert got["h2.r1"] == INFO


@pytest.mark.parametrize("text, expected", [
    ("相談記録は、市が指定するシステムにのみ保存するものとする。", REQUIRED),
    ("鍵は、市が貸与した保管庫に収納するものとする。", REQUIRED),
    ("市は、アクセスログを随時確認できるものとする。", INFO),
])
def test_the_city_naming_the_thing_in_a_rule_of_the_worker(text, expected):
    assert judge(text).verdict == expected, judge(text).reason
