"""Rule questions: a question in, an answer (verdict, cited clause, related clauses) out.

Knows nothing of Slack or terminals; bot/ renders the Answer for each.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field, replace

import sqlite_utils

from handlers import smalltalk
from knowledge import concept_map, library, romaji, verdict as verdicts
from knowledge.asking import asking_part, asks_permission
from knowledge.search import Hit, searcher_for

NOT_FOUND = ("ご質問に該当する規定は、登録されている文書の中に見つかりませんでした。"
             "作業責任者（または情報セキュリティ対策責任者）にご確認ください。")
# Something already happened (「USBメモリなくした」「誤送信しちゃった」「感染したっぽい」), not a
# hypothetical (「盗まれたら」「なくさないために」): the first rule to show is the one that says
# to report it at once, if the search found one among the first few.
# Verbs of a mishap: 「…した」 is one that happened, 「…したら」 one that may.
_MISHAP = r"なくし|無くし|失くし|紛失し|落とし|置き忘れ|置いてき|盗まれ|盗られ|誤送信し|感染し|漏れ|漏えいし|漏洩し|流出し"
# 「置き忘れたりしない限り」: 〜たり lists what might be done; it says nothing happened.
_HAPPENED = r"(た|ちゃった|ちゃいました|てしまった|てしまいました|ました)(?!ら|り|とき|時|場合|際)"
_WRONG = r"(間違えて|間違って|誤って|うっかり|違う|別の|他の|ほかの|隣の|となりの|一軒隣|1軒隣|一軒となり|1軒となり)"
# Something put in the wrong hands: always a leak of what it held, whatever it was.
_WRONG_HANDS = (
    # 「間違えて別の人にメールしちゃった」「隣のお宅に配っちゃった」: a mistaken sending or delivery, whatever the channel.
    _WRONG + r".{0,30}(送|メール|ファックス|fax|FAX|転送|投稿|アップ|答え|回答|案内|同封|封入|渡|手渡|交付|投函し|配っ|届け)"
    r"(し|っ)?" + _HAPPENED +
    # 「となりのポストに入れちゃった」: put in the wrong letterbox.
    r"|" + _WRONG + r".{0,20}(ポスト|郵便受け|郵便箱|新聞受け).{0,20}入れ" + _HAPPENED +
    # 「さっき送ったメール、宛先が違う人やったかも」: a mis-sent message found afterwards.
    r"|(送った|送信した|出した).{0,20}(宛先|送り先|送信先)が?.{0,10}(違う|違っ|間違っ)"
    # 「封入ミスで別の人の分が混ざって届いちゃった」: a mis-delivery already made.
    r"|(誤配|誤封入|封入ミス|取り違え|入れ違え|混ざ|混入).{0,30}(届い|届き|渡っ|渡し|送っ|出し|発送し)" + _HAPPENED)
WRONG_HANDS = re.compile(_WRONG_HANDS)
EVENT = re.compile(r"(" + _MISHAP + r"|忘れてき|誤って送っ|間違えて送っ|間違って送っ|送っちゃっ|送ってしまっ|乗っ取られ|"
                   # 「やらかしたかも」「ミスっちゃった」: a mistake already made, whatever it was; a misprint
                   # (「印刷ミスった紙」) is spoiled paper to dispose of, not an incident.
                   r"やらかし|(?<!印刷)ミスっ|(?<!印刷)ミスし|しくじっ|やっちゃっ|やってしまっ)" + _HAPPENED +
                   r"|" + _WRONG_HANDS +
                   # 「網棚にカバン置いたまま降りてしまって」「まだ見つかってない」: left behind, not found since.
                   r"|(置いた|置きっぱなし|置きっぱ|忘れた)まま(降り|帰っ|出|離れ)(ちゃった|ちゃって|ちゃいました|てしまった|てしまって|ました|た)(?!ら|とき|時|場合|際)"
                   # In English: 「I lost…」「I left my bag on the rack」「sent it to the wrong person」「got one digit wrong」
                   # (not after 「if」「in case」「when」 in the same sentence: 「What if I lost my badge?」 is hypothetical)
                   r"|(?i:(?:^|(?<=[.!?])\s*)(?:(?!\b(?:if|in case|when|whenever)\b)[^.!?])*?"
                   r"(?:\b(?:i|we|someone|he|she|they)\s+(?:just\s+|accidentally\s+|probably\s+)?(?:lost|misplaced|dropped)\b"
                   r"|\bleft (?:my|our|the|a) (?:bag|laptop|pc|phone|folder|documents|files|usb|stick|card|binder|papers|tablet)\b"
                   r"|\b(?:sent|emailed|e-mailed|faxed|mailed|posted)\b[^.?!]{0,40}\b(?:wrong|someone else|another (?:person|company|resident)|a different)\b"
                   r"|\bgot (?:one|a) (?:digit|number|letter)\b|\b(?:was|got|been) (?:stolen|hacked|infected)\b|\bcan'?t find (?:my|our|the)\b|\bwent missing\b))"
                   r"|(まだ|どこにも|どこ探しても|探したけど|探しても)[^。？?！!]{0,10}"
                   r"(見つからない|見つからなかった|見つかって(い)?ない|見当たらない|出てこない|出てこん|出てこなかった)"
                   r"(です|みたい|らしい|んです|んだ|って|けど|し|の)?([。、,.!！？?\s…😱]|$)"
                   # 「数えたら一枚足りない！」: something entrusted found missing on a count
                   r"|(一枚|1枚|一件|1件|一通|1通|枚数|件数|通数|書類|申請書|申込書|帳票|通知書?|資料|原本|用紙|封筒|媒体|カード)[^。？?、]{0,12}?"
                   r"(足りない|足りなかった|足りへん|足らん|足りん|合わない|合わなかった|がない|が無い|ない!|ない！)(?!か|よう|こと|場合|とき|時|ように|と|なら|ら)"
                   # 「書類一枚どっかいったっぽい」: gone missing
                   r"|(どっか|どこか)(に)?(いっ|行っ)(た|ちゃった|てしまった)|行方不明に|見当たらなくな|(?:(?<=[がもはの])|(?<![\u3041-\u3096ー]))(?<!必要)(?<!少)なくなって(る|た|しまった|ました)"
                   # 「ケースが見当たらないのに今気づいた」: found missing just now
                   r"|(見当たらない|見つからない|無い|ない)(の|こと)に(今|いま|さっき|たった今)?気(づ|付)い(た|ちゃった|てしまった)"
                   # 「改ざんっぽいの見つけた」「不審なアクセスに気づいた」: an attack found, not yet sure
                   r"|(改ざん|改竄|不正アクセス|不審な|怪しい|あやしい|乗っ取り|なりすまし|成りすまし)[^。？?]{0,12}"
                   r"(見つけ|見つかっ|気づい|気付い|発見し)(た|ちゃった|ちゃいました|てしまった|ました)(?!ら|とき|時|場合|際)"
                   # 「外に漏れてるっぽいログ見つけた」: a leak found, not yet sure
                   r"|(漏れてる|漏れている|漏れとる|漏えいしてる|漏洩してる|流出してる|流出している|感染してる|感染している)(っぽい|みたい|かも|らしい|ようです|ような)"
                   # typed in kana: 「あてさきまちがえて…おくっちゃった」「なくしちゃった」
                   r"|(まちがえて|まちがって|あやまって|うっかり|間違えて|間違って|誤って).{0,40}(おくっ|おくり|そうしん|めーる|ふぁっくす|送っ|送り|送信し)(た|ちゃった|ちゃっ|ちゃいました|てしまっ|ました)"
                   # 「ウイルス見つかったって警告が出た」: the antivirus found something.
                   r"|(ウイルス|ウィルス|マルウェア|ランサム|不正プログラム).{0,12}(見つかっ|検知され|検知し|検出され|検出し|引っかかっ|ひっかかっ)(た|ちゃった|ちゃいました|てしまった|ました)(?!ら|とき|時|場合|際)"
                   # In English: 「I think I left the maps on the train」「we sent it to the wrong address」.
                   r"|(?i:(?<!if )(?<!when )\b(i|we|i've|we've)( think i| think we| just| may have| might have)? (lost|dropped|misplaced|leaked)\b"
                   r"|\b(i|we)( think i| think we| just| may have| might have)? left\b.{0,60}\b(behind|on the (train|bus|subway)|in (the|a) (taxi|cab|car|train|bus))"
                   r"|\b(accidentally|mistakenly) (sent|emailed|faxed|clicked|opened|deleted|posted|uploaded)\b"
                   r"|\b(sent|emailed|faxed|mailed)\b.{0,60}\b(wrong|by mistake)\b"
                   # 「the list went to a random place」「my colleague left the bag on the luggage rack」
                   r"|\b(went|got sent|was sent|ended up)( out)? to (the wrong|a wrong|a random|some random|someone else|another)\b"
                   r"|\b(typed|dialed|dialled|entered|put in)\b.{0,30}\bwrong\b.{0,60}\b(went|sent|faxed|emailed|got)\b"
                   r"|\bleft\b.{0,60}\bon the (luggage rack|rack|seat|platform|bench)\b)"
                   r"|(?i:\b(got|was|were|been) (stolen|lost|hacked|infected|leaked)\b)"
                   r"|(なくし|おとし|ぬすまれ|わすれてき|おいてき)(た|ちゃった|ちゃいました|てしまった|てしまいました|ました)(?!ら|とき|時|場合|際)")
# What a mishap's verb also says when it is not one of ours: data 「PCに落とした」 is downloaded; a badge
# 「家に置いてきた」「忘れてきた」 is safe at home; 「盗まれた人が来た」「番号札なくしちゃったって人」 is someone else's loss.
_DOWNLOADED = re.compile(r"(pc|パソコン|ノーパソ|端末|ローカル|手元|デスクトップ|サーバー?|自分の|マシン)に(一旦|いったん|全部)?$", re.I)
_LEFT_AT_HOME = re.compile(r"(家|自宅|おうち|お家|うち|実家|会社|事務所|机|ロッカー)に$")
# A bare 人 may be a colleague (「書類なくした人がいる」 is ours to report): only hearsay about people (「…って人が多い」)
# or a member of the public counts as someone else.
_SOMEONE_ELSES = re.compile(r"^[〜~ー]*((って|という|っていう)(人|方)|(って|という|っていう)?(お客|客|利用者|住民|市民|来館者|来庁者|患者|保護者|申請者))")


# 「盗られたこともない」「なくしたことある人いる？」: whether it ever happened, not a mishap now.
_EXPERIENCE = re.compile(r"^(こと|事)(も|は|が)?(一度も|いっぺんも)?(ない|無い|なく|なかった|ありません|ある|あっ|あり)")


def mishap_of_ours(text: str) -> bool:
    """Whether the (NFKC-normalised) text says a mishap already happened to us (EVENT), not a download, a thing left
    safe at home, or someone else's loss."""
    for m in EVENT.finditer(text):
        said = m.group(0)
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():]
        if said.startswith(("落とし", "おとし")) and _DOWNLOADED.search(before):
            continue
        if said.startswith(("置いてき", "忘れてき", "おいてき", "わすれてき")) and _LEFT_AT_HOME.search(before):
            continue
        # 「ICカード忘れてきた」 with no place it was left at: forgotten at home, not lost (「電車に忘れてきた」 is).
        if said.startswith(("忘れてき", "わすれてき")) and "に" not in before:
            continue
        if said.endswith(("た", "だ")) and _SOMEONE_ELSES.match(after):   # a past verb modifying a person
            continue
        if said.endswith(("た", "だ")) and _EXPERIENCE.match(after):      # 「盗られたこともないし」: ever, not now
            continue
        return True
    return False


