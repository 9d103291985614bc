"""Replies as Slack Block Kit: answers, handler replies and the App Home view.

Block Kit refuses what exceeds its limits, so everything here is split to fit them and
nothing is cut: a long text becomes several sections, many sections become several
messages. Each message is a dict ready for chat.postMessage: {"text": fallback, "blocks": [...]}.
"""
from __future__ import annotations

from typing import Any, Iterable

from handlers.ask import Answer, document_name, lead_line, referred_labels, referred_lines
from handlers.conversation import (  # noqa: F401  (re-exported: the Slack app listens for these ids)
    ASK_CONTRACT, ASK_OTHERS, ASK_ROUTE, FEEDBACK_DOWN, FEEDBACK_UP, QUESTION_IN_VALUE, answer_buttons, feedback_value, parse_value)
from handlers.replies import Button, Reply
from knowledge import verdict as verdicts

MAX_BLOCKS = 50            # per message
MAX_VIEW_BLOCKS = 100      # per modal or Home tab
MAX_SECTION_TEXT = 3000    # section text
MAX_CONTEXT_TEXT = 3000    # one context element
MAX_HEADER_TEXT = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25           # elements per actions block
MAX_OPTION_TEXT = 75
MAX_FALLBACK_TEXT = 3000   # what we put in a message's `text` (notification / screen reader)


Message = dict[str, Any]

def escape(text: str) -> str:
    """Escape &, <, > for mrkdwn, everywhere: replies carry people's own words (a question, a
    reason, an incident answer), and Slack would read <!channel>, <@U…> or <https://x|label> in them
    as a broadcast, a mention or a disguised link sent from the bot's trusted identity. mamoru's own
    texts use no such tokens, so nothing is kept."""
    return _esc(text)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int) -> list[str]:
    """Split into pieces of at most `limit` characters, at line breaks, then after 。, then anywhere.

    Joining the pieces gives back the text (apart from the line breaks chosen as split points).
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        skip = 1
        if cut < limit // 3:
            cut = max(window.rfind("。"), window.rfind("、"), window.rfind(" "))
            skip = 0
            cut = cut + 1 if cut >= limit // 3 else -1
        if cut <= 0:
            cut, skip = limit, 0
        pieces.append(rest[:cut])
        rest = rest[cut + skip:]
    if rest:
        pieces.append(rest)
    return pieces


def _escaped_pieces(text: str, limit: int, raw_limit: int | None = None) -> list[str]:
    """Split raw text so that each piece still fits `limit` once escaped (escaping lengthens &, <, >)."""
    raw_limit = raw_limit or limit
    out = []
    for piece in split_text(text, raw_limit):
        esc = escape(piece)
        if len(esc) <= limit:
            out.append(esc)
        else:  # many & < > in this piece: split it finer (an escaped character is at most 5 long)
            out.extend(_escaped_pieces(piece, limit, max(limit // 5, len(piece) * limit // len(esc) - 1)))
    return out


def sections(text: str, *, escaped: bool = False, quote: bool = False) -> list[dict]:
    """One or more mrkdwn section blocks holding all of `text`."""
    if not text.strip():
        return []
    prefix = "&gt; " if quote else ""
    limit = MAX_SECTION_TEXT - (len(prefix) * (text.count("\n") + 1) if quote else 0)
    limit = max(limit, MAX_SECTION_TEXT // 2)
    pieces = split_text(text, limit) if escaped else _escaped_pieces(text, limit)
    blocks = []
    for p in pieces:
        if quote:
            p = "\n".join(prefix + line for line in p.split("\n"))
            if len(p) > MAX_SECTION_TEXT:  # very many short lines: fall back to one quote mark per piece
                p = prefix + p.replace("\n" + prefix, "\n")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": p}})
    return blocks


def context(text: str) -> list[dict]:
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": p}]}
            for p in _escaped_pieces(text, MAX_CONTEXT_TEXT) if p.strip()]


def header(text: str) -> list[dict]:
    if len(text) <= MAX_HEADER_TEXT:
        return [{"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}]
    return sections(f"*{text}*")


def button_element(b: Button) -> dict:
    if len(b.value) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value over {MAX_BUTTON_VALUE} characters (action {b.action})")
    label = b.label if len(b.label) <= MAX_BUTTON_LABEL else b.label[: MAX_BUTTON_LABEL - 1] + "…"
    el: dict = {"type": "button", "action_id": b.action, "text": {"type": "plain_text", "text": label, "emoji": True}}
    if b.value:
        el["value"] = b.value
    if b.style in ("primary", "danger"):
        el["style"] = b.style
    return el


def button_blocks(buttons: Iterable[Button], block_id_prefix: str = "") -> list[dict]:
    """Actions blocks for the buttons; a label too long for a button is shown whole beside it."""
    blocks: list[dict] = []
    row: list[dict] = []
    seen_ids: dict[str, int] = {}

    def flush():
        if row:
            blocks.append({"type": "actions", "elements": list(row)})
            row.clear()

    for b in buttons:
        el = button_element(b)
        # action_id must be unique within a message: suffix repeats (listeners match by prefix).
        n = seen_ids.get(b.action, 0)
        seen_ids[b.action] = n + 1
        if n:
            el["action_id"] = f"{b.action}#{n}"
        if len(b.label) > MAX_BUTTON_LABEL:
            flush()
            secs = sections(b.label)
            secs[-1]["accessory"] = el
            blocks.extend(secs)
            continue
        row.append(el)
        if len(row) == MAX_ACTIONS:
            flush()
    flush()
    return blocks


def fallback(text: str) -> str:
    """The message's plain `text` (notifications; escaped like the blocks); the blocks carry the whole content."""
    t = text.strip()
    t = t if len(t) <= MAX_FALLBACK_TEXT else t[: MAX_FALLBACK_TEXT - 1] + "…"
    return escape(t)


