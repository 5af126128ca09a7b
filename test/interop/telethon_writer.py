"""Telethon as a live writer for the concurrency and backup interop tests, strictly OFFLINE
(no TelegramClient).

write PATH SECONDS: keeps updating a Telethon SQLiteSession as a running client does. Each round
  stores one new user and renames an older one through process_entities, sets the update state
  to pts = seq = number of entities stored, and save()s (one transaction), so a reader that sees
  pts != entity count saw half a transaction. Prints "ready" once the file exists, then a JSON
  summary with EVERY exception it met (a "database is locked" included).
read PATH...: opens (restored) sessions with Telethon and prints what each holds, as a JSON list.
"""
import datetime
import json
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
            users = [types.User(id=1000 + n, access_hash=n * 7919, first_name='u%d' % n, username='user%d' % n)]
            if n > 1:
                k = 1 + n // 2
                users.append(types.User(id=1000 + k, access_hash=k * 7919, first_name='renamed %d' % n, username='user%d' % k))
            s.process_entities(users)
            date = datetime.datetime.fromtimestamp(1700000000 + n, tz=datetime.timezone.utc)
            s.set_update_state(0, types.updates.State(pts=n, qts=0, date=date, seq=n, unread_count=0))
            s.save()
            rounds = n
        except Exception as e:  # every failure is reported, not only sqlite3 ones
            errors.append('%s: %s' % (type(e).__name__, e))
            try:
                s._conn.rollback()
            except Exception as e2:
                errors.append('rollback %s: %s' % (type(e2).__name__, e2))
        time.sleep(0.001)
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
