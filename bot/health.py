"""Is this deployment healthy? The checks behind `mamoru doctor`, and the status `GET /healthz` serves.

Each check returns Check(level, title, detail, fix): level "ok", "warn" (worth knowing, nothing
broken) or "fail" (something to fix; doctor exits 1). Everything a person reads is Japanese;
nothing personal is read or shown (no names, no records): only settings, files, job ids and times.

    doctor_checks(settings, client=None) -> list[Check]
    healthz(db_path, scheduler) -> (http status, dict)       # small, fast, no personal data
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from storage import auditkey

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "manifest.yml"
BACKUP_MAX_AGE_HOURS = 36          # a daily backup, with a day's slack
DISK_FAIL_BYTES = 1 * 1024 ** 3
DISK_WARN_BYTES = 5 * 1024 ** 3
JOB_LATE_MINUTES = 15              # a job this far past its time: the scheduler is not running it


@dataclass
class Check:
    level: str       # ok | warn | fail
    title: str
    detail: str
    fix: str = ""


def _ok(title, detail):
    return Check("ok", title, detail)


def _warn(title, detail, fix=""):
    return Check("warn", title, detail, fix)


def _fail(title, detail, fix=""):
    return Check("fail", title, detail, fix)


def manifest_scopes(path: Path = MANIFEST) -> list[str]:
    """The bot scopes manifest.yml asks for (oauth_config.scopes.bot), read without a YAML library."""
    scopes, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s{4}bot:\s*$", line):
            inside = True
            continue
        if inside:
            m = re.match(r"^\s{6}-\s*([\w:.]+)\s*$", line)
            if m:
                scopes.append(m.group(1))
            elif line.strip():
                break
    return scopes


# ---- configuration ---------------------------------------------------------------------------

_INT_VARS = {"MAMORU_NOTICES_MINUTES": "通知の確認間隔（分）", "MAMORU_INCIDENT_ESCALATE_MINUTES": "事故のエスカレーション（分）",
             "MAMORU_BACKUP_KEEP": "バックアップの保持数"}


def config_checks(settings) -> list[Check]:
    out = []
    bad = []
    try:
        ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError):
        bad.append(f"MAMORU_TZ={settings.tz!r} はタイムゾーンとして読めません（例: Asia/Tokyo）")
    for var, what in _INT_VARS.items():
        raw = os.environ.get(var)
        if raw and not raw.strip().isdigit():
            bad.append(f"{var}={raw!r}（{what}）は整数ではありません")
    bt = os.environ.get("MAMORU_BACKUP_TIME")
    if bt and bt.strip().lower() != "off" and not re.match(r"^([01]?\d|2[0-3]):[0-5]\d$", bt.strip()):
        bad.append(f"MAMORU_BACKUP_TIME={bt!r} は HH:MM でも off でもありません")
    wd = os.environ.get("MAMORU_WEEKLY_DIGEST_TIME")
    if wd and wd.strip().lower() != "off" and not re.match(r"^([01]?\d|2[0-3]):[0-5]\d$", wd.strip()):
        bad.append(f"MAMORU_WEEKLY_DIGEST_TIME={wd!r} は HH:MM でも off でもありません")
    if os.environ.get("MAMORU_NOW"):
        bad.append(f"MAMORU_NOW={os.environ['MAMORU_NOW']!r} が設定されています（時計が止まります。デモと試験専用です）")
    if bad:
        out.append(_fail("設定", "、".join(bad) + "。", "環境変数を直してください（README の「Configuration」に一覧があります）。"))
    else:
        out.append(_ok("設定", f"環境変数に問題はありません（タイムゾーン {settings.tz}）。"))

    slack = []
    if not settings.bot_token:
        return out + [_fail("Slack の設定", "SLACK_BOT_TOKEN が設定されていません（このままでは端末チャットしか動きません）。",
                            "Slack アプリのボットトークン（xoxb-…）を SLACK_BOT_TOKEN に設定してください。"
                            "手順は docs/slack.md にあります。")]
    if not settings.bot_token.startswith("xoxb-"):
        slack.append("SLACK_BOT_TOKEN が xoxb- で始まっていません（ボットトークンではありません）")
    if settings.app_token and not settings.app_token.startswith("xapp-"):
        slack.append("SLACK_APP_TOKEN が xapp- で始まっていません（アプリレベルトークンではありません）")
    if not settings.app_token and not settings.signing_secret:
        slack.append("SLACK_APP_TOKEN（Socket Mode）も SLACK_SIGNING_SECRET（HTTP モード）もありません")
    if slack:
        return out + [_fail("Slack の設定", "、".join(slack) + "。",
                            "Slack アプリの設定画面（Basic Information / OAuth & Permissions）で値を確かめて設定し直してください。")]
    mode = "Socket Mode" if settings.app_token else "HTTP モード"
    return out + [_ok("Slack の設定", f"トークンが設定されています（{mode}）。")]


# ---- tokens and scopes -----------------------------------------------------------------------

def slack_checks(settings, client=None) -> list[Check]:
    if not settings.bot_token:
        return []
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.slack.send import make_client

    client = client or make_client(settings.bot_token, settings.api_url, timeout=10)
    out = []
    try:
        r = client.auth_test()
    except SlackApiError as e:
        err = e.response.get("error") if e.response is not None else str(e)
        return [_fail("ボットトークン", f"Slack がトークンを受け付けませんでした（auth.test: {err}）。",
                      "Slack アプリを再インストールし、新しいボットトークンを SLACK_BOT_TOKEN に設定してください。")]
    except (OSError, SlackClientError) as e:
        return [_fail("ボットトークン", f"Slack の Web API（{settings.api_url or 'https://slack.com/api/'}）に接続できませんでした"
                      f"（{type(e).__name__}）。", "ネットワーク（プロキシ、ファイアウォール）を確認してください。")]
    out.append(_ok("ボットトークン", f"有効です（ワークスペース {r.get('team') or r.get('team_id')}、ボット {r.get('user_id')}）。"))
    have = {s.strip() for s in (_header(r, "x-oauth-scopes") or "").split(",") if s.strip()}
    need = manifest_scopes()
    missing = [s for s in need if s not in have]
    if not have:
        out.append(_warn("権限（スコープ）", "Slack が付与済みの権限を返しませんでした（x-oauth-scopes がありません）。",
                         "OAuth & Permissions で manifest.yml の権限がすべて付いているか確かめてください。"))
    elif missing:
        out.append(_fail("権限（スコープ）", f"足りない権限があります: {'、'.join(missing)}。",
                         "Slack アプリの設定で manifest.yml を貼り直す（または OAuth & Permissions で追加する）と、"
                         "アプリの再インストールを求められます。再インストール後、新しいトークンを設定してください。"))
    else:
        out.append(_ok("権限（スコープ）", f"必要な権限 {len(need)} 件がすべて付いています。"))
    if settings.app_token:
        try:
            client.apps_connections_open(app_token=settings.app_token)
            out.append(_ok("アプリレベルトークン", "Socket Mode の接続を開けます。"))
        except SlackApiError as e:
            out.append(_fail("アプリレベルトークン", f"Socket Mode の接続を開けません（{e.response.get('error')}）。",
                             "Basic Information → App-Level Tokens で connections:write 付きのトークンを作り、"
                             "SLACK_APP_TOKEN に設定してください。Socket Mode が有効かも確かめてください。"))
        except (OSError, SlackClientError) as e:
            out.append(_fail("アプリレベルトークン", f"Slack に接続できませんでした（{type(e).__name__}）。",
                             "ネットワークを確認してください。"))
    return out


def _header(resp, name: str) -> str | None:
    for k, v in (getattr(resp, "headers", None) or {}).items():
        if k.lower() == name:
            return v[0] if isinstance(v, (list, tuple)) else v
    return None


# ---- files: database, key, backups, disk -----------------------------------------------------

def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _perm_problem(p: Path, what: str) -> str | None:
    m = _mode(p)
    if m & 0o007:
        return f"{what} {p} は誰でも読める権限です（{m:o}）"
    if m & 0o070:
        return f"{what} {p} はグループにも読める権限です（{m:o}）"
    return None


def database_checks(settings) -> list[Check]:
    from storage import migrations

    db = Path(settings.db_path)
    if not db.exists():
        return [_fail("データベース", f"{db} がありません。",
                      "`mamoru serve`（または一度 `mamoru contract list` など）を実行すると作成されます。"
                      "場所を変える場合は MAMORU_DB を設定してください。")]
    out = []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=5)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            quick = conn.execute("PRAGMA quick_check").fetchone()[0]
            try:
                done = {r[0] for r in conn.execute("SELECT id FROM _migrations")}
            except sqlite3.OperationalError:
                done = set()
        finally:
            conn.close()
    except sqlite3.Error as e:
        return [_fail("データベース", f"{db} に書き込めません（{e}）。",
                      "ファイルと親ディレクトリの所有者・権限、空き容量を確かめてください。")]
    size = db.stat().st_size
    if quick != "ok":
        out.append(_fail("データベース", f"整合性の確認で問題が見つかりました（{quick}）。",
                         "最新のバックアップから戻すことを検討してください（docs/operations.md）。"))
    else:
        out.append(_ok("データベース", f"{db}（{size / 1024 / 1024:.1f} MB）に書き込めます。整合性も問題ありません。"))
    probs = [x for x in (_perm_problem(db, "データベース"), _perm_problem(db.parent, "フォルダ")) if x]
    if probs:
        out.append(_fail("データベースの権限", "、".join(probs) + "。",
                         f"chmod 600 {db} ; chmod 700 {db.parent} （ボットを動かす利用者だけが読めるようにします）。"))
    else:
        out.append(_ok("データベースの権限", "ボットを動かす利用者だけが読めます。"))
    pending = [f"{mid} {name}" for mid, name, _ in migrations.MIGRATIONS if mid not in done]
    if pending:
        out.append(_warn("マイグレーション", f"未適用のものが {len(pending)} 件あります（{'、'.join(pending)}）。",
                         "`mamoru serve` の起動時に自動で適用されます。先にバックアップを取っておくと安心です。"))
    else:
        out.append(_ok("マイグレーション", f"すべて適用済みです（{len(migrations.MIGRATIONS)} 件）。"))
    return out


def team_checks(settings) -> list[Check]:
    """Workers whose lead is on none of their contracts: the lead receives their reasons, questions and
    incident alerts. mamoru refuses such a pair now; a database from before may hold some. Read only."""
    from handlers import people

    db = Path(settings.db_path)
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        pairs = people.leads_apart(sqlite_utils.Database(conn))
    except sqlite3.OperationalError:    # no people tables yet: nobody to check
        return []
    finally:
        conn.close()
    if not pairs:
        return [_ok("作業責任者の案件", "どの方の作業責任者も、ご本人と同じ案件にいます。")]
    names = "、".join(f"{w['name']}さん（{w['user_id']}、{'、'.join(w['contracts'])}）の作業責任者 {lead['name']}さん"
                     f"（{lead['user_id']}、{'、'.join(lead['contracts'])}）" for w, lead in pairs)
    return [_warn("作業責任者の案件", f"ご本人と別の案件の方が作業責任者になっています: {names}。作業責任者には理由・質問・"
                  "事故の報告が届くため、ほかの案件の情報がその方に届きます。",
                  f"同じ案件の作業責任者を指定し直してください（例: `mamoru users add {pairs[0][0]['user_id']} --lead "
                  "同じ案件の作業責任者のユーザーID`）。")]


def key_checks(settings) -> list[Check]:
    """The audit chain's key file (MAMORU_AUDIT_KEY, else ~/.config/mamoru/audit.key): present once
    records exist, and readable by the bot's user alone."""
    p = auditkey.key_path()
    if not p.exists():
        if Path(settings.db_path).expanduser().exists():
            return [_fail("記録の連鎖の鍵", f"鍵ファイル {p} がありません（記録の改ざん検知に必要です）。",
                          "鍵を置いた場所を MAMORU_AUDIT_KEY で指定するか、バックアップから元の場所に戻してください。")]
        return [_warn("記録の連鎖の鍵", f"鍵ファイル {p} はまだありません。",
                      "`mamoru serve` の初回起動で作成されます（権限 600）。作成後は別の場所にも控えを保管してください。")]
    prob = _perm_problem(p, "鍵ファイル")
    if prob:
        return [_fail("鍵ファイルの権限", prob + "。", f"chmod 600 {p}")]
    return [_ok("鍵ファイルの権限", f"{p} はボットを動かす利用者だけが読めます。")]


