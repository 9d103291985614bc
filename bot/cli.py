"""The `mamoru` command line: chat, ask, kb, start."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time


def _db():
    from knowledge import library
    from storage.db import open_db

    from bot.config import Settings

    db = open_db(Settings.from_env().db_path)
    library.ensure_builtin(db)
    return db


def _one_line(text: str | None) -> str:
    """A clause's text on one line of a listing (review tools read one clause per line)."""
    return " ".join((text or "").split("\n"))


def _hit_json(h) -> dict:
    return {"clause_id": h.clause_id, "text": h.text, "citation": h.citation, "source": h.source,
            "verdict": h.verdict, "score": h.score,
            "refers": [{"label": label, "text": text} for label, text in h.refers],
            "lead": {"label": h.lead[0], "text": h.lead[1]} if h.lead else None}


def _too_long(question: str) -> str | None:
    """The question cap of Slack and the chat (handlers.routing.MAX_QUESTION), said in Japanese."""
    from handlers.routing import MAX_QUESTION

    if len(question.strip()) <= MAX_QUESTION:
        return None
    return (f"質問が長すぎます（{len(question.strip()):,} 文字）。{MAX_QUESTION:,} 文字以内に"
            "まとめて、もう一度お尋ねください。")


def cmd_ask(args) -> int:
    from bot.render_text import answer_text
    from handlers import ask
    from handlers.routing import MAX_QUESTION

    db = _db()
    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            t0 = time.perf_counter()
            try:
                q = json.loads(line)
                if not isinstance(q, dict):
                    raise ValueError("not an object")
            except ValueError:
                print(json.dumps({"id": None, "found": False, "elapsed_ms": 0.0, "hits": [],
                                  "error": "JSON として読めない行です。"}, ensure_ascii=False), flush=True)
                continue
            too_long = _too_long(str(q.get("q") or ""))
            if too_long:   # this line only: the other lines are still answered
                print(json.dumps({"id": q.get("id"), "found": False, "elapsed_ms": 0.0, "hits": [],
                                  "error": too_long}, ensure_ascii=False), flush=True)
                continue
            a = ask.answer(db, str(q.get("q") or ""), source=q.get("source"), top=args.top)
            out = {"id": q.get("id"), "found": a.found, "elapsed_ms": round((time.perf_counter() - t0) * 1000, 2),
                   "hits": [_hit_json(h) for h in a.hits]}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question) if args.question else ""
    if not question and not sys.stdin.isatty():
        question = sys.stdin.read(MAX_QUESTION * 8 + 1)   # bounded: a stray file piped in is not read whole
    too_long = _too_long(question)
    if too_long:
        print(too_long, file=sys.stderr)
        return 2
    a = ask.answer(db, question, source=args.source, top=args.top)
    if args.json:
        print(json.dumps({"question": a.question, "found": a.found, "verdict": a.verdict,
                          "verdict_line": a.verdict_line, "message": a.message, "notes": a.notes,
                          "elapsed_ms": round(a.elapsed_ms, 2),
                          "hits": [_hit_json(h) | {"document": ask.document_name(h)} for h in a.hits]},
                         ensure_ascii=False, indent=2))
    else:
        print(answer_text(a))
    return 0


def cmd_chat(args) -> int:
    from bot import chat
    from storage import audit

    db = _db()
    audit.check_key(db, match=True)   # a wrong key would refuse every record the chat writes: say so now
    return chat.run(db, user_id=args.as_user)


def cmd_start(args) -> int:
    from bot.config import Settings

    s = Settings.from_env()
    if s.slack_configured:
        from bot.commands.serve import serve

        return serve(s, http=not s.app_token, port=args.port)
    print("Slack の認証情報（SLACK_BOT_TOKEN と SLACK_APP_TOKEN）が未設定のため、端末チャットで起動します。"
          "Slack への接続方法は README の「Slack につなぐ」をご覧ください。", file=sys.stderr)
    return cmd_chat(argparse.Namespace(as_user=args.as_user))