# 「インシデントが起きたらどうすれば？」「PCなくしたら誰に連絡？」: what to do when it happens is, first,
# to report it. A hypothetical alone (「なくしたら困るので…」) asks about prevention, so the question
# must also ask what to do or whom to tell.
IF_IT_HAPPENS = re.compile(r"(インシデント|事故|漏えい|漏洩|情報漏れ|紛失|盗難|ウイルス感染|誤送信|誤配)(が|を|とか|など)?"
                           r"(起き|起こっ|発生し|あっ)(たら|た場合|たとき|た時)"
                           r"|(" + _MISHAP + r")(たら|た場合|たとき|た時)"
                           r"|(ウイルス|ウィルス|マルウェア|ランサム)(が|に)?.{0,6}(見つかっ|検知され|検出され|感染し)(たら|た場合|たとき|た時)"
                           r"|(?i:\bwhat (if|should i do if|do i do if) (i|we|someone)\b)")
WHAT_TO_DO = re.compile(r"どうすれば|どうしたら|どうする|どうします|何をすれば|なにをすれば|何すれば|誰に|だれに|どこに|"
                        r"連絡|報告|知らせ|対応|対処|what should|who do i|what do i")
EVENT_WINDOW = 5
# 「…しておかないと」「決めとかなきゃ」「計画」: what to have ready before it happens.
PREPARE = re.compile(r"ておか|ておき|ておく|でおか|でおく|とかな|とかん|とく必要|ときた|備え|準備|用意|計画|マニュアル|手順書")
ALREADY_NOTE = "起きてしまったことについてのご質問と受け取り、事故の報告の決まりを先に表示しています。"
IF_IT_HAPPENS_NOTE = "起きたときの対応についてのご質問と受け取り、まず行う事故の報告の決まりを先に表示しています。"
REPORT_SECOND_NOTE = ("起きてしまったことについてのご質問ですので、2番目に事故の報告の決まりを表示しています。"
                      "あわせてご確認ください。")