def disk_checks(settings) -> list[Check]:
    where = Path(settings.db_path).expanduser().parent
    while not where.exists() and where != where.parent:
        where = where.parent
    free = shutil.disk_usage(where).free
    gb = free / 1024 ** 3
    if free < DISK_FAIL_BYTES:
        return [_fail("空き容量", f"{where} の空きが {gb:.1f} GB しかありません。", "不要なファイルを消すか、ディスクを増やしてください。")]
    if free < DISK_WARN_BYTES:
        return [_warn("空き容量", f"{where} の空きは {gb:.1f} GB です。", "バックアップの保持数（MAMORU_BACKUP_KEEP）も含め、容量を見直してください。")]
    return [_ok("空き容量", f"{where} の空きは {gb:.1f} GB です。")]


def backup_checks(settings, now: _dt.datetime) -> list[Check]:
    from handlers import backups

    folder = Path(settings.backup_dir)
    keep_raw = os.environ.get("MAMORU_BACKUP_KEEP")
    last = backups.latest(folder)
    if last is None:
        return [_fail("バックアップ", f"{folder} にバックアップがまだありません。",
                      f"`mamoru serve` が毎日 {settings.backup_time} に取ります（MAMORU_BACKUP_TIME）。"
                      f"今すぐ取るには `mkdir -p -m 700 {folder} && mamoru backup {folder}/mamoru-{now:%Y%m%d-%H%M%S}.db"
                      f" && chmod 600 {folder}/mamoru-*.db` を実行してください。")]
    path, when = last
    age = now - when
    hours = age.total_seconds() / 3600
    out = []
    if hours > BACKUP_MAX_AGE_HOURS:
        out.append(_fail("バックアップ", f"最新のバックアップは {hours:.0f} 時間前（{path.name}）です。",
                         "`mamoru serve` とスケジューラが動いているか、ログの「daily backup」を確かめてください。"))
    else:
        n = len(backups.backups(folder))
        out.append(_ok("バックアップ", f"最新は {hours:.1f} 時間前（{path.name}）、{n} 世代を保管しています"
                                      f"（保持数 {settings.backup_keep}{'' if keep_raw else '、既定'}）。"))
    probs = [x for x in (_perm_problem(folder, "バックアップのフォルダ"), _perm_problem(path, "バックアップ")) if x]
    if probs:
        out.append(_fail("バックアップの権限", "、".join(probs) + "。", f"chmod 700 {folder} ; chmod 600 {folder}/mamoru-*.db"))
    return out