def cmd_kb(args) -> int:
    from knowledge import library
    from storage import kb as kb_store

    db = _db()
    if args.kb_cmd == "add":
        return _kb_add(db, args)
    if args.kb_cmd == "list":
        docs = kb_store.documents(db)
        if args.json:
            print(json.dumps([{k: d[k] for k in ("slug", "municipality", "title", "clause_count", "builtin", "loaded_at")}
                              for d in docs], ensure_ascii=False, indent=2))
        else:
            for d in docs:
                forms = len(kb_store.forms_of(db, d["slug"]))
                print(f"{d['slug']}\t{d['municipality'] or '-'}\t{d['title']}\t条項 {d['clause_count']} 件"
                      f"{f'、様式 {forms} 件' if forms else ''}{'（同梱）' if d['builtin'] else ''}")
        return 0
    if args.kb_cmd == "history":
        return _kb_history(db, args)
    if args.kb_cmd == "show":
        c = kb_store.clause(db, args.clause_id)
        if c is None:
            doc = kb_store.document(db, args.clause_id)
            if doc and args.json:  # the whole tree, for review
                print(json.dumps(_doc_json(db, doc), ensure_ascii=False, indent=2))
                return 0
            if doc:  # a document slug: list its clauses, then its forms
                for row in kb_store.clauses_of(db, doc["slug"]):
                    # one line per clause: a table row's cells are lines of its text (「…: ○」「－」)
                    print(f"{row['id']}\t{row['label']}\t{_one_line(row['text'])[:60]}")
                from handlers import forms

                for f in forms.forms_of(db, doc["slug"]):
                    # no tab: a form is not a clause, and review tools read tab-separated lines as clauses
                    print(f"様式 {f['id']}  {f['title']}")
                return 0
            from handlers import forms

            f = forms.get(db, args.clause_id)
            if f:
                print(forms.show_text(f))
                return 0
            print(f"条項「{args.clause_id}」は見つかりませんでした。`mamoru kb list` で文書を、"
                  f"`mamoru kb show 文書スラッグ` で条項の一覧を確認できます。", file=sys.stderr)
            return 1
        from bot import kb_show
        from knowledge import verdict as v

        if args.json:
            kb_show.print_json(kb_show.clause_json(db.conn, c["id"]))
            return 0
        why = kb_show.verdict_reason(db.conn, c)

        print(c["citation"])
        print(f"見出し: {' > '.join(c['heading']) or '-'}")
        print(f"種別: {v.LABELS.get(c['verdict'], c['verdict'])}（理由: {why}）")
        print(c["text"] or "（見出しのみ）")
        for ch in kb_store.children(db, c["id"]):
            print(f"  {ch['id']}\t{ch['label']}\t{_one_line(ch['text'])[:60]}")
        return 0
    if args.kb_cmd == "form":
        from handlers import forms

        f = forms.get(db, args.form_id)
        if f is None:
            print(f"様式「{args.form_id}」は見つかりませんでした。`mamoru kb show 文書スラッグ` で様式の一覧を確認できます。",
                  file=sys.stderr)
            return 1
        path = args.output or forms.filename(f)
        with open(path, "wb") as fh:
            fh.write(forms.docx(f))
        print(f"様式「{f['title']}」を {path} に書き出しました。", file=sys.stderr)
        return 0
    if args.kb_cmd == "remove":
        ok = kb_store.delete_document(db, args.slug)
        print(f"{args.slug}: {'削除しました' if ok else '登録されていません'}。")
        return 0 if ok else 1
    return 2