REPORT_CONCEPT = "incident_report"  # knowledge/concepts/incidents.toml
REPORT_QUERY = "事故やインシデントが発生したときは直ちに報告する"


_REPORTS = re.compile(r"報告|第一報|通報|連絡し|連絡する|連絡を")
_INCIDENT = re.compile(r"事故|インシデント|紛失|盗難|盗まれ|漏えい|漏洩|流出|滅失|誤送|誤配|誤封入")
# The first report (「直ちに」「２時間以内に第一報」) comes before the report of the investigation.
_AT_ONCE = re.compile(r"直ちに|ただちに|速やかに|すみやかに|遅滞なく|すぐに|時間以内|第一報")


def _reports_incident(h: Hit) -> bool:
    t = h.text or ""
    return bool(_REPORTS.search(t) and _INCIDENT.search(t))


# 「電話で一報は入れたんだけど、あとから紙でも出さなきゃダメ？」: the first report is made; the
# written report that follows it (「前項の報告の後、５営業日以内に…文書を提出」) is the answer.
_DONE = r"(た|ました|てある|ておいた|といた|てます|てる|だ)(?!ら|とき|時|場合)"
# 「もう報告した」 is done; 「もう報告しなきゃダメ？」 asks whether to report now.
FIRST_DONE = re.compile(r"(電話|口頭|一報|一方|第一報)(で|は|も|を)?[^。？?]{0,8}?(入れ|いれ|伝え|連絡し|報告し|済ませ)" + _DONE +
                        r"|(連絡|報告)(は|も)(もう)?(入れ|いれ|し|済ませ|済ん)" + _DONE +
                        r"|(もう|既に|すでに)(市に|担当に)?(連絡|報告)(済み|済ん|し" + _DONE + ")")