# ---- the scheduler ---------------------------------------------------------------------------

def scheduler_checks(settings, now: _dt.datetime) -> list[Check]:
    from bot import scheduler as sched

    jobs_db = sched.jobs_db_path(settings.db_path)
    expected = {sched.JOB_ID: "通知", sched.URGENT_JOB_ID: "緊急の通知"}
    if sched.backup_time() is not None:
        expected[sched.BACKUP_JOB_ID] = "毎日のバックアップ"
    if not jobs_db.exists():
        return [_fail("スケジューラ", f"ジョブの保存先 {jobs_db} がありません（`mamoru serve` がまだ一度も起動していません）。",
                      "`mamoru serve` を起動してください（常駐させるには docs/mamoru.service）。")]
    try:
        conn = sqlite3.connect(f"file:{jobs_db}?mode=ro", uri=True, timeout=5)
        try:
            rows = {r[0]: r[1] for r in conn.execute("SELECT id, next_run_time FROM apscheduler_jobs")}
        finally:
            conn.close()
    except sqlite3.Error as e:
        return [_fail("スケジューラ", f"ジョブの保存先 {jobs_db} を読めません（{e}）。", "ファイルの権限を確かめてください。")]
    missing = [f"{label}（{jid}）" for jid, label in expected.items() if jid not in rows]
    late = []
    for jid, label in expected.items():
        t = rows.get(jid)
        if t is not None and _dt.datetime.now().timestamp() - float(t) > JOB_LATE_MINUTES * 60:   # the real clock
            late.append(f"{label}（予定 {_dt.datetime.fromtimestamp(float(t), now.tzinfo):%m/%d %H:%M}）")
    if missing:
        return [_fail("スケジューラ", f"登録されていないジョブがあります: {'、'.join(missing)}。",
                      "`mamoru serve` を再起動すると登録されます。")]
    if late:
        return [_fail("スケジューラ", f"予定の時刻を過ぎても実行されていないジョブがあります: {'、'.join(late)}。"
                      "スケジューラが動いていない可能性があります。",
                      "`mamoru serve` が起動しているか（--no-scheduler でないか）確かめてください。")]
    return [_ok("スケジューラ", f"ジョブ {len(expected)} 件が登録され、予定どおりです（{jobs_db}）。")]


