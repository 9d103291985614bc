"""Where capabilities (checklists, training, incidents, …) plug into the conversation.

A capability module registers, at import time, what it answers to:
- register_action(action_id, fn): a button. fn(db, user_id, value, via) -> Turn
- register_command(words, fn): a first word of `/mamoru …`, of a DM or of a terminal line
  ("team", "離席", "incident"). fn(db, user_id, rest, via) -> Turn
- register_session(fn, last_prompt=None): a conversation in progress (a quiz, an incident report,
  a reason being asked for) sees the person's next message first. fn(db, user_id, text, via) ->
  Turn | None (None: no session for this person, or not for this text). When two are waiting for
  the same person, the one that asked most recently answers: last_prompt(db, user_id) -> the ISO
  time of that session's latest question to the person, or None when it waits for nothing.
  resume(db, user_id, via) -> Turn | None asks the waiting question again, with its buttons (the
  terminal chat at its start: the numbers it showed before a restart are gone).
- register_trigger(pattern, fn): a DM that matches a regular expression starts something
  ("紛失した" → incident report). fn(db, user_id, text, via) -> Turn
- register_intent(name, fn): what a whole typed sentence means (「誓約します」「icｶｰﾄﾞ返却しました」
  「ちょっと席外しまーす」「研修やりたいです」「今月の状況報告」). The phrasings live in one table here
  (INTENTS, tested in tests/test_phrases.py), so what a message means is decided in one place.
  fn(db, user_id, meaning, via) -> Turn | None (None: not for this person after all; the message
  goes on to triggers, commands and questions).
Home sections and notice sources register with handlers.home / handlers.notices as before.
Add the module to CAPABILITY_MODULES; load() imports them all once.
"""
from __future__ import annotations

import datetime as _dt
import importlib
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Callable

import sqlite_utils

from handlers.replies import Turn
from handlers.said_dates import DAY as _DAY, DAYS as _DAYS

CAPABILITY_MODULES: list[str] = [
    "handlers.ask_lead",
    "handlers.about_me",
    "handlers.member_status",
    "handlers.checklist",
    "handlers.days_off",
    "handlers.training",
    "handlers.incident",
    "handlers.report",
    "handlers.weekly",
    "handlers.forms",
    "handlers.documents",
    "handlers.people_admin",
    "handlers.witness",   # the audit chain's head, to the officer daily (a notice source only)
]

ActionFn = Callable[[sqlite_utils.Database, str, str, str], Turn]
CommandFn = Callable[[sqlite_utils.Database, str, str, str], Turn]
SessionFn = Callable[[sqlite_utils.Database, str, str, str], "Turn | None"]
PromptFn = Callable[[sqlite_utils.Database, str], "str | None"]
ResumeFn = Callable[[sqlite_utils.Database, str, str], "Turn | None"]

_actions: dict[str, ActionFn] = {}
_commands: dict[str, CommandFn] = {}
_sessions: list[tuple[SessionFn, "PromptFn | None", "ResumeFn | None"]] = []
_triggers: list[tuple[re.Pattern, CommandFn]] = []
_lock = threading.Lock()
log = logging.getLogger(__name__)
_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            for name in CAPABILITY_MODULES:
                importlib.import_module(name)
            _loaded = True


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def register_action(action_id: str, fn: ActionFn) -> None:
    _actions[action_id] = fn


def register_command(words, fn: CommandFn) -> None:
    for w in ([words] if isinstance(words, str) else words):
        _commands[_word(w)] = fn


def register_session(fn: SessionFn, last_prompt: PromptFn | None = None, resume: ResumeFn | None = None) -> None:
    if all(f is not fn for f, _, _ in _sessions):
        _sessions.append((fn, last_prompt, resume))


def register_trigger(pattern: str, fn: CommandFn) -> None:
    _triggers.append((re.compile(pattern), fn))


def action(db: sqlite_utils.Database, user_id: str, action_id: str, value: str, via: str) -> Turn | None:
    """Run a registered button; None when no capability owns this action id."""
    load()
    fn = _actions.get(action_id.split("#", 1)[0])
    return fn(db, user_id, value, via) if fn else None


