"""Verdicts of three wordings the verdict keys showed inverted, each written anew for this test:
a duty joined to a prohibition that follows it (「…しなければならず、…してはならない」: the first predicate is the
rule, rule 1, as 「…してはならず、…しなければならない」 is a prohibition); taking care not to do something that goes
on to an act to do (「…しないよう注意し、…すること」: 禁止 would forbid the act, rule 6); and 「…までの間、…しないこと」,
a prohibition for a time, not a step to take before the act (rule 7 needs a step: 「…を受講するまで…しないこと」)."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, INFO, PROHIBITED, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    # a duty first, a prohibition added to it
    ("受注者は、市の監査に応じなければならず、正当な理由なくこれを妨げてはならない。", REQUIRED),
    ("乙は、使い終えた帳票を施錠できる箱に入れなければならず、机の上に放置してはならない。", REQUIRED),
    # ...and the other way round, as before
    ("乙は、帳票を作業室から持ち出してはならず、作業終了後は速やかに返却しなければならない。", PROHIBITED),
    # taking care not to do something, then an act to do
    ("宛先の違う書類を見つけたときは、中を読まないよう注意し、すぐに責任者へ渡すこと。", REQUIRED),
    ("不審なメールが届いたときは、添付ファイルを開かないよう留意し、直ちに管理者に報告すること。", REQUIRED),
    # ...but taking care not to do it, and nothing else, stays the prohibition it guards (decided in session 15)
    ("窓口では、来庁者の住所を声に出して読まないよう注意すること。", PROHIBITED),
    # ...and a second act that is itself forbidden keeps 禁止
    ("書類を机に放置しないよう注意し、私物の鞄に入れないこと。", PROHIBITED),
    # a prohibition for a time: until erasure is complete, the copy is not to be used for anything else
    ("受託者は、データの消去が完了するまでの間、その媒体を他の業務に使用しないこと。", PROHIBITED),
    # a step the worker takes before the act: rule 7 (duty) or the city's approval (route)
    ("作業員は、研修の受講が完了するまで、個人情報を取り扱わないこと。", REQUIRED),
    ("受注者は、市の承認を得るまでの間、新しい機器を接続してはならない。", APPROVAL),
])
def test_wordings_the_keys_showed_inverted(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


@pytest.mark.parametrize("text, expected", [
    # the city's own institution as the client speaks of what it does (rule 2)
    ("図書館は、漏えいの対象となった利用者に、その旨を知らせるものとします。", INFO),
    ("公民館は、必要と認めるときは、受託者の作業場所を確認することができる。", INFO),
    ("館長は、事故の内容を公表することがあります。", INFO),
    # ...and the contractor's duty toward it stays a duty
    ("受託者は、事故が起きたときは、直ちに図書館に報告すること。", REQUIRED),
    ("貸出記録は、図書館が指定する端末にのみ保存するものとする。", REQUIRED),
])
def test_the_city_named_by_its_institution(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


@pytest.mark.parametrize("text, expected", [
    # the legend of a table's mark talks about the mark; it is not a row marked 要承認 (rule 2)
    ("「（要承認）」は、市の承認を得た場合に限り行うことができる作業であることを示す。", INFO),
    ("私物の端末の持込み（要承認）", APPROVAL),
    # the contract's first article: the city entrusts, the contractor accepts (contract machinery, rule 2)
    ("甲は、〇〇市給食配送業務（以下「本業務」という。）を乙に委託し、乙はこれを受託する。", INFO),
    # an answer that releases, with a ただし that asks: the ただし is the rule
    ("Ｑ：昼休みも端末の電源を切る必要がありますか。　Ａ：電源を切ることまでは不要です。ただし、画面は必ずロックしてください。",
     REQUIRED),
    # approval as the background of a duty even then (「…承認を受けて再委託した場合も、…」, rule 3)
    ("市の承認を得て再委託した場合も、再委託先の従事者にこの遵守事項を守らせること。", REQUIRED),
    ("市の承認を得た場合を除き、再委託してはならない。", APPROVAL),
])
def test_legends_machinery_releases_and_background(text, expected):
    assert judge(text).verdict == expected, judge(text).reason