_WRITTEN = re.compile(r"書面|文書|報告書|様式")
# The question is about the report itself (its contents, its deadline): search has found which one.
_ASKS_REPORT = re.compile(r"報告書|レポート|報告の(内容|中身|締切|期限)|詳しい報告|後の報告|あとの報告|何を書|締切|締め切り|何日以内")


# 「漏れた後の詳しい報告は何日以内？」: asked about the report that follows the first.
FOLLOW_UP = re.compile(r"(後|あと)の(詳しい|詳細な?)?(報告|レポート)|詳しい報告|詳細な?報告|報告書|あとから紙|後から紙|後で紙")


# 「市には報告済みです」「課長にはもう電話しました」「職員さんには口頭で伝えてあります」: the mishap is reported. What is
# asked next (may I talk to the press, shred the returned copy, go and apologise) is answered by the rule on that
# act: the duty to report is done, and its words in the story must not pull the report rule to the top.
REPORTED = re.compile(
    r"(市|課|課長|係|担当|担当者|担当課|担当職員|職員|職員さん|上司|上長|リーダー|責任者|局|委員会|本部|会社|警察|緊急連絡先|館長|所長)?"
    r"(さん|様)?(と|に|へ|には|へは|にも|とも)?(は|も)?(もう|すでに|既に|すぐ|すぐに|ちゃんと)?"
    r"(報告|連絡|電話|一報|通報|口頭で伝え|伝え)(は|も)?(もう|すでに|既に)?"
    r"(済み|済ませ|済ん|し(まし)?た|して(あ|い|ま|お)|して(?=今|いま|現在)|(まし)?た(?!ら)|てあ|ては(あ|い)|入れ(まし)?た|入れて)"
    r"(?!ら|い|く|とき|時|場合|方が|ほうが)"   # not 「報告したら」「連絡したい」「電話した方がいい」
    # 「電話したけど誰も出ない」: tried, not reported.
    r"(?![^。？?！!]{0,12}(出ない|出なかった|出ません|つながらない|繋がらない|つながらなかった|繋がらなかった|不在|留守|話し中))")


