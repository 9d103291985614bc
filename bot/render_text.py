"""Replies as plain text, for the terminal chat and the command line."""
from __future__ import annotations

from handlers.ask import Answer
from knowledge import verdict as verdicts


def snippet(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def answer_text(a: Answer) -> str:
    lines: list[str] = []
    if not a.found:
        lines.append(a.message)
    else:
        b = a.best
        lines.append(f"【{verdicts.LABELS.get(a.verdict, '規定')}】{a.verdict_line}")
        lines.append(f"「{b.text}」")
        lines.append(f"（{b.citation}）")
        if a.related:
            lines.append("")
            lines.append("関連する条項:")
            for h in a.related:
                lines.append(f"・{h.citation}: {snippet(h.text)}")
    for n in a.notes:
        lines.append(f"※ {n}")
    return "\n".join(lines)
