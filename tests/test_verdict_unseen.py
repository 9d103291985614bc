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
- 「…しましょう」 in a staff handbook is the polite imperative (義務, or 禁止 when negated).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import verdict as v

FIXTURE = Path(__file__).parent / "fixtures" / "verdict_unseen" / "units.jsonl"
UNITS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
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
    assert 150 <= len(UNITS) <= 400
    assert len({u["id"] for u in UNITS}) == len(UNITS)
    assert {u["label"] for u in UNITS} == set(LABEL.values())


@pytest.mark.parametrize("unit", UNITS, ids=[u["id"] for u in UNITS])
def test_unseen_unit_verdict(unit):
    got, why = _verdict(unit)
    assert not _dangerous(unit["label"], got), (unit["text"], got, why)
    assert got == unit["label"], (unit.get("lead"), unit["text"], got, why)
    assert why  # `kb show` prints this reason


def test_no_unit_dangerous_in_aggregate():
    dangerous = [u["id"] for u in UNITS if _dangerous(u["label"], _verdict(u)[0])]
    assert dangerous == []
