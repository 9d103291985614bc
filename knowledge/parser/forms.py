"""Blank forms (様式, 申出書, 報告書, 誓約書 …): ``_split_forms`` cuts them out of the token list, so that their
"令和 年 月 日" or "【変更なし/変更あり】" never read as rules."""
from __future__ import annotations

import re

from knowledge.parser.classify import _classify
from knowledge.parser.model import ParsedForm
from knowledge.parser.patterns import _NUM, _PAREN_NOTE, _RE_ARTICLE, _SP, _Tok, _paren_caption, _title_like, _unspaced


_RE_FORM_TITLE = re.compile(r"(?:申出書|申請書|報告書|届出書|届|誓約書|承諾書|同意書|確認書|申告書|通知書|依頼書"
                            r"|計画書|チェックシート|チェックリスト|記録簿|管理簿|台帳)$")
_RE_FORM_MARK = re.compile(rf"^[（(【]?(?:(?:別記|別紙)?様式{_SP}*(?:第?{_SP}*{_NUM}{_SP}*号?)?|第{_SP}*{_NUM}{_SP}*号{_SP}*様式)"
                           rf"[)）】]?(?:{_SP}*{_PAREN_NOTE})?$")
# 「　　年　　月　　日」; a PDF may lose the spaces PDFium generated between 年 and 月 (「年月　　日」)
# (or all of them: 「令和年月日」 alone on its line, no number in it)
_RE_BLANK_DATE = re.compile(r"年[ \u3000]*月[ \u3000]+日|年[ \u3000]+月[ \u3000]*日|^(?:令和|平成)?年月日$|年[ \u3000]{2,}月分")
# 「鶴見沢市長　様」; 「架空市長様」 when a PDF lost the space
_RE_ADDRESSEE = re.compile(r"^(?:様|殿|御中)$|[ \u3000](?:様|殿|御中)$|^[^。、\s]{1,24}(?:長|委員会)(?:様|殿)$")
_RE_FIELD = re.compile(r"^(?:氏[ \u3000]*名|住[ \u3000]*所|所在地|会社|所属|代表者|商号|名称|電話|署名|職名|役職"
                       r"|部署|担当者|届出者|申出者|報告者|事業者名)")
_RE_BLANK_MARK = re.compile(r"【[^】]*[/／][^】]*】|[_＿]{3,}|[□☐]|[（(][ \u3000]{2,}[)）]|印$|㊞|^・$")


def _tok_text(tok: _Tok) -> str:
    if tok.kind == "row":
        return " ".join([tok.label] + [t.text for t in tok.cells if t.kind == "line"]).strip()
    return tok.text


def _is_blank_field(tok: _Tok) -> bool:
    """A sign of a form to fill in: blank date, addressee line, empty field, choice box."""
    if tok.empty_cell or (tok.kind == "row" and not any(t.kind == "line" for t in tok.cells)):
        return True
    s = _tok_text(tok)
    return bool(_RE_BLANK_DATE.search(s) or _RE_ADDRESSEE.search(s) or _RE_BLANK_MARK.search(s)
                or (_RE_FIELD.match(s) and len(s) <= 12))


def _is_form_header(tok: _Tok) -> bool:
    """Lines that sit above a form's title: date, addressee, sender block, 様式第N号."""
    if tok.kind == "blank":
        return True
    s = _tok_text(tok)
    if _RE_FORM_MARK.match(s) or _RE_BLANK_DATE.search(s) or _RE_ADDRESSEE.search(s):
        return True
    return len(s) <= 20 and "。" not in s and bool(_RE_FIELD.match(s) or _paren_caption(s)
                                                  or ("・" in s and len(s) <= 8))


def _form_title_at(tok: _Tok) -> str | None:
    if tok.kind != "line" or tok.part:
        return None
    s = tok.text
    if _RE_FORM_MARK.match(s):
        return s
    if not _title_like(s, 40) or s.startswith(("(", "（")):
        return None
    if _classify(s).kind != "text":
        return None
    bare = re.sub(rf"{_SP}+", "", s)          # "誓　約　書" is spaced out for looks
    return _unspaced(s) if _RE_FORM_TITLE.search(re.sub(r"[（(]案[)）]$", "", bare)) else None


