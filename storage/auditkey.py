"""The audit chain's key and its local witness: both kept outside the database file.

The chain (storage/audit.py) is an HMAC-SHA256 chain. Whoever holds only the database file (a
copy, a backup, the sqlite3 shell on the server without the key) cannot forge, edit or re-chain a
record without `mamoru audit verify` noticing: every link needs the key.

    MAMORU_AUDIT_KEY   the key file; default $XDG_CONFIG_HOME/mamoru/audit.key (~/.config/…),
                       i.e. NOT in the data folder, so a copy of that folder does not carry it.
                       Created on first start: 32 random bytes (hex), mode 0600, folder 0700.
    the witness        `<key file>.witness` next to it: one JSON line per witnessed head
                       ({"db", "seq", "hash", "at"}), appended by verify, backup, reports, purge and
                       the daily officer line. verify checks the latest head witnessed for this
                       database is still in the chain (deleting the newest records is seen).

Keep a copy of the key where backups are kept apart from the database (a backup is verified with
it). What someone holding BOTH the file and the key can still do is in docs/audit.md.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from pathlib import Path

_lock = threading.Lock()
_cache: dict[str, bytes] = {}


def key_path() -> Path:
    env = os.environ.get("MAMORU_AUDIT_KEY")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "mamoru" / "audit.key"


class KeyError_(RuntimeError):
    """The key file cannot be read or created (the message is Japanese, for the command line)."""


class KeyMissing(KeyError_):
    """A database already holds sealed records and its key file is absent. A new key is never made
    for it: records sealed with another key would break the chain, and deleting the key would let
    anyone re-key it."""


class KeyMismatch(KeyError_):
    """The key file is not the one this database's chain was sealed with: nothing is sealed with it."""


def have_key() -> bool:
    """The key is at hand: already read by this process, or its file exists."""
    p = key_path()
    return str(p) in _cache or p.exists()


def missing_message(db_file: str | None, records: int) -> str:
    p = key_path()
    where = f"データベース {db_file} " if db_file else "このデータベース"
    return (f"{where}には改ざん検知のために封印した記録が {records:,} 件ありますが、その鍵ファイル {p} が見つかりません。"
            "新しい鍵を作るとこれまでの記録の改ざん検知ができなくなるため、処理を中止しました（データベースは変更していません）。\n"
            f"別の場所に保管している鍵の控えを {p} に戻し（chmod 600 {p}）、もう一度実行してください。"
            "鍵を別の場所に置いている場合は、環境変数 MAMORU_AUDIT_KEY でその場所を指定してください。"
            "鍵を戻した後は `mamoru audit verify` で記録の連鎖を確認できます。"
            "鍵の控えが見つからない場合は、記録を書き込まずに情報セキュリティ対策責任者にご相談ください。")


def mismatch_message(key_id_now: str, key_id_chain: str) -> str:
    p = key_path()
    return (f"記録の連鎖の鍵 {p}（鍵ID {key_id_now}）が、このデータベースの記録を封印した鍵（鍵ID {key_id_chain}）と違うため、"
            "記録を書き込めません（データベースは変更していません）。"
            f"正しい鍵の控えを {p} に戻すか、環境変数 MAMORU_AUDIT_KEY で正しい鍵の場所を指定してください。")


def load_key(create: bool = True) -> bytes:
    """The key (cached per path); created with 0600 on first use when `create`."""
    p = key_path()
    k = str(p)
    with _lock:
        if k in _cache:
            return _cache[k]
        if not p.exists():
            if not create:
                raise KeyError_(f"記録の連鎖の鍵 {p} がありません（MAMORU_AUDIT_KEY で場所を指定できます）。")
            p.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.chmod(p.parent, 0o700)
            except OSError:
                pass
            try:
                fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                fd = None   # another process created it just now: read theirs
            if fd is not None:
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_hex(32) + "\n")
                    f.flush()
                    os.fsync(f.fileno())
        if (p.stat().st_mode & 0o077) != 0:
            os.chmod(p, 0o600)
        text = p.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise KeyError_(f"記録の連鎖の鍵 {p} の形式が正しくありません（64 桁の16進数）。") from None
        if len(key) < 16:
            raise KeyError_(f"記録の連鎖の鍵 {p} が短すぎます。")
        _cache[k] = key
        return key


def key_id(key: bytes) -> str:
    """Names the key without revealing it (stored in the database, shown by verify)."""
    return hmac.new(key, b"mamoru-audit-key-id", hashlib.sha256).hexdigest()[:16]


# ---- the local witness ----------------------------------------------------------------------

def witness_path() -> Path:
    return Path(str(key_path()) + ".witness")


def _db_name(db_file: str) -> str:
    return os.path.realpath(db_file)


def witness(db_file: str | None, seq: int, hash_hex: str, *, why: str) -> None:
    """Append one witnessed head for this database file (0600); ignored for in-memory databases."""
    if not db_file:
        return
    p = witness_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"db": _db_name(db_file), "seq": seq, "hash": hash_hex, "why": why,
                       "at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}) + "\n"
    fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def last_witnessed(db_file: str | None) -> dict | None:
    """The highest head witnessed for this database file, or None."""
    if not db_file:
        return None
    p = witness_path()
    if not p.exists():
        return None
    name, best = _db_name(db_file), None
    with open(p, encoding="utf-8") as f:
        for line in f:
            try:
                w = json.loads(line)
            except ValueError:
                continue
            if w.get("db") == name and (best is None or w.get("seq", 0) >= best["seq"]):
                best = w
    return best
