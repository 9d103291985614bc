"""The terminal chat: the same conversation handlers as Slack, typed at a prompt.

What Slack shows as buttons is shown as numbered choices; typing the number presses it. A button
keeps its number while it is shown (pressing 「はい」 on one checklist item does not renumber the
others), a turn without buttons leaves the numbers as they were, and a number that is not shown is
answered as such — never sent on as a question. A chat started while an incident report, a quiz or
a checklist reason waits half done shows the waiting question first, with its numbers (those of the
chat before are gone). Messages mamoru would send to other people are printed, so every flow can be
tried alone.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import sqlite_utils

from bot.render_text import choices_text, home_text, turn_text
from handlers import capabilities, conversation, home, people, routing
from handlers.conversation import Turn
from handlers.replies import Button, Reply

VIA = "terminal"
BANNER = ("mamoru（守る）へようこそ。情報セキュリティの決まりについて、普段の言葉で質問してください。\n"
          "例：「離席するときは画面ロックが必要？」「私物のUSBメモリを使っていい？」\n"
          "「ホーム」で自分のページ、「help」で使い方を表示します。終了するには「終了」または Ctrl+D")
QUIT = {"終了", "exit", "quit", "q", "bye", "おわり", "終わり"}
HOME_WORDS = {"ホーム", "home", "ほーむ"}


def save_attachment(f) -> Path:
    """An attachment (the weekly chart, a report .docx) written to the files folder
    (bot.tables.files_dir: MAMORU_FILES_DIR, else files/ beside the database); a name already
    there gets a number, so nothing is overwritten."""
    from bot import tables

    path = tables.output_path(None, f.filename)
    stem, n = path.stem, 1
    while path.exists():
        n += 1
        path = path.with_name(f"{stem}_{n}{path.suffix}")
    path.write_bytes(f.content)
    return path


class Chat:
    def __init__(self, db: sqlite_utils.Database, user_id: str, stdin, out):
        self.db, self.user_id, self.stdin, self.out = db, user_id, stdin, out
        self.board: dict[int, Button] = {}     # number → button, as last shown

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def ask(self, prompt: str) -> str | None:
        """One line typed after a prompt (None at the end of input)."""
        self.say(prompt)
        line = self.stdin.readline()
        return line.rstrip("\n") if line else None

    def show(self, turn: Turn) -> None:
        text, buttons = turn_text(turn)
        self.say(text)
        for o in turn.outgoing:  # what Slack would DM to others
            self.say(f"\n（{people.display_name(self.db, o.user_id)}さん［{o.user_id}］への通知）\n{o.reply.text}")
            if o.file is not None:   # Slack would upload it: here it is saved where a person can open it
                self.say(f"添付ファイルを保存しました: {save_attachment(o.file)}")
        if buttons:
            numbers = self.number(buttons)
            self.say(choices_text(buttons, numbers) + "  ← 番号を入力すると押せます")

    @staticmethod
    def _key(b: Button) -> tuple:
        return b.action, b.value, b.label

    def number(self, buttons: list[Button]) -> list[int]:
        """Numbers for the buttons now shown: while the choices are what is left of the ones shown
        (a checklist's other items after one is answered) each keeps its number; a new set of
        choices (the next question) is numbered from 1."""
        old = {self._key(b): n for n, b in self.board.items()}
        if all(self._key(b) in old for b in buttons) and len({self._key(b) for b in buttons}) == len(buttons):
            numbers = [old[self._key(b)] for b in buttons]
        else:
            numbers = list(range(1, len(buttons) + 1))
        self.board = dict(zip(numbers, buttons))
        return numbers

    def press(self, b: Button) -> Turn:
        db, uid = self.db, self.user_id
        if b.action == conversation.FEEDBACK_UP:
            return conversation.feedback(db, uid, b.value, True, VIA)
        if b.action == conversation.FEEDBACK_DOWN:
            return conversation.feedback(db, uid, b.value, False, VIA)
        if b.action == conversation.ASK_ROUTE:
            return conversation.route(db, uid, b.value, VIA)
        if b.action == people.ACTION_APPROVE:   # the details Slack's approval form asks, asked line by line
            from bot import chat_approve

            return chat_approve.approve(db, uid, b.value, VIA, self.ask, self.say)
        if b.action == people.ACTION_REQUEST:
            return conversation.request_registration(db, uid, people.display_name(db, uid), VIA)
        if b.action == routing.ACTION_ANSWER:
            self.say("回答を入力してください（1行）:")
            text = self.stdin.readline().strip()
            return conversation.answer_routed(db, uid, b.value, text, [], VIA)
        turn = conversation.press(db, uid, b.action, b.value, VIA)
        return turn if turn is not None else Turn().add(Reply("このボタンは端末チャットではまだ使えません。Slack からお試しください。"))

    def handle(self, text: str) -> None:
        digits = unicodedata.normalize("NFKC", text).strip()
        if digits.isdigit() and self.board:
            b = self.board.get(int(digits))
            if b is not None:
                self.show(self.press(b))
            else:
                shown = "、".join(f"[{n}]" for n in sorted(self.board))
                self.say(f"番号 {digits} の選択肢はいま表示されていません（押せる番号: {shown}）。"
                         "「ホーム」で選択肢を出し直せます。")
            return
        # 「担当者に聞く」 typed instead of its number presses the button shown under that name (never a new question:
        # it was answered with the rule on 作業責任者)
        said = _word(text)
        named = [b for b in self.board.values() if _word(b.label) == said]
        if len(named) == 1:
            self.show(self.press(named[0]))
            return
        if said in HOME_WORDS:
            page = home.home(self.db, self.user_id)
            self.say(home_text(page))
            buttons = list(page.get("buttons") or []) + [b for s in page.get("sections", []) for b in s.get("buttons", [])]
            if buttons:
                self.say(choices_text(buttons, self.number(buttons)))
            return
        first = text.replace("\u3000", " ").split(" ", 1)[0].lower()
        if first == "/mamoru":  # "/mamoru users list" typed as in Slack
            self.show(conversation.command(self.db, self.user_id, text.split(" ", 1)[1] if " " in text else "", VIA))
        else:
            self.show(conversation.message(self.db, self.user_id, text, VIA))


def _word(text: str) -> str:
    """A typed command word as compared: 「／ｑｕｉｔ」「/exit」「Quit」 are quit (a slash typed out of Slack habit)."""
    return unicodedata.normalize("NFKC", text).strip().lstrip("/").strip().lower()


def run(db: sqlite_utils.Database, user_id: str = "terminal", *, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    chat = Chat(db, user_id, stdin, stdout or sys.stdout)
    chat.say(BANNER)
    waiting = capabilities.resume(db, user_id, VIA)   # a report, quiz or reason left halfway: asked again
    if waiting is not None:
        chat.show(waiting)
    interactive = stdin.isatty()
    while True:
        if interactive:
            print("\n> ", end="", file=chat.out, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if _word(text) in QUIT:
            break
        chat.handle(text)
        if not interactive:
            chat.say()
    chat.say("ご利用ありがとうございました。")
    return 0
