"""Verdicts on a wording of the twenty-sixth set (session 18), written anew for this test: the city's approval inside a
clause on the subject (「市の承認を得て廃棄する記憶装置は、…すること」) only says which things the rule is about (rule
3's category): the rule is a duty; the approval as the way to do the act itself stays the route."""
from __future__ import annotations

import pytest

from knowledge.verdict import APPROVAL, REQUIRED, judge


@pytest.mark.parametrize("text, expected", [
    ("市の承認を得て廃棄する記憶装置は、物理的に破壊し、破壊の日時を記録すること。", REQUIRED),
    ("市の承認を得て持ち出す書類は、施錠できる鞄に入れて運搬すること。", REQUIRED),
    ("町の許可を受けて複製する資料は、複製の都度、台帳に記録しなければならない。", REQUIRED),
    # near: the approval is the way to the act itself
    ("市の承認を得て廃棄すること。", APPROVAL),
    ("記憶装置は、市の承認を得て廃棄すること。", APPROVAL),
    ("書類を持ち出さないこと。ただし、市の承認を得て持ち出す場合は、この限りでない。", APPROVAL),
])
def test_approval_in_a_clause_on_the_subject_names_which(text, expected):
    assert judge(text).verdict == expected, judge(text).reason
