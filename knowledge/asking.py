"""What kind of question was asked, from how it ends (「…してもいい？」「まずい？」「Can I …」).

Only the form is read here, never the subject: search uses it to lead with the rule that forbids
what the worker asks permission for.
"""
from __future__ import annotations

import re

from knowledge.textnorm import nfkc

# An ending that asks whether something is allowed: いい／OK／大丈夫／アリ／ナシ／ダメ／まずい／アウト／セーフ …
_ENDING = re.compile(
    r"(いい|良い|よい|ok|おk|オッケー|大丈夫|問題(ない|なし|ある)|あり|アリ|なし|ナシ|だめ|ダメ|駄目|まずい|マズい|アウト|セーフ|"
    r"許される|かまわない|構わない|可能|できる|できます)"
    r"(です|でしょう|ですか|でしょうか|かな|よね|の|なの|ん)?(か)?[?？!！…。\s]*$")
_ANYWHERE = re.compile(r"してもいい|しても(大丈夫|問題)|may i\b|can i\b|can we\b|is it ok|is that ok|allowed|okay to|ok to")


def asks_permission(question: str) -> bool:
    t = nfkc(question or "").lower().strip()
    return bool(_ENDING.search(t) or _ANYWHERE.search(t))
