"""Terms for retrieval: Sudachi morphemes (normalised forms) and character bigrams.

A clause and a question go through the same functions, so "持出し" in one meets
"持ち出す" in the other, and "ぱそこん" meets "パソコン" through the reading.
"""
from __future__ import annotations

import threading

from sudachipy import Dictionary, SplitMode

from knowledge.textnorm import bigrams, hira_to_kata, nfkc

_local = threading.local()
_dict_lock = threading.Lock()
_dictionary = None

# Parts of speech that carry meaning for a rule question.
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "接頭辞", "接尾辞", "副詞"}
# Words present in nearly every question or clause, or in none usefully.
STOP_WORDS = frozenset(
    """
    する いる ある なる 居る 有る 成る 為る できる 出来る 良い いい よい 言う いう 思う 行う 行く 来る 下さる
    くださる ください もの 物 こと 事 とき 時 ため 為 場合 よう 様 方 ほう 上 中 等 など 者 これ それ あれ
    どれ どこ 何 なに なん 誰 いつ どう 如何 ちょっと 一寸 少し すこし 本当 ほんと 大丈夫 だめ 駄目 ダメ 必要
    教える 知る 分かる わかる 聞く 聞き 質問 お願い 願う 今 今日 まず 以下 以上 前項 次 各号 規定 定める
    乙 甲 本 当該 同様 もらう 貰う 頂く いただく みたい 感じ やつ 奴 ん の さん 的 性 化 お ご 御
    """.split()
)


def _tokenizer():
    global _dictionary
    tok = getattr(_local, "tok", None)
    if tok is None:
        with _dict_lock:
            if _dictionary is None:
                _dictionary = Dictionary()
        # Sudachi tokenizers are not shared across threads.
        tok = _local.tok = _dictionary.tokenizer(mode=SplitMode.C)
    return tok


_MAX_CHARS = 20000  # Sudachi input limit is by bytes; long inputs are cut in pieces.


def _morphemes(text: str):
    tok = _tokenizer()
    for start in range(0, len(text), 4000):
        piece = text[start : start + 4000]
        if piece.strip():
            yield from tok.tokenize(piece)


def analyse(text: str) -> tuple[list[str], str]:
    """(content words, katakana reading) of text, after normalisation."""
    words, reading, _ = _analyse(text)
    return words, reading


def _analyse(text: str) -> tuple[list[str], str, list[str]]:
    """(content words, katakana reading, the words among them that are only parts of a longer one)."""
    t = nfkc(text)[:_MAX_CHARS]
    words: list[str] = []
    parts: list[str] = []
    reading: list[str] = []
    for m in _morphemes(t):
        pos = m.part_of_speech()
        reading.append(m.reading_form() if pos[0] not in ("補助記号", "空白") else " ")
        if pos[0] not in _CONTENT_POS or pos[1] == "数詞":
            continue
        norm = nfkc(m.normalized_form())
        if not norm or norm in STOP_WORDS or m.dictionary_form() in STOP_WORDS:
            continue
        words.append(norm)
        # Long compounds ("電磁的記録媒体") also count by their parts.
        if len(m.surface()) > 3:
            for sub in m.split(SplitMode.A):
                s = nfkc(sub.normalized_form())
                spos = sub.part_of_speech()[0]
                if s != norm and spos in _CONTENT_POS and s not in STOP_WORDS and len(s) > 1:
                    words.append(s)
                    parts.append(s)
    return words, hira_to_kata("".join(reading)), parts


def clause_terms(text: str, context: str) -> dict[str, list[str]]:
    """Index terms of a clause: own words, bigrams, reading bigrams, context words."""
    words, reading = analyse(text)
    ctx_words, _ = analyse(context) if context else ([], "")
    return {"w": words, "b": bigrams(text), "r": bigrams(reading), "h": ctx_words}


def query_terms(text: str) -> dict[str, list[str]]:
    """A question's terms as clause_terms makes them, and p = the words only parts of a longer one (使う of 使い回す)."""
    words, reading, parts = _analyse(text)
    return {"w": words, "b": bigrams(text), "r": bigrams(reading), "h": list(words), "p": parts}
