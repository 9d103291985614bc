"""What a clause asks: prohibited, permitted only with approval, required, encouraged.

Read from the clause's wording; an item without wording of its own (a list entry such
as "(2) プライバシーマーク") takes its parent's verdict.
"""
from __future__ import annotations

import re

PROHIBITED = "prohibited"
APPROVAL = "approval"
REQUIRED = "required"
ENCOURAGED = "encouraged"
INFO = "info"

# One line a worker reads first (polite Japanese).
LINES = {
    PROHIBITED: "禁止されています。",
    APPROVAL: "原則として認められず、市（甲）の許可・承認を得た場合に限り認められます。",
    REQUIRED: "必ず守る義務があります。",
    ENCOURAGED: "励行（必ず心がけること）が求められています。",
    INFO: "次の規定があります。",
}
LABELS = {PROHIBITED: "禁止", APPROVAL: "許可・承認が必要", REQUIRED: "義務", ENCOURAGED: "励行", INFO: "規定"}

_APPROVAL = re.compile(
    r"(許可を得|承認を得|承諾を得|承認を受け|許可を受け|承諾を受け|許可なく|承諾なし|承認なく|無断で|"
    r"承諾した場合を除き|承認した場合を除き|認めた場合は、この限りで|許可された者のみ|申請し)"
)
_PROHIBITED = re.compile(
    r"(してはならない|てはならない|ではならない|禁止|しないこと|さないこと|いないこと|わないこと|"
    r"ないこと。|ないこと$|ことはできない|させないこと|持ち込ませない)"
)
_ENCOURAGED = re.compile(r"(励行|努めなければならない|努める|努めること|望ましい|心がけ)")
_REQUIRED = re.compile(
    r"(しなければならない|なければならない|ねばならない|こと。|こと$|ものとする|する。$|すること|"
    r"させる。$|管理する。$|義務|必要がある|提出|遵守)"
)


def classify(text: str) -> str | None:
    """The verdict this text states itself, or None when it states none."""
    t = (text or "").strip()
    if not t:
        return None
    if _PROHIBITED.search(t):
        return APPROVAL if _APPROVAL.search(t) and not re.search(r"原則禁止とすること", t) else PROHIBITED
    if _APPROVAL.search(t):
        return APPROVAL
    if _ENCOURAGED.search(t):
        return ENCOURAGED
    if _REQUIRED.search(t):
        return REQUIRED
    return None