def _split_forms(tokens: list[_Tok]) -> tuple[list[_Tok], list[ParsedForm]]:
    """Cut blank forms out of the token list; each runs to the next form or article."""
    starts: list[tuple[int, str]] = []          # (first token of the form, title)
    last_title = -1
    for i, tok in enumerate(tokens):
        title = _form_title_at(tok)
        if title is None or not _form_evidence(tokens, i):
            continue
        if starts and all(_is_form_header(t) for t in tokens[last_title + 1:i]):
            # "様式第1号" then "誓約書": one form; the real title wins over the 様式 number.
            if _RE_FORM_MARK.match(starts[-1][1]):
                starts[-1] = (starts[-1][0], title)
            last_title = i
            continue
        first = i
        while first > 0 and first - 1 > last_title and _is_form_header(tokens[first - 1]):
            first -= 1
        while first < i and tokens[first].kind == "blank":
            first += 1
        starts.append((first, title))
        last_title = i
    if not starts:
        return tokens, []
    rules = list(tokens[:starts[0][0]])
    forms = []
    for k, (first, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(tokens)
        if k == 0 and _signed_rules(tokens, first, end, rules):
            # the document is the pledge itself (a 誓約書 the worker signs, loaded on its own): its numbered
            # items are the rules, read as such; the form to fill in is stored as well
            lines = [_tok_text(t) for t in tokens[first:end] if t.kind != "blank"]
            forms.append(ParsedForm(title, "\n".join(s for s in lines if s)))
            rules.extend(_pledge_body(tokens[first:end]))
            continue
        for j in range(first + 1, end):         # rules resume at the next article
            m = _RE_ARTICLE.match(tokens[j].text) if tokens[j].kind == "line" else None
            if m and m.group(2):
                rules.extend(tokens[j:end])
                end = j
                break
        lines = [_tok_text(t) for t in tokens[first:end] if t.kind != "blank"]
        if re.search(r"チェック(?:リスト|シート)$", title) and sum(1 for s in lines if _RE_CHECK_RULE.search(s)) >= 3:
            # a checklist to tick (「…チェックリスト」, 受託者名 and □ to fill in) whose rows are rules to keep
            # (「…を持ち込んでいないこと。　□」): the rows are the attachment's rules, not a blank form (a 誓約書's
            # 「…漏らさないこと。」 are what the signer promises, and stay with the form)
            # (its fields to fill in above the rows, 「点検日　令和　年　月　日」「事業者名」「氏名　　印」, are no rules)
            rules.extend(t for t in tokens[first:end] if t.kind == "blank" or "。" in _tok_text(t) or not _is_blank_field(t))
            continue
        forms.append(ParsedForm(title, "\n".join(s for s in lines if s)))
    return rules, forms


# a checklist's row: a rule (「…持ち込んでいないこと。」) or the question asked of it (「…保管しているか。」「…研修を行ったか。」)
_RE_CHECK_RULE = re.compile(r"(?:こと|ない|います|ません|[いたる]か)(?:[（(][^）)]{1,30}[)）])?。")
# A numbered item that is a rule sentence: 「(1)　…他人に漏らしません。」「１　…持ち出さないこと。」「ア　…記入します。」
# (not a form's field 「１　発生日時」, nor 「２　消去の日時　　年　　月　　日」)
_RE_RULE_SENTENCE = re.compile(r"(?:こと|ない|ならない|ます|ません|する|もの(?:とする|とします))。$")


def _signed_rules(tokens: list[_Tok], first: int, end: int, before: list[_Tok]) -> bool:
    """A form that is the whole document and whose numbered items are rules: a 誓約書 the worker signs,
    loaded on its own (「私は、…次の事項を遵守することを誓約します。」 over 「(1)　…漏らしません。」 …). Nothing
    that reads as a rule comes before it (a 様式 after the rules stays a form: its pledges repeat them), and
    at least three numbered items are sentences (a blank form's items are fields: 「１　発生日時」)."""
    if any(t.kind != "blank" and "。" in _tok_text(t) for t in before):
        return False
    items = 0
    for t in tokens[first:end]:
        if t.kind != "line" or not t.text.endswith("。"):
            continue
        c = _classify(t.text)
        if c.kind not in ("text", "skip") and _RE_RULE_SENTENCE.search(t.text) and not _is_blank_field(t):
            items += 1
    return items >= 3


def _pledge_body(tokens: list[_Tok]) -> list[_Tok]:
    """A signed pledge read as rules: the lines that sit above its title (様式第N号) and between the title and
    the pledge (a sub-title in brackets, the blank date, the addressee) go, the title stays (the document's
    title); after 「以上」, the signature block's fields (受託者名 / 住所 / 氏名（自署） / 代表者　印) go, while a
    caption (【受託者確認欄】), a sentence and a ※ note stay."""
    at = next((i for i, t in enumerate(tokens) if _form_title_at(t) and not _RE_FORM_MARK.match(t.text)), None)
    if at is None:
        at = next((i for i, t in enumerate(tokens) if _form_title_at(t)), 0)
    out = [tokens[at]]
    i = at + 1
    while i < len(tokens) and _is_form_header(tokens[i]):
        i += 1
    closed = False
    for t in tokens[i:]:
        s = _tok_text(t)
        if t.kind == "line" and re.fullmatch(rf"以{_SP}*上", s):
            closed = True
            out.append(t)
            continue
        if closed and t.kind != "blank" and "。" not in s and not _paren_caption(s) and not s.startswith(("※", "注")):
            continue
        if t.kind != "blank" and _is_blank_field(t) and "。" not in s:
            continue
        out.append(t)
    return out


def _form_evidence(tokens: list[_Tok], i: int) -> bool:
    """A form title counts only with blanks to fill near it (above or just below)."""
    j, seen = i - 1, 0
    while j >= 0 and _is_form_header(tokens[j]) and seen < 12:
        if tokens[j].kind != "blank" and _is_blank_field(tokens[j]):
            return True
        j, seen = j - 1, seen + 1
    seen = 0
    for tok in tokens[i + 1:]:
        if tok.kind == "blank":
            continue
        if _is_blank_field(tok):
            return True
        seen += 1
        if seen >= 30:
            break
    return False
