"""Telethon 1.x as an oracle for the interop tests, strictly OFFLINE.

Reads a JSON list of commands on stdin and prints a JSON list of results on stdout. It only
uses SQLiteSession / StringSession objects (never TelegramClient, never connect). 64-bit
integers travel as decimal strings, byte strings as hex.
"""
import datetime
import json
import sqlite3
import sys

from telethon.crypto import AuthKey
from telethon.sessions import SQLiteSession, StringSession
from telethon.tl import types


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)


def state_json(st):
    return {'pts': st.pts, 'qts': st.qts, 'date': st.date.timestamp(), 'seq': st.seq}


def tl_entities(spec):
    out = []
    for u in spec.get('users', []):
        out.append(types.User(
            id=int(u['id']), access_hash=int(u['access_hash']), username=u.get('username'),
            phone=u.get('phone'), first_name=u.get('first_name'), last_name=u.get('last_name'),
            bot=u.get('bot')))
    for c in spec.get('chats', []):
        out.append(types.Chat(
            id=int(c['id']), title=c['title'], photo=types.ChatPhotoEmpty(),
            participants_count=1, date=None, version=1))
    for c in spec.get('channels', []):
        out.append(types.Channel(
            id=int(c['id']), title=c['title'], photo=types.ChatPhotoEmpty(), date=None,
            access_hash=int(c['access_hash']), username=c.get('username'),
            megagroup=c.get('megagroup')))
    return out


def make_sqlite(cmd):
    s = SQLiteSession(cmd['path'])
    dc = cmd.get('dc')
    if dc:
        s.set_dc(dc['id'], dc['address'], dc['port'])
    if cmd.get('auth_key'):
        s.auth_key = AuthKey(bytes.fromhex(cmd['auth_key']))
    if cmd.get('takeout_id') is not None:
        s.takeout_id = int(cmd['takeout_id'])
    if cmd.get('self_id') is not None:
        # What Telethon >= 1.28 does in _save_states_and_entities: itself as id 0, hash = own id.
        s.process_entities(types.contacts.ResolvedPeer(
            None, [types.InputPeerUser(0, int(cmd['self_id']))], []))
    s.process_entities(tl_entities(cmd))
    st = cmd.get('state')
    if st:
        s.set_update_state(0, types.updates.State(st['pts'], st['qts'], utc(st['date']), st['seq'], 0))
    for ch in cmd.get('channel_pts', []):
        s.set_update_state(int(ch['id']), types.updates.State(ch['pts'], 0, utc(ch.get('date', 0)), 0, 0))
    s.save()
    rows = s._conn.execute('select id, date from entities').fetchall()
    s.close()
    return {'entity_dates': {str(i): d for i, d in rows}}


def input_peer_json(p):
    if isinstance(p, types.InputPeerUser):
        return {'type': 'user', 'id': str(p.user_id), 'hash': str(p.access_hash)}
    if isinstance(p, types.InputPeerChat):
        return {'type': 'chat', 'id': str(p.chat_id)}
    if isinstance(p, types.InputPeerChannel):
        return {'type': 'channel', 'id': str(p.channel_id), 'hash': str(p.access_hash)}
    return {'type': type(p).__name__}


def lookup(s, key):
    try:
        return input_peer_json(s.get_input_entity(key))
    except ValueError:
        return None


def read_sqlite(cmd):
    s = SQLiteSession(cmd['path'])
    out = {
        'version': s._execute('select version from version')[0],
        'dc_id': s.dc_id,
        'server_address': s.server_address,
        'port': s.port,
        'auth_key': s.auth_key.key.hex() if s.auth_key else None,
        'takeout_id': None if s.takeout_id is None else str(s.takeout_id),
        'state': None,
        'states': {},
        'by_id': {},
        'by_key': {},
    }
    st = s.get_update_state(0)
    if st:
        out['state'] = state_json(st)
    for eid, st in s.get_update_states():
        out['states'][str(eid)] = state_json(st)
    for key in cmd.get('ids', []):
        out['by_id'][key] = lookup(s, int(key))
    for key in cmd.get('keys', []):
        out['by_key'][key] = lookup(s, key)
    s.close()
    return out


def make_string(cmd):
    s = StringSession()
    s.set_dc(cmd['dc_id'], cmd['address'], cmd['port'])
    s.auth_key = AuthKey(bytes.fromhex(cmd['auth_key']))
    return {'string': s.save()}


def read_string(cmd):
    try:
        s = StringSession(cmd['string'])
    except Exception as e:  # the error class is part of the answer
        return {'error': type(e).__name__}
    return {
        'dc_id': s.dc_id,
        'server_address': s.server_address,
        'port': s.port,
        'auth_key': s.auth_key.key.hex() if s.auth_key else None,
    }


def schema(cmd):
    con = sqlite3.connect(cmd['path'])
    rows = con.execute("select type, name, sql from sqlite_master order by name").fetchall()
    con.close()
    return {'rows': [list(r) for r in rows]}


COMMANDS = {
    'make_sqlite': make_sqlite,
    'read_sqlite': read_sqlite,
    'make_string': make_string,
    'read_string': read_string,
    'schema': schema,
}


def main():
    commands = json.load(sys.stdin)
    json.dump([COMMANDS[c['cmd']](c) for c in commands], sys.stdout)


if __name__ == '__main__':
    main()