def reported_already(question: str) -> re.Match | None:
    """The (NFKC-normalised) question says the mishap was already reported, and asks about something else."""
    m = REPORTED.search(question)
    if m is None or _ASKS_REPORT.search(question) or FOLLOW_UP.search(question):
        return None
    # What follows is asked about the report itself (「書面は？」「誰にも言ってないけど…」): not something else.
    rest = question[m.end():]
    if _WRITTEN.search(rest) or _ABOUT_THE_REPORT.search(rest) or not re.search(r"\w", rest):
        return None
    return m


# The concepts a mishap's own verb names (なくした → loss_theft): they say something happened, not to what.
_MISHAP_CONCEPTS = frozenset({"incident_report", "loss_theft", "leak_missend", "infection_attack", "incident_details",
                              "incident_response"})


def _names_what_rules_protect(question: str) -> bool:
    if concept_map.outside(question):
        return False
    return any(c.id not in _MISHAP_CONCEPTS for c in concept_map.in_question(question))


def _follow_up_first(question: str, hits: list[Hit]) -> list[Hit]:
    """The first report said to be made, or the later one asked about: the written report among the
    first hits leads. question is NFKC-normalised."""
    if not (FIRST_DONE.search(question) or FOLLOW_UP.search(question)):
        return hits
    k = next((i for i, h in enumerate(hits[:EVENT_WINDOW])
              if _WRITTEN.search(h.text or "") and _REPORTS.search(h.text or "")), None)
    return hits if not k else [hits[k]] + hits[:k] + hits[k + 1:]


# 「新聞の人から電話きた。しゃべっていい？」「なくしたお宅に、先に謝りに行っていい？」「返ってきた住民票、シュレッダーしていい？」:
# after a mishap, whether one may do a particular thing is answered by the rule on that thing; the duty to report
# follows it. Asking what to do, whom to tell, or how to report (「メールで報告でいい？」) is about the report.
# The rule on that act must be among the first two the search found: further down, a clause that only shares a
# word with the act (受け取った → the receipt log) would push the report aside.
ACT_WINDOW = 2
_ABOUT_THE_REPORT = re.compile(r"連絡|報告|言う|言え|言っ|伝え|知らせ|相談|(?i:report|tell)")
_HOW_OR_WHO = re.compile(r"(ば|たら)(いい|良い|よい|ええ)|誰|だれ|何|なに|どう|いつ|どこ|(?i:\b(who|what|how|when)\b)")


def _act_asked_leave_for(question: str, hits: list[Hit], searcher) -> Hit | None:
    """The rule on the act the question (NFKC-normalised) asks leave for, among the first hits, when that act is not
    reporting: a hit that carries a concept the asking part names (other than the mishap's own) and is not itself
    a rule to report."""
    if not asks_permission(question) or _ABOUT_THE_REPORT.search(question):
        return None
    part = asking_part(question) or question
    if _HOW_OR_WHO.search(part):
        return None
    asked = {c.id for c in concept_map.in_question(romaji.to_kana(part))} - _MISHAP_CONCEPTS - {"near_miss"}
    for h in hits[:ACT_WINDOW] if asked else ():
        i = searcher.at.get(h.clause_id)
        if i is not None and not _reports_incident(h) and asked & set(searcher.rows[i]["terms"].get("k", ())):
            return h
    return None


def _event_first(question: str, hits: list[Hit], searcher, scope, top: int, already: bool = True) -> list[Hit]:
    """The rule that says to report it leads (_report_first), unless the question asks leave for another act and
    a first hit is the rule on it: then that rule leads and the report duty comes second."""
    ordered = _report_first(question, hits, searcher, scope, top, already)
    act = _act_asked_leave_for(question, hits, searcher) if hits and _reports_incident(ordered[0]) else None
    if act is None:
        return ordered
    return ([act, ordered[0]] + [h for h in ordered[1:] if h.clause_id != act.clause_id])[:len(ordered)]


