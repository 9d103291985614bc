"""Replies as plain text, for the terminal chat and the command line.

Buttons become numbered choices: the chat lets the person type the number to press one.
"""
from __future__ import annotations

from handlers.ask import Answer, document_name, lead_line, referred_labels, referred_lines
from handlers.conversation import Turn, answer_buttons
from handlers.replies import Button
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
        if a.named:   # the asker has no contract here: whose rule this is comes first
            lines.append(f"［文書］{document_name(b)}")
        lines.append(f"「{b.text}」")
        lines.append(f"（{b.citation}）")
        lines += lead_line(b)
        lines += referred_lines(b)
        if a.related:
            lines.append("")
            lines.append("関連する条項:")
            for h in a.related:
                where = (f"［{document_name(h)}］{h.label}" if a.named else h.citation) + referred_labels(h)
                lines.append(f"・{where}: {snippet(h.text)}")
    if a.others:
        lines += ["", f"{a.others_heading}:"]
        # Asked for on purpose: shown whole; beside an answer, a glimpse.
        lines += [f"・{h.citation}: {h.text if a.on_request else snippet(h.text)}" for h in a.others]
    for n in a.notes:
        lines.append(f"※ {n}")
    return "\n".join(lines)


def prior_text(prior: dict) -> str:
    who = prior.get("responder_name") or prior.get("responder_id") or "担当者"
    lines = [f"以前、似たご質問に担当者（{who}さん）が回答しています。"]
    if prior.get("question"):
        lines.append(f"以前のご質問: {prior['question']}")
    lines.append(f"「{prior.get('answer') or ''}」")
    if prior.get("citations"):
        lines.append("根拠: " + "、".join(str(c) for c in prior["citations"]))
    return "\n".join(lines)


def turn_text(turn: Turn) -> tuple[str, list[Button]]:
    """The whole turn as text, and the buttons it offers (in the numbering shown)."""
    parts: list[str] = []
    buttons: list[Button] = []
    if turn.prior:
        parts.append(prior_text(turn.prior))
    if turn.answer is not None:
        parts.append(answer_text(turn.answer))
        if turn.routed_text:
            parts.append(turn.routed_text)
        buttons += answer_buttons(turn.answer, routed=turn.routed)
    for r in turn.replies:
        parts.append(r.text)
        buttons += r.buttons
    return "\n\n".join(p for p in parts if p), buttons


def choices_text(buttons: list[Button], numbers: list[int] | None = None) -> str:
    """Buttons as numbered choices; `numbers` keeps each button's number from an earlier turn."""
    numbers = numbers or list(range(1, len(buttons) + 1))
    return "  ".join(f"[{n}] {b.label}" for n, b in zip(numbers, buttons))


def home_text(home: dict) -> str:
    lines = [f"■ {home.get('title', '')}", home.get("intro") or home.get("text") or ""]
    for s in home.get("sections", []):
        lines += ["", f"◆ {s.get('title', '')}", s.get("text", "")]
    return "\n".join(line for line in lines if line is not None)
