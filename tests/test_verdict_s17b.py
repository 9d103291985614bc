"""Verdicts on wordings the twenty-fourth set of attachments used (session 17), each written anew for this test: the
city named only as whose the act is that the worker must help with (「市が行う監査に協力すること。」, rule 9, not the
city's own act); the lead-in of a list of definitions (「…使用する用語の意義は、次のとおりとする。」, rule 2); whose a thing
is (「…は、市の所有とする。」, rule 2)."""
from __future__ import annotations

import pytest

from knowledge.verdict import INFO, PROHIBITED, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    # 市が行う only says whose the inspection is: the worker must cooperate
    ("市が行う立入検査に協力すること。", REQUIRED),
    ("事故が起きたときは、町が行う原因の調査に協力しなければならない。", REQUIRED),
    ("甲が行う監査には、誠実に応じること。", REQUIRED),
    # near: the city's own act stays 規定
    ("事故の公表は、市が行う。", INFO),
    ("市が行う検査の日程は、市が定める。", INFO),
    ("市は、必要があると認めるときは、立入検査を行うことができる。", INFO),
])
def test_the_city_named_only_as_whose_the_act_is(text, expected):
    assert judge(text).verdict == expected, judge(text).reason


@pytest.mark.parametrize("text, expected", [
    ("この要領において使用する用語の意義は、次のとおりとする。", INFO),
    ("この仕様書で用いる用語の定義は、次のとおりである。", INFO),
    ("検針データは、町の所有とする。", INFO),
    ("業務で撮影した写真は、全て甲の所有とする。", INFO),
    # near: a rule that only mentions terms or property keeps its label
    ("受託者は、用語の意義を従事者に周知すること。", REQUIRED),
    ("市の所有する端末を私用に使用してはならない。", PROHIBITED),
])
def test_definitions_lead_in_and_ownership_ask_nothing(text, expected):
    assert judge(text).verdict == expected, judge(text).reason
