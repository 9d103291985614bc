"""A link in a message: passed on alone it is not a question; inside one, its host names the service,
and its 「https」 is not the asker talking about encrypted connections."""
import json

import pytest

from conftest import run_mamoru
from handlers import smalltalk
from knowledge.textnorm import without_links


@pytest.mark.parametrize("text", ["https://example.com/a.pdf", "https://example.com/a.pdf これ見て",
                                  "<https://www.city.example.lg.jp/kurashi/123.html|市のページ>", "参考まで→ https://a.example/c",
                                  "これ見てください https://x.example.lg.jp/a?b=1"])
def test_a_link_passed_on_gets_a_reply_saying_links_are_not_opened(text):
    assert smalltalk.reply(text) == smalltalk.LINK


def test_a_question_with_a_link_is_searched_on_its_words_and_the_hosts_name():
    assert smalltalk.reply("https://drive.google.com/xyz に市のデータ置いていい？") is None
    assert without_links("https://drive.google.com/file/d/1/view に置いていい？").split() == ["drive", "google", "に置いていい？"]
    assert without_links("<https://www.dropbox.com/s/x|共有フォルダ>に入れた") .split() == ["dropbox", "共有フォルダ", "に入れた"]
    assert without_links("httpsで送れば大丈夫？") == "httpsで送れば大丈夫？"


def test_a_bare_link_is_not_answered_with_the_rule_on_encrypted_connections(db_path):
    lines = ["https://example.com/a.pdf", "このURL開いても大丈夫？ https://example.com/a.pdf", "httpsで送れば大丈夫？"]
    r = run_mamoru(["ask", "--jsonl"], db_path, input="".join(json.dumps({"q": q}, ensure_ascii=False) + "\n" for q in lines))
    assert r.returncode == 0, r.stderr
    link, with_link, typed = [json.loads(l) for l in r.stdout.splitlines()]
    # before: 【義務】 from 「ネットワークに使用する回線について、伝送途上に…」 for both
    assert not link["found"] and not with_link["found"]
    assert typed["found"] and "伝送途上" in typed["hits"][0]["text"]   # the person's own 「https」 still counts


@pytest.mark.parametrize("text", [":+1:", ":pray::skin-tone-2:", " :ok_hand: "])
def test_an_emoji_as_slack_writes_it_is_not_a_question(text):
    # Slack sends 👍 as 「:+1:」 in the message text: it was searched, declined and offered to the lead
    assert smalltalk.reply(text) == smalltalk.STRAY


def test_emoji_codes_around_a_question_are_not_its_words():
    from knowledge.textnorm import without_emoji_codes

    assert smalltalk.reply("ありがとう:pray:") == smalltalk.THANKS
    assert without_emoji_codes(":sweat_smile: USBメモリ使っていい？:pray:").split() == ["USBメモリ使っていい？"]
    assert without_emoji_codes("10:30:00に送った") == "10:30:00に送った"