def _kb_add(db, args) -> int:
    from pathlib import Path

    from knowledge import library

    p = Path(args.file)
    try:
        if p.is_file() and p.stat().st_size > library.MAX_FILE_BYTES:
            raise library.LoadRefused(f"{p.name}: ファイルが大きすぎます（{p.stat().st_size / 1024 / 1024:.0f} MB、"
                                      f"上限 {library.MAX_FILE_BYTES // 1024 // 1024} MB）。"
                                      "特記事項の部分だけを別のファイルに分けてお試しください。")
        data = p.read_bytes()
        r = library.load_file(db, data, name=p.name, slug=args.slug, title=args.title,
                              municipality=args.municipality, dry_run=args.dry_run)
    except library.LoadRefused as e:
        print(f"読み込めませんでした: {e.message_ja}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"読み込めませんでした: ファイル「{args.file}」を開けません（{e.strerror or e}）。", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(r.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(r.lines_ja()))
    return 0


def _kb_history(db, args) -> int:
    """The texts a clause has had, so an answer or record made earlier can be read as it was cited."""
    import datetime as dt

    from bot.config import Settings
    from storage import kb as kb_store

    versions = kb_store.clause_versions(db, args.clause_id)
    if args.at:
        one = kb_store.clause_at(db, args.clause_id, args.at)
        versions = [one] if one else []
    if not versions:
        print(f"条項「{args.clause_id}」の記録はありません。`mamoru kb show 文書スラッグ` で条項の一覧を確認できます。",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(versions, ensure_ascii=False, indent=2))
        return 0
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(Settings.from_env().tz)
    for v in versions:
        at = dt.datetime.fromisoformat(v["loaded_at"]).astimezone(tz)
        print(f"{at:%Y年%m月%d日 %H:%M} に読み込んだ版: {v['citation']}")
        print(f"  {v['text'] or '（見出しのみ）'}")
    return 0


def _doc_json(db, doc: dict) -> dict:
    from storage import kb as kb_store

    clauses = [{"id": c["id"], "parent": c["parent_id"], "level": c["level"], "label": c["label"],
                "citation": c["citation"], "heading": c["heading"], "text": c["text"], "verdict": c["verdict"]}
               for c in kb_store.clauses_of_full(db, doc["slug"])]
    return {"slug": doc["slug"], "municipality": doc["municipality"], "title": doc["title"],
            "file_name": doc["file_name"], "loaded_at": doc["loaded_at"], "clauses": clauses,
            "forms": kb_store.forms_of(db, doc["slug"])}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mamoru", description="mamoru: 情報セキュリティ遵守事項のアシスタント")
    sub = p.add_subparsers(dest="cmd", required=True)

    a = sub.add_parser("ask", help="決まりについて質問する")
    a.add_argument("question", nargs="*")
    a.add_argument("--source", help="文書を絞る（スラッグ、自治体名、表題）")
    a.add_argument("--top", type=int, default=5)
    a.add_argument("--json", action="store_true")
    a.add_argument("--jsonl", action="store_true", help="標準入力の JSON 行を一問ずつ答える")
    a.set_defaults(func=cmd_ask)

    c = sub.add_parser("chat", help="端末でチャットする")
    c.add_argument("--as", dest="as_user", default="terminal", help="話し手の Slack ユーザー ID")
    c.set_defaults(func=cmd_chat)

    s = sub.add_parser("start", help="Slack の設定があれば serve、なければ端末チャット")
    s.add_argument("--as", dest="as_user", default="terminal")
    s.add_argument("--port", type=int, default=3000)
    s.set_defaults(func=cmd_start)

    k = sub.add_parser("kb", help="知識ベース（文書と条項）")
    ksub = k.add_subparsers(dest="kb_cmd", required=True)
    ka = ksub.add_parser("add", help="文書を読み込む（PDF、Word .docx、Excel .xlsx/.xlsm、Web ページ、テキスト、Markdown）")
    ka.add_argument("file")
    ka.add_argument("--title", help="表題（省略時は文書の表題）")
    ka.add_argument("--municipality")
    ka.add_argument("--slug")
    ka.add_argument("--dry-run", action="store_true", help="読み込まずに、読み込んだ場合の報告だけを表示する")
    ka.add_argument("--json", action="store_true", help="報告を JSON で出力する")
    kl = ksub.add_parser("list")
    kl.add_argument("--json", action="store_true")
    ks = ksub.add_parser("show")
    ks.add_argument("clause_id")
    ks.add_argument("--json", action="store_true")
    kf = ksub.add_parser("form", help="様式を記入用の Word ファイルに書き出す")
    kf.add_argument("form_id", help="様式の番号（例: hozen:form1、kb show 文書スラッグ で一覧）")
    kf.add_argument("--output", "-o")
    kh = ksub.add_parser("history", help="条項の文言の履歴（改訂前に引用された文言も）")
    kh.add_argument("clause_id")
    kh.add_argument("--at", help="この時点（ISO 8601）の文言だけを表示する")
    kh.add_argument("--json", action="store_true")
    kr = ksub.add_parser("remove")
    kr.add_argument("slug")
    k.set_defaults(func=cmd_kb)

    # Each capability registers its own subcommands: register(subparsers) in its module.
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


# Capability command groups, one module each (add one line per capability).
COMMAND_MODULES: list[str] = [
    "bot.commands.serve",
    "bot.commands.users",
    "bot.commands.notices",
    "bot.commands.gaps",
    "bot.commands.export",
    "bot.commands.checklists",
    "bot.commands.audit",
    "bot.commands.roster",
    "bot.commands.backup",
    "bot.commands.training",
    "bot.commands.incident",
    "bot.commands.report",
    "bot.commands.contract",
    "bot.commands.doctor",
]


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    argv = sys.argv[1:] if argv is None else argv
    # A review tool's `kb show ID --json` is answered before anything heavy is imported (bot/kb_show.py).
    from bot import kb_show

    done = kb_show.fast(argv)
    if done is not None:
        return done
    args = build_parser().parse_args(argv)
    # Everything mamoru writes (database, jobs store, backups, exports, reports) holds personal
    # records: owner-only files and folders, whatever the umask of the shell that started it.
    os.umask(0o077)
    from storage.auditkey import KeyError_

    try:
        return args.func(args)
    except KeyError_ as e:   # the audit key is missing, wrong or unreadable: how to fix it, in Japanese
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
