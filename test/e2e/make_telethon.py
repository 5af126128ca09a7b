"""Telethon-made fixtures for the e2e tests, OFFLINE (sessions only, never a client).

usage: make_telethon.py <out_dir> <big_peer_count>
Writes alice.session (a few entities, update state), big.session (many entities, its own key) and prints
one JSON line with Telethon StringSessions: one for the import test, one of alice.session
(what an export of alice.session as telethon-string must give).
"""
import datetime
import json
import os
import sys

from telethon.crypto import AuthKey
from telethon.sessions import SQLiteSession, StringSession
from telethon.tl import types

out, big = sys.argv[1], int(sys.argv[2])
key = AuthKey(bytes((i * 7 + 3) % 256 for i in range(256)))

s = SQLiteSession(os.path.join(out, 'alice.session'))
s.set_dc(2, '149.154.167.51', 443)
s.auth_key = key
s.process_entities(types.contacts.ResolvedPeer(peer=None, chats=[
    types.Channel(id=1234567890, title='Deck News', photo=types.ChatPhotoEmpty(), date=None,
                  access_hash=-77777777777, username='decknews'),
    types.Chat(id=4242, title='Old group', photo=types.ChatPhotoEmpty(), participants_count=2,
               date=None, version=1),
], users=[
    types.User(id=777000, access_hash=111, first_name='Telegram', phone='42777'),
    types.User(id=99887766, access_hash=-5555, username='alice_friend', first_name='Bob',
               last_name='Smith', phone='15550001111'),
]))
s.set_update_state(0, types.updates.State(
    pts=1234, qts=56, date=datetime.datetime.fromtimestamp(1767225600, tz=datetime.timezone.utc),
    seq=78, unread_count=0))
s.set_update_state(1234567890, types.updates.State(
    pts=999, qts=0, date=datetime.datetime.fromtimestamp(1767225600, tz=datetime.timezone.utc),
    seq=0, unread_count=0))
s.save()
alice_string = StringSession.save(s)
s.close()

# Its own key: a login of its own, not a duplicate of alice.session.
big_key = AuthKey(bytes((i * 5 + 1) % 256 for i in range(256)))
b = SQLiteSession(os.path.join(out, 'big.session'))
b.set_dc(4, '149.154.167.91', 443)
b.auth_key = big_key
users = [types.User(id=10_000_000 + i, access_hash=i * 31 + 1, username=f'peer{i}',
                    first_name=f'Person {i}', phone=f'1555{i:07d}') for i in range(big)]
# Telethon's own entity writer, in chunks (one call per chunk keeps memory modest).
for i in range(0, big, 5000):
    b.process_entities(types.contacts.ResolvedPeer(peer=None, chats=[], users=users[i:i + 5000]))
b.save()
b.close()

ss = StringSession()
ss.set_dc(5, '91.108.56.130', 443)
ss.auth_key = key
print(json.dumps({'telethonString': ss.save(), 'aliceString': alice_string, 'authKeyHex': key.key.hex(),
                  'bigKeyHex': big_key.key.hex()}))
