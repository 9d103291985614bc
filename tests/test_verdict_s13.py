"""Verdicts on wordings two new sets of attachments used (session 13), each written anew for this test:
the city as the agent after a topic, a client called 局, a way out in brackets, polite お…ください,
FAQ answers, checklist rows (「…せずに…しない」, 「（要承認）」, 「市の承認があれば可」, 「無断設置禁止」),
※ notes with a rule of their own, and a lead-in item that governs only its own items."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, ENCOURAGED, INFO, PROHIBITED, REQUIRED, assign, judge


@pytest.mark.parametrize("text, expected", [
    # the city acts: 「Xは、市が…する」 (rule 2), but not when the contractor must act in the city's way
    ("点検結果の様式は、市が別に定める。", INFO),
    ("利用者カードは、市が従事者ごとに発行します。", INFO),
    ("書類は、市が指定する方法で廃棄すること。", REQUIRED),
    ("記録媒体は、市が貸与したものに限る。", REQUIRED),
    ("受注者は、市が指定する場所で作業する。", REQUIRED),
    # a client named 局 (水道局, 病院局) is the city
    ("局は、報告書の内容を確認し、必要があると認めるときは、廃棄に立ち会うものとする。", INFO),
    ("上下水道局は、受注者に対し、作業の中止を指示することができる。", INFO),
    # liability
    ("受注者の責めに帰すべき事由により局に損害が生じたときは、その損害は受注者の負担とする。", INFO),
    # a way out written in brackets (rule 3)
    ("利用者名簿の写しを施設の外に持ち出すことはできません（市の許可がある場合を除きます）。", APPROVAL),
    ("名簿を目的外に使うことはできない（市の承認を得た場合を除く。）。", APPROVAL),
    # 「…することは、どのような理由があってもできません」 said of the worker (rule 5)
    ("名簿をスマートフォンで撮影することは、どのような理由があってもできません。", PROHIBITED),
    # waiting for the worker's own step (rule 7)
    ("研修を受け終わるまで、名簿を閲覧することはできません。", REQUIRED),
    ("ウイルスチェックを実施せずに媒体を端末に接続しない", REQUIRED),
    ("事故の記録を作成するまで関係資料を廃棄しない", REQUIRED),
    ("市の指示があるまで端末の電源を切らない", PROHIBITED),          # an event, not a step
    ("暗号化せずに送信するときは、あらかじめ市の承認を得なければならない。", APPROVAL),
    # polite お…ください
    ("報告の際は、いつ、どこで、何が起きたのかを具体的にお伝えください。", REQUIRED),
    ("私用の携帯電話での連絡はお控えください。", PROHIBITED),
    # an FAQ answer on a line of its own: the city's act, its ただし with it
    ("A　市は、訪問日の前日までに事業者へお知らせします。ただし、緊急の場合は予告なく訪問することがあります。", INFO),
    # a statement that something breaks the rules: the next sentence is the rule
    ("次のような行為は、この要領に違反します。絶対に行わないでください。", PROHIBITED),
    # approval naming a document is a kind of thing, not a way out (rule 3)
    ("市の承認を受けた作業計画書に記載のない作業を行わないこと。", PROHIBITED),
    ("市の承認を得た上で持ち出すこと。", APPROVAL),
    # checklist rows
    ("最新の脅威情報の収集に努めていること", ENCOURAGED),
    ("業務中に私的なウェブ閲覧をしないよう努めていること", ENCOURAGED),
    ("媒体への個人情報の保存（要承認）", APPROVAL),
    ("サーバ室への私物の持込み禁止。市の承認があれば可", APPROVAL),
    ("サーバ室での撮影は厳禁。例外なし", PROHIBITED),
    ("無線LANアクセスポイントの無断設置禁止", APPROVAL),
    ("【目的】この確認表は、受託者の対策の実施状況を確認するために用いる。", INFO),
    # the contract's own terms are machinery (rule 2)
    ("委託料は、金３，３００，０００円とする。", INFO),
    ("履行期間は、契約締結の日から令和９年３月３１日までとする。", INFO),
    ("契約保証金は、市契約規則の規定により免除する。", INFO),
    # a case completes its lead-in; it states no rule of its own
    ("前各号に掲げる場合のほか、受注者が契約に違反し、業務を完了することができないと認められるとき。", None),
    # a state to prevent is rule 6, the worker's own act negated is rule 5
    ("隣の窓口の来庁者に聞こえないよう、声の大きさに配慮して説明すること。", REQUIRED),
    ("書類を机に放置しないよう配慮すること。", PROHIBITED),
    # 禁止 inside a quoted sign is a noun
    ("作業室の扉への「私物持込禁止」の表示", None),
    ("サーバ室の扉には、関係者以外立入禁止の表示を掲げること。", REQUIRED),
    ("受注者の過失により生じた損害は、受注者の負担とする。", INFO),
    ("本番データの直接の書換え（市の承認を得た障害対応を除く）", APPROVAL),
    ("**禁止** 管理者アカウントを複数人で使い回すこと。", PROHIBITED),
    ("**必須** 作業の前に手順書を読み合わせること。", REQUIRED),
    ("禁止 私物のUSBメモリを本番サーバに接続すること。", PROHIBITED),      # the bold already read as text
    ("帳票の持出し　△要承認　持出簿に記録すること。", APPROVAL),
    ("次のことは、市の許可がない限り行わないでください。", APPROVAL),
    ("名簿のメール送信は原則禁止としますが、市の承認を受けた場合は、暗号化して送信してください。", APPROVAL),
    ("私物の持込みは原則禁止とするが、作業責任者の承認を得た場合は、持込簿に記録すること。", PROHIBITED),
    ("事故を市に報告するまで、関係する記録を消さないでください。", REQUIRED),
    ("このルールは、市と受託者が合意しない限り変更することはできません。", INFO),
    ("第3項の承諾を得て再委託する場合、受託者は、再委託先に同等の義務を課さなければならない。", REQUIRED),
    ("Q. 研修の前に窓口を手伝ってもよいですか。 A. 研修を受講するまでは、窓口業務に就くことはできません。", REQUIRED),
])
def test_wording(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


def _assign(rows):
    return {k: v for k, (v, _) in assign(rows).items()}


def test_a_note_says_its_own_rule():
    got = _assign([
        ("a7", None, ""),
        ("a7.p1", "a7", "受注者は、次に掲げる行為をしてはならない。"),
        ("a7.p1.i1", "a7.p1", "自己又は親族に係る帳票の点検"),
        ("a7.p1.i1.n1", "a7.p1.i1", "(1)に該当する帳票を割り当てられた者は、責任者に申し出て担当を交替すること。"),
        ("a7.p1.i2", "a7.p1", "点検結果の様式は、市が別に定める。"),
        ("a7.p1.i2.n1", "a7.p1.i2", "報告の様式は、市が別に定める。"),
    ])
    assert got["a7.p1.i1"] == PROHIBITED
    assert got["a7.p1.i1.n1"] == REQUIRED      # not the item's 禁止
    assert got["a7.p1.i2.n1"] == INFO


def test_a_lead_in_item_with_its_own_items_governs_only_them():
    got = _assign([
        ("h2", None, ""),
        ("h2.i1", "h2", "受付では、次のことは行わないでください。"),
        ("h2.i1.i1", "h2.i1", "申込書をカウンターの上に置いたままにすること"),
        ("h2.i2", "h2", "日頃から、次のことに努めてください。"),
        ("h2.i2.i1", "h2.i2", "離席時に書類をしまうこと"),
        ("h2.p1", "h2", "画面が来館者に見られないよう、画面の向きを変えてください。"),
    ])
    assert got["h2.i1.i1"] == PROHIBITED and got["h2.i2.i1"] == ENCOURAGED
    assert got["h2.p1"] == REQUIRED            # a paragraph after the lists is no item of the first
