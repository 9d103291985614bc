"""The plug-in points capabilities use: sessions first, then triggers, commands, questions."""
from handlers import capabilities, conversation
from handlers.replies import Reply, Turn
from knowledge import library
from storage.db import open_db


def test_message_goes_to_session_then_trigger_then_command_then_question(tmp_path, monkeypatch):
    capabilities.load()
    # Registrations made here stay in this test: the real capabilities' are restored after.
    for name in ("_actions", "_commands"):
        monkeypatch.setattr(capabilities, name, dict(getattr(capabilities, name)))
    for name in ("_sessions", "_triggers"):
        monkeypatch.setattr(capabilities, name, list(getattr(capabilities, name)))
    db = open_db(tmp_path / "c.db")
    library.ensure_builtin(db)
    seen = []
    in_session = {"U1"}

    def session(db, user_id, text, via):
        if user_id in in_session:
            in_session.discard(user_id)
            seen.append(("session", text))
            return Turn().add(Reply("理由を記録しました。"))
        return None

    capabilities.register_session(session)
    capabilities.register_trigger(r"試験用の合図", lambda db, u, t, v: Turn().add(Reply("事故報告を始めます。")))
    capabilities.register_command(["試験離席", "しけんりせき"], lambda db, u, rest, v: Turn().add(Reply(f"離席を記録しました{rest}")))
    capabilities.register_action("test_press", lambda db, u, value, v: Turn().add(Reply(f"押されました:{value}")))

    assert conversation.message(db, "U1", "画面ロックを忘れていました", "terminal").replies[0].text == "理由を記録しました。"
    assert seen == [("session", "画面ロックを忘れていました")]
    assert conversation.message(db, "U1", "これは試験用の合図です", "terminal").replies[0].text == "事故報告を始めます。"
    assert conversation.message(db, "U1", "試験離席", "terminal").replies[0].text == "離席を記録しました"
    assert conversation.command(db, "U1", "しけんりせき 会議", "slack_command").replies[0].text == "離席を記録しました会議"
    q = conversation.message(db, "U1", "離席するときは画面ロックが必要ですか", "terminal")
    assert q.answer is not None and q.answer.found
    assert conversation.press(db, "U1", "test_press#2", "v1", "slack_button").replies[0].text == "押されました:v1"
    assert conversation.press(db, "U1", "nobody_owns_this", "", "slack_button") is None


def test_the_session_that_asked_last_answers_first(tmp_path, monkeypatch):
    capabilities.load()
    monkeypatch.setattr(capabilities, "_sessions", [])
    db = open_db(tmp_path / "c.db")
    asked = {"reason": "2026-12-01T09:05:00+09:00", "report": "2026-12-01T00:06:00+00:00"}   # 09:06 JST
    took = []

    def sess(name):
        def fn(db, user_id, text, via):
            took.append(name)
            return Turn().add(Reply(name))
        return fn

    def broken(db, user_id):
        raise RuntimeError("boom")

    capabilities.register_session(sess("plain"))                       # cannot tell when it asked: last
    capabilities.register_session(sess("reason"), lambda db, u: asked["reason"])
    capabilities.register_session(sess("report"), lambda db, u: asked["report"])
    capabilities.register_session(sess("broken"), broken)
    assert capabilities.session(db, "U1", "テキスト", "terminal").replies[0].text == "report"
    asked["report"] = None                                             # the report is finished
    assert capabilities.session(db, "U1", "テキスト", "terminal").replies[0].text == "reason"
    asked["reason"] = None
    assert capabilities.session(db, "U1", "テキスト", "terminal").replies[0].text == "plain"
    assert took == ["report", "reason", "plain"]


def test_capability_words_are_not_taken_as_free_text():
    assert capabilities.is_command("インシデント報告")
    assert capabilities.is_command("/mamoru 離席")
    assert capabilities.is_command("ｲﾝｼﾃﾞﾝﾄ報告")                    # half-width kana, as typed on some phones
    assert not capabilities.is_command("カードを自宅に置き忘れました")   # a reason, though a trigger phrase
    assert not capabilities.is_command("")
