"""Verdicts on wordings the twenty-third set of attachments used (session 17), each written anew for this test: a
pledge the worker signs, whose writer is the worker (「私は、…次の事項を遵守することを誓約します。」 before its items),
so its 「…記入します」「…報告いたします」「…指示に従います」 are the signer's undertakings (rule 9: a plain …する used as a
rule), not what the writer does as on a city's web page; 「…ことを承知しています」 acknowledges a fact (the city's right,
a liability: rule 2); a lead-in 「次の取組に努める」 passes effort to its plain items (rule 10)."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, ENCOURAGED, INFO, PROHIBITED, REQUIRED, assign, first_person, judge

PLEDGE = "私は、架空市（以下「市」といいます。）の受付業務に従事するに当たり、次の事項を守ることを誓約します。"


@pytest.mark.parametrize("preamble, expected", [
    (PLEDGE, True),
    ("私たちは、次のとおり情報を適正に取り扱うことを約束いたします。", True),
    ("令和７年４月１日\n" + PLEDGE, True),                 # the pledge on a line of its own
    ("私は、次の事項を守ることを誓います。", True),
    # near: a contractor's or the city's preamble is no first person
    ("受託者は、次の事項を遵守しなければならない。", False),
    ("このページは、市が委託する業務のルールをまとめたものです。", False),
    ("", False),
])
def test_a_pledge_the_worker_signs_is_told_by_its_preamble(preamble, expected):
    assert first_person(preamble) is expected


@pytest.mark.parametrize("text, expected", [
    ("受付簿に来庁者の人数を記入します。", REQUIRED),
    ("申請書を紛失したときは、直ちに作業責任者に報告いたします。", REQUIRED),
    ("事故の調査について、市の指示に従います。", REQUIRED),
    ("作業を終えるときは、作業責任者の確認を受けます。", REQUIRED),
    ("前号の検査には、誠実に協力いたします。", REQUIRED),
    # the other labels keep their wording
    ("業務で知り得た情報を、他人に漏らしません。", PROHIBITED),
    ("申請書の写しを作業室の外に持ち出しません。", PROHIBITED),
    ("市の承認を得ずに、端末の設定を変更いたしません。", APPROVAL),
    ("市の許可なく、従事者以外の者を作業室に立ち入らせません。", APPROVAL),
    ("個人情報保護に関する知識の向上に努めます。", ENCOURAGED),
    # what states, not undertakes: a definition, the pledge's effect, an acknowledgement
    ("この誓約書において「申請書等」とは、窓口で受け付けた申請書及び添付書類をいいます。", INFO),
    ("この誓約は、私が業務に従事しなくなった後も、効力を有するものとします。", INFO),
    ("市が、作業室に立ち入って検査し、又は私に質問することがあることを承知しています。", INFO),
    ("この誓約に違反したときは、法令に基づく責任を負うことを承知しています。", INFO),
    ("作業室での撮影は、一切行いません。これが厳禁とされていることを承知しています。", PROHIBITED),
])
def test_first_person_pledges(text, expected):
    assert judge(text, first_person=True).verdict == expected, judge(text, first_person=True).reason


@pytest.mark.parametrize("text", [
    "アカウントは、担当者ごとに一つ発行します。",
    "受付の結果は、後日お知らせいたします。",
])
def test_on_a_city_page_the_writers_own_act_is_still_no_rule(text):
    """Near case: the same 「…します」 written by the city (no pledge) is what the city does."""
    assert judge(text).verdict == INFO
    assert judge(text, first_person=True).verdict == REQUIRED


def test_an_acknowledgement_asks_nothing_in_any_document():
    assert judge("受注者は、市が監査を行うことがあることを承知している。").verdict == INFO
    # near: acknowledging as a step of the worker's own is still a duty
    assert judge("受注者は、従事者に特記事項を説明し、その内容を承知させること。").verdict == REQUIRED


def test_a_pledges_lead_in_passes_its_label_to_bare_nouns():
    got = assign([("i1", None, "端末の利用に当たっては、次のことを必ず守ります。", ""),
                  ("i1.a", "i1", "自分の利用者IDによるログイン", ""),
                  ("i1.b", "i1", "パスワードを他人に教えないこと", ""),
                  ("i2", None, "作業室では、次のことに努めます。", ""),
                  ("i2.a", "i2", "机の上に不要な書類を置かないようにすること。", ""),
                  ("i2.b", "i2", "気付いた危険を作業責任者に伝えること。", "")], first_person=True)
    assert [got[k][0] for k in ("i1", "i1.a", "i1.b", "i2", "i2.b")] == [
        REQUIRED, REQUIRED, PROHIBITED, ENCOURAGED, ENCOURAGED]


@pytest.mark.parametrize("lead", ["受託者は、次の取組に努めるものとする。", "従事者は、次の取組み に努めること。"])
def test_an_effort_lead_in_over_plain_items(lead):
    got = assign([("p1", None, lead, ""), ("p1.b1", "p1", "作業手順を年に一度見直すこと。", "")])
    assert got["p1"][0] == got["p1.b1"][0] == ENCOURAGED