def _report_first(question: str, hits: list[Hit], searcher, scope, top: int, already: bool = True) -> list[Hit]:
    """Something happened (question NFKC-normalised): the rule that says to report it leads, found among the first hits or,
    failing that, by asking the same documents for it (「誤送信しちゃった」 ranks the e-mail rule first).
    Asked about what to prepare beforehand (「漏れたときの段取り、文書にしておかないとだめ？」), the
    search order stands: the plan to have, not the report, is the answer."""
    if not hits:
        return hits
    window = [i for i, h in enumerate(hits[:EVENT_WINDOW]) if _reports_incident(h)]
    # The first hit reports the incident and is the report asked about (「漏れちゃった人数とかを書いたレポート、
    # 締切はいつ？」), or says to report this very thing (「枚数が合わないときは、事故として扱い、(1)により報告」):
    # it is the more specific rule, and the general one follows it.
    if window and window[0] == 0 and (_ASKS_REPORT.search(question) or not _WRITTEN.search(hits[0].text or "")):
        return hits
    k = next((i for i in window if _AT_ONCE.search(hits[i].text or "")), None)
    if not already and PREPARE.search(question):
        return hits
    if k is not None:
        return [hits[k]] + hits[:k] + hits[k + 1:]
    # Only the later, written report among the first hits (「(1)の連絡をした後、…報告書を提出」): the
    # report to make at once comes first, if the documents have one.
    duties = [h for h in searcher.search(REPORT_QUERY, scope, top=EVENT_WINDOW).hits if _reports_incident(h)]
    duty = next((h for h in duties if _AT_ONCE.search(h.text or "")), None)
    if duty is None and window:
        return [hits[window[0]]] + hits[:window[0]] + hits[window[0] + 1:]
    duty = duty or next(iter(duties), None)
    return hits if duty is None else ([duty] + [h for h in hits if h.clause_id != duty.clause_id])[:top]


def referred_lines(h: Hit) -> list[str]:
    """「前項は…」 alone says nothing: the paragraphs it refers to, one line each, for the reader."""
    return [f"※ 冒頭の「前項」等が指す{label}: 「{text}」" for label, text in h.refers]


def lead_line(h: Hit) -> list[str]:
    """An item shown alone loses its lead-in (「次に掲げる時期に研修を行うこと。」): one line for it."""
    return [f"※ この項目は次の文の一部です（{h.lead[0]}）: 「{h.lead[1]}」"] if h.lead else []


def referred_labels(h: Hit) -> str:
    """「（第9第1項・第9第2項について）」 after a 「前項は…」 paragraph's label, or ""."""
    return f"（{'・'.join(label for label, _ in h.refers)}について）" if h.refers else ""


EMPTY = "ご質問の内容を読み取れませんでした。知りたいことを文章で入力してください（例：「離席するときに画面ロックは必要ですか」）。"


@dataclass
class Answer:
    question: str
    found: bool
    verdict: str | None = None
    verdict_line: str = ""
    best: Hit | None = None
    related: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str = ""
    elapsed_ms: float = 0.0
    # Another contract's clauses, shown apart under their own heading, never as the answer.
    others: list[Hit] = field(default_factory=list)
    others_heading: str = ""
    # Small talk or stray input: `message` is a friendly reply; nothing is searched or routed.
    smalltalk: bool = False
    # The first two clauses fit about equally well and say different things: both are shown.
    unsure: bool = False
    # Presentation (handlers/whose.py): the asker has no contract of their own here, so each clause
    # names its document; `scope` = the asker's own documents searched; `contract` = the contract the
    # asker chose with a button (unregistered); `elsewhere` = other documents exist (「ほかの契約の規定も見る」);
    # `on_request` = this answer is only other contracts' clauses, asked for with that button.
    named: bool = False
    scope: tuple[str, ...] = ()
    contract: str = ""
    elsewhere: bool = False
    on_request: bool = False

    @property
    def hits(self) -> list[Hit]:
        return ([self.best] if self.best else []) + self.related


OTHERS_HEADING = "参考：ほかの契約の規定（あなたの契約の規定ではありません）"
OWN_NOT_FOUND = ("ご質問に該当する規定は、あなたの契約の文書の中には見つかりませんでした。"
                 "作業責任者（または情報セキュリティ対策責任者）にご確認ください。")