def paginate(blocks: list[dict], text: str, max_blocks: int = MAX_BLOCKS) -> list[Message]:
    """Messages of at most `max_blocks` blocks each; the trailing actions stay with the last part."""
    if not blocks:
        return [{"text": fallback(text) or " ", "blocks": []}]
    pages = [blocks[i:i + max_blocks] for i in range(0, len(blocks), max_blocks)]
    msgs = []
    for n, page in enumerate(pages, 1):
        t = fallback(text) if n == 1 else f"（続き {n}/{len(pages)}）"
        msgs.append({"text": t, "blocks": page})
    return msgs


def prior_blocks(prior: dict) -> list[dict]:
    """A lead's stored answer to a similar earlier question, offered before the rules."""
    who = prior.get("responder_name") or prior.get("responder_id") or "担当者"
    when = ""
    if prior.get("answered_at"):
        try:
            from handlers.workdays import format_jst

            when = "、" + format_jst(prior["answered_at"])
        except (ImportError, ValueError):
            when = ""
    blocks = sections(f"以前、似たご質問に担当者が回答しています（{who}さん{when}）。")
    blocks[0]["text"]["text"] = f"*{blocks[0]['text']['text']}*"
    if prior.get("question"):
        blocks += context(f"以前のご質問: {prior['question']}")
    blocks += sections(str(prior.get("answer") or prior.get("answer_text") or ""), quote=True)
    cites = prior.get("citations") or []
    if cites:
        blocks += context("根拠: " + "、".join(str(c) for c in cites))
    blocks.append({"type": "divider"})
    return blocks


def answer_messages(a: Answer, *, prior: dict | None = None, routed_text: str = "",
                    routed: bool = False) -> list[Message]:
    """An answer as messages: (a lead's earlier answer,) the verdict, the clause quoted with its
    citation, related clauses, notes, then the buttons."""
    blocks: list[dict] = []
    if prior:
        blocks += prior_blocks(prior)
    if not a.found:
        blocks += sections(a.message)
        text = a.message
    else:
        b = a.best
        label = verdicts.LABELS.get(a.verdict, "規定")
        blocks += sections(f"*【{label}】{escape(a.verdict_line)}*", escaped=True)
        if a.named:   # the asker has no contract here: whose rule this is comes first
            blocks += context(f"文書: {document_name(b)}")
        blocks += sections(b.text or "（見出しのみの規定です）", quote=True)
        blocks += context(f"出典: {b.citation}")
        if b.lead or b.refers:
            blocks += context("\n".join(lead_line(b) + referred_lines(b)))
        if a.related:
            blocks.append({"type": "divider"})
            blocks += sections("*関連する条項*", escaped=True)
            for h in a.related:
                cite = (f"［{document_name(h)}］{h.label}" if a.named else h.citation) + referred_labels(h)
                blocks += sections(f"*{escape(cite)}*\n{escape(h.text)}", escaped=True) \
                    if len(cite) + len(h.text) + 3 <= MAX_SECTION_TEXT // 2 else \
                    sections(f"*{escape(cite)}*", escaped=True) + sections(h.text)
        text = f"【{label}】{a.verdict_line}（{b.citation}）"
    if a.others:
        blocks.append({"type": "divider"})
        blocks += sections(f"*{escape(a.others_heading)}*", escaped=True)
        for h in a.others:
            blocks += sections(f"*{escape(h.citation)}*", escaped=True) + sections(h.text)
    if a.notes:
        blocks += context("\n".join(f"※ {n}" for n in a.notes))
    if routed_text:
        blocks += sections(routed_text)
    blocks += button_blocks(answer_buttons(a, routed=routed))
    return paginate(blocks, text)