def command(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    """A typed sentence's meaning first (「研修 やりたいです」), then a capability's first word."""
    load()
    turn = intent(db, user_id, text, via)
    if turn is not None:
        return turn
    first, _, rest = text.replace("\u3000", " ").strip().partition(" ")
    fn = _commands.get(_word(first))
    return fn(db, user_id, rest.strip(), via) if fn else None


def _asked_at(db: sqlite_utils.Database, user_id: str, last_prompt: PromptFn | None) -> float | None:
    if last_prompt is None:
        return None
    try:
        at = last_prompt(db, user_id)
    except Exception:  # a broken capability must not take the person's message hostage
        log.exception("last_prompt of a session failed")
        return None
    return _dt.datetime.fromisoformat(at).timestamp() if at else None


def session(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    """The conversation waiting for this person's message; the most recent question first, so a
    reason asked at 09:10 does not swallow the answers of an incident report started at 09:12."""
    for _, fn, _ in _latest_first(db, user_id):
        turn = fn(db, user_id, text, via)
        if turn is not None:
            return turn
    return None


def _latest_first(db: sqlite_utils.Database, user_id: str) -> list[tuple]:
    """(time of its latest question, session, resume) of each registered conversation, the most recent
    first, those waiting for nothing last, then in registration order."""
    load()
    ranked = sorted(((_asked_at(db, user_id, lp), n, fn, rs) for n, (fn, lp, rs) in enumerate(_sessions)),
                    key=lambda r: (r[0] is None, -(r[0] or 0.0), r[1]))
    return [(at, fn, rs) for at, _, fn, rs in ranked]


def resume(db: sqlite_utils.Database, user_id: str, via: str) -> Turn | None:
    """The question a conversation in progress waits on, asked again (the most recent one), or None."""
    for at, _, rs in _latest_first(db, user_id):
        turn = rs(db, user_id, via) if rs and at is not None else None
        if turn is not None:
            return turn
    return None


def is_command(text: str) -> bool:
    """Whether a message starts with a capability's word (「インシデント報告」「離席」「研修」…, with or
    without `/mamoru`): a session waiting for free text (a reason) lets such a message through.
    Triggers (「置き忘れ」…) are not counted: they are phrases a reason may well contain."""
    load()
    words = unicodedata.normalize("NFKC", text or "").replace("\u3000", " ").split()
    if words and words[0].lower() == "/mamoru":
        words = words[1:]
    if words and understand(" ".join(words)) is not None and understand(" ".join(words)).name != "choice":
        return True
    return bool(words) and _word(words[0]) in _commands


def matches_trigger(text: str) -> bool:
    """Whether a message would start something (「紛失した」 → an incident report) on its own."""
    load()
    t = unicodedata.normalize("NFKC", text or "")
    return any(p.search(t) for p, _ in _triggers)


def trigger(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    load()
    t = unicodedata.normalize("NFKC", text)
    for pattern, fn in _triggers:
        if pattern.search(t):
            return fn(db, user_id, text, via)
    return None


def action_ids() -> list[str]:
    load()
    return sorted(_actions)


# ---- what a typed sentence means ------------------------------------------------------------------
# Workers type 「ちょっと席外しまーす」, not 「離席」. Each intent is a set of whole-message patterns over
# the message made plain (plain(): NFKC, so ｶｰﾄﾞ is カード; lower case; no spaces; a stretched
# 「まーす」 is 「ます」; trailing 「。!♪」 dropped). A message that reads as a question
# (「離席するときは何が必要ですか」) means no intent: it is a rule question.

_TAIL = r"(?:済み|済|中)?[ぁ-ん]{0,10}"                    # a polite or casual ending: します・しました・したい・です・よ・ね
_FILL = r"(?:(?:すみません|すいません|ちょっと|ちょっとだけ|少し|すこし|しばらく|一旦|いったん|ちょい|今から|いまから|これから)[、,]?)*"
_IC = r"(?:ic|アイシー|あいしー)?(?:カード|かーど|card)"
_REF = r"(inc-?\d{4}-?\d{1,6})"
_NAME = r"[一-龥々〆ヵヶァ-ヴーa-z0-9]{1,12}?"      # a person's name before さん (kanji, katakana, latin: no particles)
# a day off, as people call it (half days included: they are told they are not registered)
_LEAVE = (r"(?:お?休み|やすみ|有給休暇|有給|有休|ゆうきゅう|年次休暇|年休|休暇|欠勤|代休|振休|振替休日|午前半休|午後半休|午前休|午後休|"
          r"半日休|半休|(?:am|pm)休|休)")
_WORK = r"(?:出勤|しゅっきん|出社|しゅっしゃ|勤務|きんむ)"
# a statement's ending, nothing after it but a polite word (「休みます」「有給です」「休み取りました」「休みだよ」「休むので」)
_SAID = (r"(?:ます|ました|です|でした|だ|だよ|だね|でーす|っす|いたします|致します|た|たよ|てます|ています|ております|む|ください|下さい)"
         r"(?:ね|よ|ので)?(?:[、。,\s]*(?:よろしくお願いします|よろしくお願いいたします|よろしくです|お願いします))?")
INTENTS: list[tuple[str, str]] = [
    # the confidentiality pledge after a passed training (誓約 is often mistyped 制約 by the IME)
    ("pledge", r"^(?:内容に)?(?:同意(?:して|し|します)?)?(?:誓約書?|せいやく|セイヤク|制約|誓訳)(?:に|へ)?(?:同意)?"
               r"(?:します|する|いたします|致します|しました|した|しまーす|です|でお願いします|お願いします|ok)?(?:ね|よ)?$"),
    # IC card events (受け取り・返却・紛失): the verb decides which
    ("ic.received", rf"^(?:今日の|本日の)?{_IC}(?:を|の|は)?(?:受け取|受取|うけと|受領|もらい|もらっ|借り|かり)(?:り)?{_TAIL}$"),
    ("ic.returned", rf"^(?:今日の|本日の)?{_IC}(?:を|の|は)?(?:返却|へんきゃく|返し|かえし|返っ|戻し|もどし){_TAIL}$"),
    ("ic.lost", rf"^{_FILL}{_IC}(?:を|が|は)?(?:紛失|ふんしつ|無くし|失くし|なくし|無くなっ|なくなっ|落とし|おとし|"
                rf"盗まれ|盗難|見当た|みあた|見つか|みつか){_TAIL}$"),
    ("ic.menu", rf"^{_IC}(?:の)?(?:記録|きろく)?(?:を)?(?:つける|付ける|する|したい|お願いします)?$"),
    # leaving the desk and coming back
    ("away", rf"^{_FILL}(?:離席|りせき|席(?:を)?(?:外|はず|離れ|はなれ)|(?:トイレ|お手洗い|休憩|昼休憩|昼休み|お昼|昼食|ランチ|"
             rf"会議|打ち合わせ|打合せ|電話)(?:に|へ|を|で)?(?:行|い|入り|はいり|とり|取り|出)(?:って|ってき|ってき|ます|ってきます)?){_TAIL}$"),
    ("back", rf"^(?:席に|せきに|ただいま|只今)?(?:戻り|もどり|戻っ|もどっ|戻ります|復帰|ふっき|帰還|席に着き|着席){_TAIL}$|^(?:ただいま|只今)(?:です)?$"),
    # the training (quiz) and its status
    ("training.status", r"^(?:自分の|私の|わたしの|チームの)?(?:研修|けんしゅう)(?:の)?(?:状況|進捗|状態|じょうきょう|結果)(?:を|は|って)?(?:見|教え|知り|確認)?[ぁ-ん?？]{0,8}$"
                        r"|^(?:自分の|私の|わたしの)?(?:研修|けんしゅう)(?:って|は)?(?:終わって|おわって|済んで|すんで|完了して|合格して|受かって|あと)"
                        r"(?:る|ます|いる|どれくらい|どのくらい|何問|なんもん|いくつ)?[ぁ-ん?？]{0,8}$"),
    ("training.start", rf"^(?:研修|けんしゅう|トレーニング|教育研修|セキュリティ研修|小テスト|テスト)(?:を|が|の|に)?"
                       rf"(?:やり|受け|うけ|始め|はじめ|し|開始|再開|続き|つづき|続け|つづけ|受講|お願い|おねがい|やる|やっ|参加|させ|スタート){_TAIL}$"),
    # a checklist not done yet or forgotten (「チェックリストまだ出してない」「昨日の分のチェック忘れてた」「金曜の終業チェック
    # 出してなかった」): today's opens; a past day's cannot be recorded afterwards, which is said (handlers/checklist/missed.py)
    ("checklist.missed", rf"^({_DAY})?(?:の)?(?:始業時?|終業時?|始業前|終業前)?(?:の)?(?:チェックリスト|ちぇっくりすと|チェック|点検)"
                         rf"(?:を|は|が)?(?:まだ)?(?:出し|だし|提出し|やっ|やり|し|つけ|付け|回答し|答え|確認し)?"
                         rf"(?:忘れ|わすれ|てな|ていな|てませ|ていませ|てね)[ぁ-ん]{{0,10}}$"),
    # today's checklist, and a lead's view of the team
    ("checklist.open", rf"^(?:今日の|本日の|きょうの)?(?:始業時?|終業時?|始業前|終業前)?(?:の)?(?:チェックリスト|ちぇっくりすと|チェック|点検)"
                       rf"(?:を|の)?(?:開い|ひらい|見せ|みせ|出し|だし|やり|し|する|お願い|表示|確認)?{_TAIL}$"),
    # the work day's start or end said, not asked for (「これから作業始めます」「今日の作業終わりました」): its checklist
    ("checklist.open", rf"^(?:これから|今から|いまから|では|じゃあ)?(?:今日の|本日の|きょうの)?(?:作業|仕事|しごと|業務)(?:を|が|は)?"
                       rf"(?:開始|かいし|始め|はじめ|始ま|はじま|終わり|おわり|終わっ|おわっ|終了|しゅうりょう|終え|おえ)"
                       rf"(?:ます|ました|します|しました|る|た|りました|ります|です)?{_TAIL}$"),
    # a lead asking who has not done it yet (「チェックリスト出してない人いる？」「研修終わってない人は？」)
    ("team", r"^(?:今日|きょう|本日)?(?:の)?(?:チェックリスト|ちぇっくりすと|チェック|点検)(?:を|が)?(?:まだ)?(?:出して|だして|提出して|やって|済ませて|"
             r"済んで|すんで|終わって|おわって|確認して|して|つけて|付けて)(?:い)?(?:ない|ねー|ません)(?:人|ひと|メンバー|者|方)[ぁ-ん?？]{0,10}$"
             r"|^(?:チェックリスト|チェック)?(?:の)?(?:未提出|未確認|未回答|まだ)(?:の)?(?:人|ひと|メンバー|者|方)[ぁ-ん?？]{0,10}$"),
    ("training.status", r"^(?:研修|けんしゅう)(?:を|が)?(?:まだ)?(?:終わって|おわって|受けて|うけて|済ませて|済んで|すんで|修了して|完了して|受講して)"
                        r"(?:い)?(?:ない|ねー|ません)(?:人|ひと|メンバー|者|方)[ぁ-ん?？]{0,10}$"),
    # the lead's weekly digest, on request (「先週のまとめ見せて」「今週のまとめ」)
    ("weekly", r"^(?:チームの|うちの)?(?:今週|こんしゅう|先週|せんしゅう|週次|週間|一週間|1週間)(?:の)?(?:まとめ|纏め|集計|振り返り|ふりかえり|サマリー|サマリ|状況)"
               r"(?:を|は)?(?:見せて|みせて|見たい|みたい|出して|だして|教えて|おしえて|ください|下さい|お願い|おねがい)?[ぁ-ん?？]{0,10}$"
               r"|^(?:週報|しゅうほう|ウィークリー)(?:を|は)?(?:見せて|みせて|出して|ください)?[ぁ-ん?？]{0,10}$"),
    # what waits for an answer: a lead's inbox, a worker's own questions (「未回答の質問ある？」)
    ("me.waiting", r"^(?:未回答|回答待ち|かいとうまち|答えていない|答えてない|こたえてない|返事していない|返事してない|返してない)(?:の)?"
                   r"(?:質問|問い合わせ|問合せ)(?:は|って|が)?[ぁ-ん?？]{0,10}$"),
    ("team", rf"^(?:うちの|私の|わたしの|自分の)?(?:チーム|ちーむ|メンバー|班|team)(?:全体)?(?:の)?(?:状況|様子|ようす|状態|進捗|status|確認)"
             rf"(?:を)?(?:見せ|みせ|教え|おしえ|確認|知り|見)?{_TAIL}$"),
    # the status report with the dates people write (12/1 12/7, 12月1日〜12月7日, 今月, 先月)
    ("report", r"^(?:/mamoru\s*)?(?:report|reports|レポート)(?:\s+(.*))?$"),
    ("report", r"^(.*?)(?:の)?(?:状況報告書?|保全状況報告書?|セキュリティ保全状況報告書?)(?:を|の)?(?:作っ|つくっ|作成|出し|だし|見せ|みせ|下さい|ください|"
               r"お願い|おねがい|ほしい|欲しい)?[ぁ-ん]{0,8}$"),
    # the incident reports one may see (「インシデント一覧」「今月の事故報告は？」「インシデントある？」): a list, never a new report
    ("incident.list", r"^(?:/mamoru\s*)?(?:今日|本日|今週|今月|先週|先月|最近|これまで|チーム|うちのチーム)?(?:の)?(?:incidents?|インシデント|いんしでんと|事故報告|事故|ヒヤリハット)"
                      r"(?:報告)?(?:の)?(?:一覧|いちらん|リスト|list|ls|履歴|件数)(?:を|は)?(?:見せて|みせて|見たい|出して|だして|表示|ください|下さい|お願いします)?[?？]*$"
                      r"|^(?:今日|本日|今週|今月|先週|先月|最近|チーム|うちのチーム)?(?:の)?(?:インシデント|事故報告|事故|ヒヤリハット)(?:報告)?(?:は|って|が)?"
                      r"(?:(?:ある|あった|来てる|きてる|来た|きた|出てる)(?:か|かな|の)?[?？]+|(?:ありますか|ありましたか|来てますか|何件|なんけん)(?:ですか|か)?[?？]*)$"
                      r"|^(?:今日|本日|今週|今月|先週|先月|最近|チーム|うちのチーム)(?:の)?(?:インシデント|事故報告|事故|ヒヤリハット)(?:報告)?(?:は|って)[?？]+$"),
    # the roster as a 届出 needs it (「名簿出して」「吉川市の従事者名簿ください」): `/mamoru roster`
    ("roster", r"^(?:/mamoru\s*)?(.*?)(?:の)?(?:作業従事者等?|従事者|メンバー)?(?:名簿|めいぼ)(?:を)?(?:エクセル|excel|ファイル)?(?:で)?"
               r"(?:出して|だして|ください|下さい|ほしい|欲しい|見せて|みせて|送って|お願い|おねがい)(?:ください|下さい|します|お願いします)?$"),
    # the checklist or training records as a workbook (「今月のチェックリストの記録をエクセルでほしい」「研修の記録を出して」)
    ("records", r"^(?:/mamoru\s*)?(.*?)(?:の)?(チェックリスト|ちぇっくりすと|研修|けんしゅう)(?:の)?(?:記録|きろく|履歴|実施記録|受講記録|回答記録)(?:一覧)?(?:を)?"
                r"(?:エクセル|excel|xlsx|ファイル)?(?:で|の形で)?(?:出して|だして|ください|下さい|ほしい|欲しい|見せて|みせて|書き出して|ダウンロード|お願い|おねがい|送って)?"
                r"(?:ください|下さい|します|お願いします)?$"),
    # an incident by its number, in either word order (`incident show INC-…`, `INC-… show`, 「INC-… の詳細」)
    ("incident.show", rf"^(?:/mamoru\s*)?(?:incident|インシデント)?(?:show|表示|詳細)?{_REF}(?:show|の?詳細|を?表示|を?見せ[ぁ-ん]*|の?状況)?$"),
    # 「担当者に聞く」 typed rather than pressed, alone (the way to ask is shown) or with the question after it
    ("ask.lead", r"^(?:さっきの(?:質問|こと|件)?(?:を|は)?|この(?:質問|件)(?:を|は)?)?(?:担当者|作業責任者|責任者|リーダー|上長|上司)(?:さん|の方)?"
                 r"(?:に|へ)(?:聞く|きく|聞き|きき|聞いて|きいて|質問|確認|相談|問い合わせ|問合せ|つないで|回して|送って|送り)"
                 r"(?:たい|たいです|ください|下さい|ほしい|欲しい|もらえる|もらえますか|します|する|したい|したいです|お願いします)?"
                 r"(?:[:：、,]\s*(.+))?$"),
    # about oneself and about mamoru, asked (handlers/about_me.py): 「自分の契約ってどれ？」「担当者だれ？」
    ("me.contract", r"^(?:自分|じぶん|私|わたし|わたくし|僕|ぼく|俺|おれ|うち)?(?:の)?(?:契約|けいやく|案件|あんけん|担当案件|所属)(?:先)?"
                    r"(?:って|は|を|が)?(?:どれ|どこ|何|なに|なん|どの|どっち|教えて|おしえて|確認)[ぁ-ん?？]{0,10}$"
                    r"|^(?:自分|じぶん|私|わたし|僕|ぼく|俺|おれ)の(?:契約|案件)(?:先)?(?:って|は)[?？]*$"),
    ("me.lead", r"^(?:自分|じぶん|私|わたし|僕|ぼく|俺|おれ)?(?:の)?(?:担当者|担当の人|作業責任者|責任者|リーダー|上司|上長)(?:さん)?"
                r"(?:って|は|が)?(?:誰|だれ|どなた|どの人|どこ|教えて|おしえて)[ぁ-ん?？]{0,10}$"),
    ("me.questions", r"^(?:前|まえ|さっき|先日|この前|こないだ|昨日|きのう)?(?:の|に)?(?:聞いた|きいた|送った|した)?(?:質問|問い合わせ|問合せ)"
                     r"(?:の|への|は|って)?(?:答え|こたえ|回答|返事|返信|件)(?:は|って|が)?(?:まだ|来た|きた|どうなった|どう|ある|届いた)[ぁ-ん?？]{0,10}$"),
    ("help", r"^(?:この|その)?(?:bot|ボット|ぼっと|アプリ|mamoru|まもる|守る)?(?:って|は|で)?"
             r"(?:何|なに|なん)(?:が|を)?(?:でき|出来)[ぁ-ん?？]{0,10}$"
             r"|^(?:この|その)?(?:bot|ボット|アプリ|mamoru|まもる)?(?:の)?(?:使い方|つかいかた|できること|機能)(?:は|って|を)?[ぁ-ん?？]{0,10}$"),
    # one person asked about by name (「作業二郎さんの研修どうなってる？」「山田さんチェックリスト出した？」): shown only when
    # the name is someone the asker may see (handlers/member_status.py); otherwise a rule question (「派遣さんの研修は必要？」)
    ("member", rf"^({_NAME})(?:さん|氏|様)(?:の|は|って|が)?"
               r"(?:今日の|きょうの|本日の)?(?:研修|けんしゅう|チェックリスト|ちぇっくりすと|チェック|点検|状況|じょうきょう|様子|ようす|進捗|状態)?"
               r"(?:の)?(?:状況|進捗|状態|結果)?(?:は|って|を|が)?"
               r"(?:どう|どんな感じ|どんなかんじ|大丈夫|教えて|おしえて|見せて|みせて|確認|終わって|おわって|終わった|おわった|済んで|すんで|出して|だして|"
               r"出した|だした|やって|やった|受けて|うけて|受けた|うけた|合格|ある|ない)?[ぁ-んー]{0,10}[?？]*$"),
    # a nudge by DM to one person or to everyone with something open (「山田さんに催促して」「未提出の人にリマインドして」)
    ("member.nudge", rf"^(?:({_NAME})(?:さん|氏|様)?|(?:チェックリスト|研修)?(?:を|が)?(?:未提出|未回答|未確認|未受講|出してない|やってない|まだ)(?:の)?"
                     r"(?:人|ひと|方|メンバー)(?:たち|達|全員)?|(?:みんな|全員|チーム全員))(?:に|へ)"
                     r"(?:催促|さいそく|リマインド|りまいんど|リマインダー|督促|声かけ|声掛け|こえかけ)(?:を)?"
                     r"(?:して|しといて|しておいて|送って|おくって|お願い|おねがい|する|したい|できる)?(?:ください|下さい|ほしい|欲しい|お願いします)?[ぁ-ん?？]{0,6}$"),
    # one's own days off (handlers/days_off.py). Only a statement registers one (「明日休みます」「12/24〜12/26 休みます」
    # 「来週の月曜は有給です」); a question (「明日の休みは？」「明日って休み？」) or the bare phrase (「明日の休み」) is answered
    # with that day's state and records nothing (days_off.ask, before days_off.add). Taken back with words that undo
    # (「明日やっぱり出勤します」「12/10の休み取り消し」); a plain 「明日出勤します」 is days_off.working, an undo only when a day
    # off is registered that day. Listed with 「休みの予定」「私の休み」.
    ("days_off.remove", rf"^(?!.*(?:ない|ません|なく)){_DAYS}(?:は|の|も)?(?:やっぱり|やっぱ|やはり)(?:普通に|ふつうに|通常どおり|通常通り|いつも通り|いつもどおり)?"
                        rf"{_WORK}(?:し|でき|になり|に|する|で)?[ぁ-ん]{{0,10}}$"
                        rf"|^{_DAYS}(?:の|に)?{_LEAVE}(?:の登録|の予定|登録|予定)?(?:を|は)?(?:やっぱり|やはり)?"
                        rf"(?:取り消し|取消し?|とりけし|キャンセル|きゃんせる|削除|取り下げ|取下げ|撤回|なし|無し|やめ|止め)[ぁ-ん]{{0,10}}$"),
    ("days_off.working", rf"^(?!.*(?:ない|ません|なく|たい|かも)){_DAYS}(?:は|も|の)?(?:普通に|ふつうに|通常どおり|通常通り|いつも通り|いつもどおり)?"
                         rf"{_WORK}(?:し|でき|になり|に|する|で|予定|の予定)?(?:{_SAID}|よ|ね|ので)?$"),
    ("days_off.ask", rf"^{_DAYS}(?:は|の|って|も)?{_LEAVE}(?:の予定|予定|の日|日|の登録|登録)?"
                     r"(?:は|って|が)?(?:か|かな|ですか|でしょうか|でしたっけ|だっけ|でしたか|だよね|ですよね|よね|なの|なんですか|なので|だから|"
                     r"になってる|になってますか|になっていますか|入ってる|入ってますか|入っていますか|ある|あります|ありますか|"
                     r"登録されてる|登録されてますか|登録されていますか|登録できてる|登録できてますか|とれてる|取れてる|取れてますか|とれてますか)?[?？]*$"
                     # 「明日は出勤しません」「明日休みじゃない？」: not coming in, or asking whether it is a day off: the day's
                     # state and the button that registers it (nothing recorded on a negation)
                     rf"|^{_DAYS}(?:は|も)?{_WORK}(?:しません|しない|できません|できない)(?:です|ので|。)?$"
                     rf"|^{_DAYS}(?:って|は)?{_LEAVE}じゃない(?:ですか|っけ|の|よね)?[?？]*$"),
    ("days_off.add", rf"^(?!.*(?:たい|たく|かも|ない|ません|なく)){_DAYS}(?:は|に|、|,|の|で)?(?:1日|一日|終日)?{_LEAVE}(?:の予定|予定)?(?:を|に|で|と)?"
                     rf"(?:いただき|頂き|取り|とり|取っ|とっ|取得し|取得|もらい|貰い|もらっ|貰っ|させていただき|させて頂き|取らせていただき|"
                     rf"取らせて頂き|ませていただき|ませて頂き|ませてもらい|し|になり|なり|入れ|申請し|お願いし)?{_SAID}$"),
    ("days_off.list", r"^(?:(?:自分|じぶん|私|わたし|僕|ぼく)の(?:お?休み|休暇|有給|有休|休日)(?:の)?(?:予定|一覧|登録)?|(?:お?休み|休暇|有給|有休)の(?:予定|一覧|登録))"
                      r"(?:は|を|って)?(?:見せて|みせて|教えて|おしえて|確認|一覧|知りたい)?[ぁ-ん?？]{0,8}$"),
    # a choice typed on its own (「B」「2」「○」): an answer when a quiz waits for one, never a rule question
    ("choice", r"^(?:答えは|こたえは|回答は)?([a-j]|[0-9]{1,2}|○|×|〇|✕|まる|ばつ|正しい|誤り)(?:です|番|ばん|番です|で)?$"),
]
_COMPILED = [(name, re.compile(p)) for name, p in INTENTS]
# Intents a question mark or a question word does not undo: an incident number, a quiz choice, 「担当者に聞く：…」,
# and those that are questions by nature (「自分の契約ってどれ？」「研修終わってない人は？」).
_ASKED = ("incident.show", "incident.list", "member", "member.nudge", "choice", "ask.lead", "me.contract", "me.lead",
          "me.questions", "me.waiting", "help", "training.status", "team", "weekly", "days_off.list", "days_off.ask")
_intents: dict[str, list] = {}

# A message that asks something is a rule question, whatever words it shares with an intent.
_ASKS = re.compile(r"[?？]|(?:ですか|ますか|でしょうか|かな|っけ|の|か)$|どう|どの|なぜ|いつ|誰|だれ|どこ|何|なに|必要|べき|"
                   r"いいの|良いの|ルール|決まり|とは|には|場合")
_STRETCH = re.compile(r"(?<=[ぁ-ん])[ー〜~]+")
_END = re.compile(r"(?:[。．.!！♪☆★✨〜~、,…]|(?<=[ぁ-んァ-ヶ一-龥])w)+$")   # 「戻りましたw」


@dataclass(frozen=True)
class Meaning:
    name: str          # "pledge", "ic.returned", "away", "report", …
    text: str          # what the person typed
    plain: str         # plain(text)
    args: tuple        # the pattern's groups (the dates of a report, an incident number, a choice)


def plain(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").lower().strip()
    t = _STRETCH.sub("", t)
    t = _END.sub("", t)
    return re.sub(r"\s+", " ", t).strip()


def understand(text: str) -> Meaning | None:
    """What a typed message means, or None (a rule question, a reason, small talk …)."""
    p = plain(text)
    if not p:
        return None
    squeezed = p.replace(" ", "")
    for name, pattern in _COMPILED:
        if len(p) > 60 and name != "ask.lead":   # (the question asked after 「担当者に聞く：」 may be long)
            continue
        m = pattern.match(p) or pattern.match(squeezed)
        if not m:
            continue
        if name not in _ASKED and _ASKS.search(squeezed):
            return None
        return Meaning(name, text, p, tuple(g or "" for g in m.groups()))
    return None


def register_intent(name: str, fn) -> None:
    if name not in {n for n, _ in INTENTS}:
        raise ValueError(f"unknown intent {name!r}: add its phrasings to capabilities.INTENTS")
    _intents.setdefault(name, [])
    if fn not in _intents[name]:
        _intents[name].append(fn)


def intent(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    """Run what the typed message means; None when it means no intent (or nobody took it)."""
    load()
    m = understand(text)
    if m is None:
        return None
    for fn in _intents.get(m.name, []):
        turn = fn(db, user_id, m, via)
        if turn is not None:
            return turn
    return None