OTHERS_SHOWN = 2
OTHERS_NAMED_HEADING = "参考：{town}の規定（あなたの契約の規定ではありません）"
NAMED_OWN_NOTE = ("ご質問に「{said}」とありますが、回答はあなたの契約の文書の規定です。{town}の規定は参考として"
                  "別に示します。")
NAMED_OWN_NONE_NOTE = ("ご質問に「{said}」とありますが、回答はあなたの契約の文書の規定です。{town}の文書には、"
                       "ご質問に該当する規定は見つかりませんでした。")
NAMED_TOWN_NOTE = "ご質問に「{said}」とあるため、{town}の文書から探しました。"
NAMED_NOTE = ("どの契約についてのご質問か分からないため、読み込まれているすべての文書から探しました。"
              "どの自治体のどの文書の規定かを条項ごとに示していますので、ご自身の契約の文書かどうかご確認ください。")


def document_name(h: Hit) -> str:
    """The document a clause belongs to, for a reader who must know whose rule it is: 吉川市「…」."""
    return f"{h.municipality}「{h.doc_title}」" if h.municipality else f"「{h.doc_title}」（自治体名の記載のない文書）"
# Two first clauses this close in score, with different verdicts, are shown as a pair to choose from.
UNSURE_RATIO = 0.92
UNSURE_NOTE = "どちらの条項が当てはまるか判断がつきませんでした。最初の2つの条項を両方ご確認ください。"


