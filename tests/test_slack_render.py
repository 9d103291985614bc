"""Block Kit rendering within Slack's limits (split, never silently cut), and event claims."""
from __future__ import annotations

import json
import threading

import pytest

from bot import render_blocks as rb
from handlers.ask import Answer
from handlers.replies import Button, Reply
from knowledge.search import Hit


def _hit(n: int, text: str) -> Hit:
    return Hit(clause_id=f"doc:a{n}", source="doc", municipality="試験市", doc_title="試験仕様書", label=f"第{n}条",
               heading=(f"第{n}条",), text=text, citation=f"試験市 試験仕様書 第{n}条", verdict="required", score=1.0)


def _all_blocks(msgs):
    return [b for m in msgs for b in m["blocks"]]


def _assert_within_limits(msgs, max_blocks=rb.MAX_BLOCKS):
    for m in msgs:
        assert len(m["blocks"]) <= max_blocks
        for b in m["blocks"]:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= rb.MAX_SECTION_TEXT
            if b["type"] == "context":
                assert all(len(e["text"]) <= rb.MAX_CONTEXT_TEXT for e in b["elements"])
            for el in ([b["accessory"]] if "accessory" in b else []) + b.get("elements", []):
                if el.get("type") == "button":
                    assert len(el["text"]["text"]) <= rb.MAX_BUTTON_LABEL
                    assert len(el.get("value", "")) <= rb.MAX_BUTTON_VALUE
            if b["type"] == "actions":
                assert len(b["elements"]) <= rb.MAX_ACTIONS


@pytest.mark.parametrize("text", [
    "あ" * 10_000,                                         # no break at all
    ("第一文です。" * 700),                                 # sentences
    "\n".join(f"{n}行目の文章です。" for n in range(2000)),  # lines
])
def test_split_text_keeps_every_character(text):
    pieces = rb.split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_escaped_text_still_fits_a_section():
    text = "<&>" * 2000                                        # escaping triples its length
    blocks = rb.sections(text)
    assert all(len(b["text"]["text"]) <= rb.MAX_SECTION_TEXT for b in blocks)
    unescaped = "".join(b["text"]["text"] for b in blocks).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == text


def test_people_s_text_cannot_carry_slack_markup():
    """A worker's words reach others from the bot's trusted identity: no mention, broadcast or disguised link."""
    assert rb.escape("<@U123> & <#C1|general> <b>") == "&lt;@U123&gt; &amp; &lt;#C1|general&gt; &lt;b&gt;"
    assert rb.escape("<!channel> <https://evil.example|吉川市規定>") == "&lt;!channel&gt; &lt;https://evil.example|吉川市規定&gt;"
    [m] = rb.reply_messages(Reply("<!here> 至急"))
    assert "<!here>" not in m["text"] and "<!here>" not in json.dumps(m["blocks"], ensure_ascii=False)


def test_answer_with_long_clauses_becomes_several_messages_within_limits():
    long_text = "受託者は、記録を保存しなければならない。" * 400          # ~8,000 characters each
    a = Answer(question="記録の保存期間は？" * 100, found=True, verdict="required", verdict_line="必ず守る義務があります。",
               best=_hit(1, long_text), related=[_hit(n, long_text) for n in range(2, 21)], notes=["注記です。"])
    msgs = rb.answer_messages(a)
    assert len(msgs) >= 2
    _assert_within_limits(msgs)
    blocks = _all_blocks(msgs)
    assert blocks[-1]["type"] == "actions"                                   # buttons close the last part
    assert [e["text"]["text"] for e in blocks[-1]["elements"]] == ["役に立った", "役に立たなかった", "担当者に聞く"]
    shown = "".join(b["text"]["text"] if b["type"] == "section" else b["elements"][0]["text"]
                    for b in blocks if b["type"] in ("section", "context"))
    for n in range(1, 21):                                                   # nothing was dropped
        assert f"試験市 試験仕様書 第{n}条" in shown
    assert shown.replace("&gt; ", "").count("受託者は、記録を保存しなければならない。") == 20 * 400
    value = json.loads(blocks[-1]["elements"][0]["value"])
    assert value == {"q": a.question[:rb.QUESTION_IN_VALUE], "c": "doc:a1"}
    assert msgs[1]["text"].startswith("（続き 2/")