def turn_messages(turn) -> list[Message]:
    """A handlers.conversation.Turn: the answer (if any), then each reply."""
    msgs: list[Message] = []
    if turn.answer is not None:
        msgs += answer_messages(turn.answer, prior=turn.prior, routed_text=turn.routed_text, routed=turn.routed)
    for r in turn.replies:
        msgs += reply_messages(r)
    return msgs


def reply_messages(reply: Reply) -> list[Message]:
    """A handler's Reply: its text (split as needed) and its buttons."""
    blocks = sections(reply.text) + button_blocks(reply.buttons)
    msgs = paginate(blocks, reply.text)
    if reply.ephemeral:   # for the sender: private even where ordinary replies are posted for good
        for m in msgs:
            m["ephemeral"] = True
    return msgs


def text_messages(text: str) -> list[Message]:
    return paginate(sections(text), text)


# ---------------------------------------------------------------- App Home

def _as_button(b: Any) -> Button | None:
    if isinstance(b, Button):
        return b
    if isinstance(b, dict) and b.get("label") and b.get("action"):
        return Button(str(b["label"]), str(b["action"]), str(b.get("value") or ""), b.get("style"))
    return None


def home_blocks(home: dict) -> list[dict]:
    """Blocks for the Home tab from handlers.home.home()'s dict (see that docstring).

    Accepts {"title", "intro"?, "sections": [{"title", "text"? | "lines"?, "buttons"?}], "buttons"?}.
    """
    blocks: list[dict] = []
    if home.get("title"):
        blocks += header(str(home["title"]))
    for key in ("intro", "text"):
        if home.get(key):
            blocks += sections(str(home[key]))
    top = [x for x in (_as_button(b) for b in home.get("buttons") or []) if x]
    if top:
        blocks += button_blocks(top)
    for sec in home.get("sections") or []:
        if not isinstance(sec, dict):
            continue
        blocks.append({"type": "divider"})
        if sec.get("title"):
            blocks += sections(f"*{escape(str(sec['title']))}*", escaped=True)
        body = sec.get("text")
        if body is None and sec.get("lines") is not None:
            body = "\n".join(f"・{line}" for line in sec["lines"]) if sec["lines"] else sec.get("empty", "")
        if body:
            blocks += sections(str(body))
        btns = [x for x in (_as_button(b) for b in sec.get("buttons") or []) if x]
        if btns:
            blocks += button_blocks(btns)
    return blocks


def home_view(home: dict) -> dict:
    """A Home tab view; beyond 100 blocks the rest is said to be elsewhere, never silently dropped."""
    blocks = home_blocks(home)
    if len(blocks) > MAX_VIEW_BLOCKS:
        hidden = len(blocks) - (MAX_VIEW_BLOCKS - 1)
        blocks = blocks[: MAX_VIEW_BLOCKS - 1] + context(
            f"表示しきれない項目が {hidden} 件あります。`/mamoru help` の各コマンドで全件をご確認ください。")
    return {"type": "home", "blocks": blocks}


# ---------------------------------------------------------------- modals

def option(text: str, value: str) -> dict:
    t = text if len(text) <= MAX_OPTION_TEXT else text[: MAX_OPTION_TEXT - 1] + "…"
    return {"text": {"type": "plain_text", "text": t, "emoji": True}, "value": value[:150]}


def routed_answer_modal(routed_id: str, question: str, asker: str, clause_options: list[tuple[str, str]]) -> dict:
    """The modal a lead types an answer into (callback routing_answer_modal)."""
    blocks: list[dict] = []
    blocks += sections(f"*{escape(asker)}さんからのご質問*", escaped=True)
    blocks += sections(question, quote=True)
    blocks.append({"type": "input", "block_id": "answer", "label": {"type": "plain_text", "text": "回答"},
                   "element": {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 3000}})
    if clause_options:
        blocks.append({"type": "input", "block_id": "clauses", "optional": True,
                       "label": {"type": "plain_text", "text": "根拠の条項（任意、複数選択可）"},
                       "element": {"type": "multi_static_select", "action_id": "ids",
                                   "placeholder": {"type": "plain_text", "text": "条項を選ぶ"},
                                   "options": [option(t, v) for t, v in clause_options[:100]]}})
    blocks.append({"type": "input", "block_id": "clause_ids", "optional": True,
                   "label": {"type": "plain_text", "text": "その他の条項 ID（任意、空白区切り）"},
                   "element": {"type": "plain_text_input", "action_id": "text",
                               "placeholder": {"type": "plain_text", "text": "例: yoshikawa:a11.p1.i6"}}})
    return {"type": "modal", "callback_id": "routing_answer_modal", "private_metadata": str(routed_id)[:3000],
            "title": {"type": "plain_text", "text": "質問に回答する"},
            "submit": {"type": "plain_text", "text": "回答を送る"},
            "close": {"type": "plain_text", "text": "キャンセル"},
            "blocks": blocks[:MAX_VIEW_BLOCKS]}
