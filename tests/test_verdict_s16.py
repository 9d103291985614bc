"""Verdicts on wordings the twenty-first set of attachments used (session 16), each written anew for this test:
a legend that says what a table's symbols stand for (「…を示します」「…を表す」「…を意味する」: a definition, rule 2);
the city named only as the maker of the thing the worker carries (「…ときは、市が発行する…証を携帯し、…提示する。」, a
plain …する。 used as a rule, rule 9); a unit whose first sentence is the city's own act (「…の公表は市が行う。」), so
the next sentence, the contractor's, is the main rule (rule 1)."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, INFO, PROHIBITED, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    # a legend: what a symbol or word stands for asks nothing, whatever the rules it quotes
    ("一覧表の「区分」欄の記号は、◎が必ず行うこと、○が行ってよいこと、×が行ってはならないことを示します。", INFO),
    ("この一覧の△は、市の許可を受けた場合に限り行ってよいことを表す。", INFO),
    ("表中の「要」は、作業の前に市の承認が必要であることを意味します。", INFO),
    # near: the worker's act of showing something stays a duty
    ("来庁者に求められたときは、作業員証を示すこと。", REQUIRED),
    ("受注者は、立入りの際に従事者証を示します。", REQUIRED),
    ("×の行為は、市の承認を得た場合に限り行うことができる。", APPROVAL),
])
def test_a_legend_is_a_definition(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


@pytest.mark.parametrize("text, expected", [
    # 市が only names the thing (市が交付する作業員証, 市が貸与した端末); the act is the worker's
    ("検針のため戸別に訪れるときは、市が交付する作業員証を着用し、求めに応じて提示する。", REQUIRED),
    ("現地調査に出るときは、市が貸与した携帯端末を持参する。", REQUIRED),
    ("訪問は、市が承認した名簿に載った世帯に対してのみ行うものとし、訪問の時間帯は、午前９時から午後５時までとする。", REQUIRED),
    # near: the city's own act stays 規定
    ("作業員証は、市が作業員ごとに交付する。", INFO),
    ("作業員証は、市が交付する。", INFO),
    ("市は、訪問用の作業員証を交付する。", INFO),
    ("受付記録は、市が指定する職員が確認する。", INFO),                      # another subject acts
    ("この手引きでは、市が委託する業務で守っていただく事項をお知らせします。", INFO),   # the writer's own act
])
def test_the_city_named_as_the_maker_of_a_thing(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


@pytest.mark.parametrize("text, expected", [
    # the first sentence is the city's own act (no comma after は): the contractor's next sentence decides (rule 1)
    ("報道発表: 障害の発表は市が行う。受注者は、市の承認を得ずに障害の内容を外部に発表してはならない。", APPROVAL),
    ("障害の発表は市が行う。受注者は、障害の内容を外部に発表してはならない。", PROHIBITED),
    ("障害の発表は市が行う。受注者は、発表の前に障害の経過を市に報告すること。", REQUIRED),
    # near: the city's act alone stays 規定; the contractor's own act stays a duty
    ("障害の発表は市が行う。", INFO),
    ("障害の発表は、市が行う。", INFO),
    ("障害の報告は受注者が行う。", REQUIRED),
])
def test_the_city_acting_first_then_the_contractor(text, expected):
    assert judge(text).verdict == expected, judge(text).reason