def test_not_found_answer_offers_a_person_unless_already_routed():
    a = Answer(question="ペンギンの餌は？", found=False, message="見つかりませんでした。")
    [m] = rb.answer_messages(a)
    assert [e["action_id"] for e in m["blocks"][-1]["elements"]] == ["ask_route"]
    [m] = rb.answer_messages(a, routed=True, routed_text="責任者にお送りしました。")
    assert all(b["type"] != "actions" for b in m["blocks"])
    assert "責任者にお送りしました。" in m["blocks"][-1]["text"]["text"]


def test_reply_buttons_long_labels_many_buttons_and_oversized_values():
    buttons = [Button(f"選択肢{n}", "pick", str(n)) for n in range(30)] + [Button("長い" * 60, "long", "v")]
    msgs = rb.reply_messages(Reply("どれにしますか。", buttons))
    _assert_within_limits(msgs)
    blocks = _all_blocks(msgs)
    ids = [el["action_id"] for b in blocks for el in b.get("elements", []) if el.get("type") == "button"]
    assert len(ids) == 30 and len(set(ids)) == 30                            # unique ids in one message
    long_block = next(b for b in blocks if "accessory" in b)
    assert long_block["text"]["text"] == "長い" * 60                          # the whole label is shown
    with pytest.raises(ValueError):
        rb.reply_messages(Reply("x", [Button("ok", "a", "v" * 2001)]))


def test_home_view_within_a_hundred_blocks_says_what_is_hidden():
    home = {"title": "mamoru", "intro": "ようこそ。",
            "sections": [{"title": f"項目{n}", "text": f"内容{n}", "buttons": [Button("開く", "open", str(n))]}
                         for n in range(60)]}
    view = rb.home_view(home)
    assert view["type"] == "home" and len(view["blocks"]) == rb.MAX_VIEW_BLOCKS
    assert "表示しきれない項目" in view["blocks"][-1]["elements"][0]["text"]


def test_claims_are_atomic_across_connections(tmp_path):
    from storage import slack_events
    from storage.db import open_db

    path = tmp_path / "c.db"
    open_db(path)
    wins = []

    def claimer():
        wins.append(slack_events.claim(open_db(path), "event:EvSame", "event"))

    threads = [threading.Thread(target=claimer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    db = open_db(path)
    slack_events.release(db, "event:EvSame")
    assert slack_events.claim(db, "event:EvSame") is True


def test_manifest_matches_what_the_app_listens_to():
    """manifest.yml (pasted into Slack) subscribes to the events, command and scopes the app uses."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "manifest.yml").read_text(encoding="utf-8")

    def items(key: str) -> list[str]:
        m = re.search(rf"^(\s*){key}:\n((?:\1\s+- .+\n)+)", text, re.M)
        return [line.strip()[2:] for line in m.group(2).splitlines()] if m else []

    assert items("bot_events") == ["app_home_opened", "app_mention", "message.im"]
    assert {"app_mentions:read", "chat:write", "commands", "files:read", "files:write", "im:history", "im:write",
            "users:read", "users:read.email"} == set(items("bot"))
    # files:write: the incident report as a file; files:read: documents shared in the DM;
    # users:read.email: roster import by e-mail (users.lookupByEmail)
    assert "- command: /mamoru" in text
    assert re.search(r"^\s+socket_mode_enabled: true$", text, re.M)
    assert re.search(r"^\s+home_tab_enabled: true$", text, re.M) and re.search(r"^\s+is_enabled: true$", text, re.M)
    desc = re.search(r'^\s+long_description: "(.+)"$', text, re.M).group(1)
    assert 175 <= len(desc) <= 4000                      # Slack's bounds for the long description
