"""Telethon as a live writer for the backup interop test, strictly OFFLINE (no TelegramClient).

write PATH SECONDS: keeps updating a Telethon SQLiteSession like a running client does: each
  round stores one more user through process_entities, sets the update state to pts = round and
  save()s (one transaction). Prints "ready" once the file exists, then a JSON summary, including
  every sqlite3 error it saw.
read PATH...: opens (restored) sessions with Telethon and prints what each holds, as a JSON list.
"""
import datetime
import json
import sqlite3
import sys
import time

from telethon.crypto import AuthKey
from telethon.sessions import SQLiteSession
from telethon.tl import types


def write(path, seconds):
    s = SQLiteSession(path)
    s.set_dc(2, '149.154.167.51', 443)
    s.auth_key = AuthKey(bytes(range(256)))
    s.save()
    print('ready', flush=True)
    rounds, errors = 0, []
    deadline = time.time() + seconds
    while time.time() < deadline:
        n = rounds + 1
        try:
            user = types.User(id=1000 + n, access_hash=n * 7919, first_name='u%d' % n)
            s.process_entities([user])
            date = datetime.datetime.fromtimestamp(1700000000 + n, tz=datetime.timezone.utc)
            s.set_update_state(0, types.updates.State(pts=n, qts=n, date=date, seq=n, unread_count=0))
            s.save()
            rounds = n
        except sqlite3.Error as e:
            errors.append(str(e))
            s._conn.rollback()
        time.sleep(0.002)
    s.close()
    print(json.dumps({'rounds': rounds, 'errors': errors}), flush=True)


def read(path):
    s = SQLiteSession(path)
    state = s.get_update_state(0)
    c = s._cursor()
    count, lo, hi = c.execute('select count(*), min(id), max(id) from entities').fetchone()
    check = c.execute('pragma integrity_check').fetchone()[0]
    c.close()
    out = {
        'dc': s.dc_id, 'server': s.server_address, 'port': s.port,
        'authKeyOk': s.auth_key is not None and s.auth_key.key == bytes(range(256)),
        'pts': state.pts if state else None, 'seq': state.seq if state else None,
        'entities': count, 'minId': lo, 'maxId': hi, 'integrity': check,
    }
    s.close()
    return out


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2], float(sys.argv[3]))
    else:
        print(json.dumps([read(p) for p in sys.argv[2:]]))