# ---- together --------------------------------------------------------------------------------

def doctor_checks(settings, client=None, now: _dt.datetime | None = None) -> list[Check]:
    from handlers import workdays

    now = workdays.local(now or workdays.now())
    out: list[Check] = []
    for title, run in (("設定", lambda: config_checks(settings)), ("Slack", lambda: slack_checks(settings, client)),
                       ("データベース", lambda: database_checks(settings)), ("作業責任者の案件", lambda: team_checks(settings)),
                       ("鍵ファイル", lambda: key_checks(settings)),
                       ("スケジューラ", lambda: scheduler_checks(settings, now)), ("空き容量", lambda: disk_checks(settings)),
                       ("バックアップ", lambda: backup_checks(settings, now))):
        try:
            out += run()
        except Exception as e:  # noqa: BLE001 - one check that cannot run is a finding, not a traceback
            out.append(_fail(title, f"点検を実行できませんでした（{type(e).__name__}: {e}）。",
                             "表示された内容を管理者にお伝えください。"))
    return out


def doctor_text(checks: list[Check], now: _dt.datetime) -> str:
    from handlers import workdays

    marks = {"ok": "[OK]    ", "warn": "[注意]  ", "fail": "[要対応]"}
    lines = [f"mamoru doctor（{workdays.format_jst(now)} 時点）"]
    for c in checks:
        lines.append(f"{marks[c.level]} {c.title}: {c.detail}")
        if c.fix and c.level != "ok":
            lines.append(f"          → {c.fix}")
    fails = sum(c.level == "fail" for c in checks)
    warns = sum(c.level == "warn" for c in checks)
    lines.append(f"結果: 要対応 {fails} 件、注意 {warns} 件。" if fails or warns else "結果: 問題はありません。")
    return "\n".join(lines)


def healthz(db_path: Path, scheduler) -> tuple[int, dict]:
    """What `GET /healthz` answers: the scheduler alive (when this process runs one) and the
    database writable. 200 when both hold, else 503. No names, no records, no paths."""
    from handlers import workdays

    body: dict = {"status": "ok", "time": workdays.iso()}
    if scheduler is None:
        body["scheduler"] = "off"
    else:
        running = bool(getattr(scheduler, "running", False))
        body["scheduler"] = "running" if running else "stopped"
        if running:
            late = [j.id for j in scheduler.get_jobs()
                    if j.next_run_time and (_dt.datetime.now(_dt.timezone.utc) - j.next_run_time).total_seconds()
                    > JOB_LATE_MINUTES * 60]
            if late:
                body["scheduler"] = "late"
                body["late_jobs"] = late
    try:
        conn = sqlite3.connect(str(db_path), timeout=2)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            body["database"] = "writable"
        finally:
            conn.close()
    except sqlite3.Error:
        body["database"] = "error"
    healthy = body["database"] == "writable" and body["scheduler"] in ("running", "off")
    body["status"] = "ok" if healthy else "error"
    return (200 if healthy else 503), body