def answer(db: sqlite_utils.Database, question: str, *, source: str | None = None,
           prefer: str | None = None, top: int = 5) -> Answer:
    """Answer one question.

    source restricts the search to documents (a slug, municipality or title; on request).
    prefer names the asker's own contract documents: the answer comes from them alone, with
    their own search statistics; another contract's clauses are never the answer, and are
    shown apart (others) only when the asker's documents have nothing on the question.
    """
    t0 = time.perf_counter()
    notes: list[str] = []
    chat = smalltalk.reply(question or "")
    if chat is not None:
        return Answer(question=question, found=False, message=chat, smalltalk=True,
                      elapsed_ms=(time.perf_counter() - t0) * 1000)
    slugs = library.resolve_source(db, source)
    if slugs == []:
        notes.append(f"「{source}」に一致する文書がないため、すべての文書から探しました。")
        slugs = None
    own: list[str] | None = None
    if prefer and slugs is None:
        own = [s for s in (library.resolve_source(db, prefer) or [])] or None
    # The city a question names (「長野の件、…」) says whose rules: someone with no contract here is answered from its
    # documents; a registered person naming another city (「長野市ではUSBを持ち帰ってもいい？」) from their own contract,
    # with that city's clauses shown apart, as they asked for them. Either way the name is not searched as a word.
    named = library.named_in(db, question or "") if slugs is None and (own or not prefer) else None
    there = None
    if named and not prefer:
        slugs = named[0]
        notes.append(NAMED_TOWN_NOTE.format(town=named[1], said=named[2]))
    elif named and not set(named[0]) <= set(own):
        there = named
    asked = question or ""
    if named and (not prefer or there):
        asked = unicodedata.normalize("NFKC", asked).replace(named[2], "　")
    top = max(1, min(int(top or 5), 20))
    searcher = searcher_for(db)
    # Something that already happened, or what to do if it does, is also about reporting it (the
    # concept of the duty to report).
    nq = unicodedata.normalize("NFKC", question or "")
    # 「usb memori nakushita」: a question typed in romaji is read in its kana too.
    said = romaji.to_kana(nq)   # unchanged unless romaji
    already = mishap_of_ours(nq) or mishap_of_ours(said)
    happened = already or any(IF_IT_HAPPENS.search(t) and WHAT_TO_DO.search(t.lower()) for t in {nq, said})
    done = reported_already(nq)
    if done is not None:
        # Reported already: the question is about what comes next, and 「報告済み」 is not a word to search.
        happened = already = False
        asked = REPORTED.sub("　", unicodedata.normalize("NFKC", asked), count=1)
    also = (REPORT_CONCEPT,) if happened else ()
    # After 「報告済みです」 comes what is asked; the mishap told before it is the story.
    asking = nq[done.end():] if done is not None else None
    result = searcher.search(asked, own if own else slugs, top=top, also=also, asking=asking)
    if already and not result.found and (WRONG_HANDS.search(nq) or _names_what_rules_protect(nq)):
        # Something put in the wrong hands, or a mishap to something the rules protect (住民のExcel,
        # USB, 書類), is in scope whatever its other words: the duty to report it applies.
        # 「お弁当落としちゃった」 is not.
        duty = searcher.search(REPORT_QUERY, own if own else slugs, top=top, also=also)
        if duty.found and duty.hits and _reports_incident(duty.hits[0]):
            result = replace(result, found=True, hits=duty.hits)
    notes.extend(result.notes)
    hits = result.hits
    others: list[Hit] = []
    heading = OTHERS_HEADING
    if there:
        named_hits = searcher.search(asked, there[0], top=OTHERS_SHOWN, also=also)
        others = named_hits.hits[:OTHERS_SHOWN] if named_hits.found else []
        heading = OTHERS_NAMED_HEADING.format(town=there[1])
        notes.append((NAMED_OWN_NOTE if others else NAMED_OWN_NONE_NOTE).format(town=there[1], said=there[2]))
    elif own and not result.found:
        rest = [s for s in searcher.by_slug if s not in own]
        elsewhere = searcher.search(question, rest, top=OTHERS_SHOWN, also=also) if rest else None
        if elsewhere and elsewhere.found:
            others = elsewhere.hits[:OTHERS_SHOWN]
    if result.found:
        if happened:
            hits = _event_first(nq, hits, searcher, own if own else slugs, top, already)
        hits = _follow_up_first(nq, hits)
        if happened and hits and _reports_incident(hits[0]):
            notes.append(ALREADY_NOTE if already else IF_IT_HAPPENS_NOTE)
        elif already and len(hits) > 1 and _reports_incident(hits[1]):
            notes.append(REPORT_SECOND_NOTE)
    ans = Answer(question=question, found=result.found, notes=notes, others=others,
                 others_heading=heading if others else "", named=not own, scope=tuple(own or ()),
                 elsewhere=bool(own) and any(s not in own for s in searcher.by_slug))
    if ans.named and result.found and slugs is None and not prefer:
        notes.append(NAMED_NOTE)
    if not question.strip() or (not result.found and not hits and not others):
        ans.message = EMPTY if not result.question.strip() or "質問の文章を読み取れませんでした。" in result.notes else NOT_FOUND
    elif not result.found:
        ans.message = OWN_NOT_FOUND if own else NOT_FOUND
    else:
        ans.best, ans.related = hits[0], hits[1:]
        ans.verdict = hits[0].verdict
        ans.verdict_line = verdicts.LINES.get(hits[0].verdict, verdicts.LINES[verdicts.INFO])
        if len(hits) > 1 and hits[1].score >= UNSURE_RATIO * hits[0].score and hits[1].verdict != hits[0].verdict:
            ans.unsure = True
            notes.append(UNSURE_NOTE)
    ans.elapsed_ms = (time.perf_counter() - t0) * 1000
    return ans


def elsewhere(db: sqlite_utils.Database, question: str, own: list[str], *, top: int = OTHERS_SHOWN) -> Answer:
    """Other contracts' clauses on the question, asked for on purpose (「ほかの契約の規定も見る」):
    searched among every document but the asker's own, with those documents' own statistics, and
    shown only apart, under OTHERS_HEADING; never a verdict."""
    t0 = time.perf_counter()
    searcher = searcher_for(db)
    rest = [s for s in searcher.by_slug if s not in set(own)]
    result = searcher.search(question, rest, top=top) if rest and (question or "").strip() else None
    hits = result.hits[:top] if result is not None and result.found else []
    msg = ("ご依頼により、ほかの契約の文書から該当する規定をお示しします。あなたの契約の規定ではありませんので、"
           "判断はご自身の契約の規定に従ってください。") if hits else \
        "ほかの契約の文書にも、ご質問に該当する規定は見つかりませんでした。"
    return Answer(question=question, found=False, message=msg, others=hits,
                  others_heading=OTHERS_HEADING if hits else "", on_request=True, scope=tuple(own),
                  elapsed_ms=(time.perf_counter() - t0) * 1000)
