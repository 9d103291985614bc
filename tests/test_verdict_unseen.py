"""Verdicts on wording from attachments the product was not tuned on.

tests/fixtures/verdict_unseen/units.jsonl holds rule units written in the ways other cities phrase
each modality (…を禁ずる, …は認めない, …は不可とする, …を要する, polite and です・ます forms, the
city's rights, a contractor's permission, liability, validity, lead-ins with bare items, width and
spacing variants). Each label follows ../shared/eval/verdict_rules.md, the lead-in included for
list items. The units were written before the product was measured on them; the "probe" batch
was written after the first round of fixes, to check they carry over; the "probe2" batch after
reviewing the verdicts on the new attachments in tests/data/attachments_new (own wording, not theirs).

Where the rules are silent the fixture's "note" says what was decided, as a compliance officer
would read it:
- a contractor's bare permission (受注者は…することができる) asks nothing: 規定; with the
  city's approval in it (承認を得て…できる): 許可・承認が必要;
- validity and survival (…後も有効とする, 効力を有する) and joint undertakings of both parties
  (甲及び乙は…協力する) are contract machinery: 規定;
- 「…に協議し、その同意を得ること」 before an act allows the act once the city agrees: 許可・承認が必要;
- 「しないよう注意／留意すること」 and 「差し控える」「慎む」 forbid the worker's own act: 禁止,
  while 「…が…ないよう／…されないよう…すること」 (a state to bring about) stays 義務;
- a なお sentence giving an approval route does not change a plain prohibition (rule 1), but
  after 原則として…しないこと any later sentence of the unit giving the route makes it
  許可・承認が必要 (rule 4: the route is in the unit), and so does the very next sentence when it
  is not a なお/また one (「…持ち出さないこと。持ち出す必要がある場合は、市の承認を受けること。」);
- 「…しましょう」 in a staff handbook recommends (励行, as 望ましい; the writers of verdict keys 3 and 28 read it so),
  「必ず…しましょう」 is a must (義務) and 「…ないようにしましょう」 forbids (禁止).

tests/fixtures/verdict_unseen/units2.jsonl (u316…, 120 units) was written the same way in a second
round, labelled before the product was run on it (first measured: 89/120 right, 16 dangerous), in
the ways other cities, towns and prefectures write 特記事項, 遵守事項, 仕様書, 要綱 and 規程: many
subjects and both politeness levels, provisos and exceptions (〜を除き, 〜に限り, 〜の場合を除くほか,
但し), compounds (「…しないものとし、…しなければならない」「…できるが、…しなければならない」),
「…するときは、あらかじめ…」, 「…は認められない」「…を要しない」「…を妨げるものではない」
「…しなければならないものではない」, neglect and double negatives. Decided there:
- approval by the contractor's own people (作業責任者, 受託者の情報セキュリティ責任者, 上長) is not the
  city's (rule 3 needs the city): 「…してはならない。ただし、作業責任者の許可を得た場合は、この限りでない」
  stays 禁止, and 「作業責任者の承認を得ること／得なければ…してはならない」 is 義務 (the worker's own
  step, rule 7). An approver not named as the contractor's own (管理者, 市の情報セキュリティ管理者) is
  read as the city's; an exception the law makes is not asked for (禁止);
- a proviso that only waives a duty (「提出しなければならない。ただし、市が不要と認めた場合は、この限り
  でない」) leaves it 義務;
- not neglecting is doing: 「監督を怠ってはならない」「点検を欠かさないこと」「報告を怠ることのないように
  しなければならない」「ロックしないことのないよう」「電源を切り忘れることのないよう」 are 義務;
- 「Xせずに Yしてはならない」 is rule 7's 「Xしなければ Yしてはならない」 (義務 when X is the worker's step);
- a compound whose first part forbids (「…しないものとし、…しなければならない」) is 禁止;
- 「発注者は…実施するものとし、受注者はこれに協力しなければならない」 asks the contractor: 義務;
- 「上長の承認を得て…できる」 (a permission only the contractor's own people can give) is 禁止: not the
  city's route, and the worker is not free to act (the safe reading);
- 「置き忘れることのないよう」 forbids leaving a thing behind (禁止), unlike 「切り忘れ」.
The "probe3" batch in units.jsonl was written after that round's fixes, in new wording, to check they
carry over (first measured 28/32, 4 dangerous: 置き忘れ, 「講じないまま／届け出ないまま…してはならない」,
a permission under a superior's approval; then 4 more forms found while checking: 「…ないようお願いします」,
「許可を受けた場合のほかは」「承認を得た場合以外は」). The "probe4" batch holds forms found probing
after that (13 of 14 first wrong, 8 dangerous): an effort joined to a binding rule (「…に努めるとともに、
…してはならない」 is 禁止, 「…しなければならない」 義務), approval as background (「承認を得て…場合であって
も、…してはならない」 is 禁止), 「ご遠慮ください」「…は控えてください」「すべきではない」「避けること」
「ことを得ない」 (禁止), 「しないといけません」「ことが必要である」「すべきである」 (義務). "probe5"
(first 4/11 right, 3 dangerous): the data subject's consent (本人の同意) is not the city's route (禁止);
都 and 府 speak as the city; rule 7 with 「…しなければ／せずに…できない」 (義務); 「市の承認を得ないで作業
場所を変更することはできない」 is the contractor's act needing approval, not the terms being fixed.
"probe6" (first 2/6 right, 1 dangerous): 「市が許可したときに限り／発注者が認めた場合に限り、…できる」
is 許可・承認が必要 (not the city's own right), 「作業責任者が許可したときに限り、…できる」 is 禁止, and
an approval by the city together with the contractor's lead (市及び作業責任者の承認) is the city's route.
"probe7" (first 2/3 right): 「ただし、市の承認を得たものについては、この限りでない」 is a route too.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import verdict as v

FIXTURES = Path(__file__).parent / "fixtures" / "verdict_unseen"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


UNITS = _load("units.jsonl")
UNITS2 = _load("units2.jsonl")
LABEL = v.LABELS


def _dangerous(gold: str, got: str) -> bool:
    # the scorer's definition: a prohibition shown as anything but 禁止/許可, or a duty shown as 禁止
    return (gold == "禁止" and got in ("義務", "励行", "規定")) or (gold == "義務" and got == "禁止")


def _verdict(unit: dict) -> tuple[str, str]:
    rows = [("item", None, unit["text"])]
    if unit.get("lead"):   # a list item is read with its lead-in, as in a parsed document
        rows = [("lead", None, unit["lead"]), ("item", "lead", unit["text"])]
    got, why = v.assign(rows)["item"]
    return LABEL[got], why


def test_fixture_is_well_formed():
    assert 150 <= len(UNITS) <= 400 and len(UNITS2) == 120
    both = UNITS + UNITS2
    assert len({u["id"] for u in both}) == len(both)
    for units in (UNITS, UNITS2):
        assert {u["label"] for u in units} == set(LABEL.values())
    assert all(u["lead"] for u in both if "lead" in u)


@pytest.mark.parametrize("unit", UNITS + UNITS2, ids=[u["id"] for u in UNITS + UNITS2])
def test_unseen_unit_verdict(unit):
    got, why = _verdict(unit)
    assert not _dangerous(unit["label"], got), (unit["text"], got, why)
    assert got == unit["label"], (unit.get("lead"), unit["text"], got, why)
    assert why  # `kb show` prints this reason


@pytest.mark.parametrize("units", [UNITS, UNITS2], ids=["units", "units2"])
def test_no_unit_dangerous_in_aggregate(units):
    dangerous = [u["id"] for u in units if _dangerous(u["label"], _verdict(u)[0])]
    assert dangerous == []
    # nor a prohibition shown as needing only approval, in the second round's stricter sense
    softened = [u["id"] for u in units if u["label"] == "禁止" and _verdict(u)[0] != "禁止"]
    assert softened == []
