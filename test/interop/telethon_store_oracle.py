"""Telethon 1.x with the two community session stores, as oracles, strictly OFFLINE.

telethon-session-sqlalchemy and telethon-session-redis are not packaged for Debian, so this
file restates, in a few lines each, what their session classes do on top of Telethon's own
MemorySession (tulir/telethon-session-sqlalchemy alchemysession/sqlalchemy.py and orm.py;
ezdev128/telethon-session-redis teleredis/teleredis.py): the same tables through SQLAlchemy
(python3-sqlalchemy, psycopg2 for PostgreSQL), the same keys and JSON values through
python3-redis. Telethon itself turns TL objects into entity rows and answers the lookups.
Commands come as JSON on stdin (the format of telethon_oracle.py); answers go to stdout.
"""
import base64
import datetime
import json
import sys

import redis
import sqlalchemy as sql
from sqlalchemy import BigInteger, Column, Integer, LargeBinary, String, orm
from sqlalchemy.ext.declarative import declarative_base
from telethon.crypto import AuthKey
from telethon.sessions.memory import MemorySession
from telethon.tl import types

from telethon_oracle import lookup, state_json, tl_entities, utc


# --- telethon-session-sqlalchemy: AlchemySessionContainer + AlchemySession (ORM mode) ---

def alchemy_tables(prefix):
    base = declarative_base()

    class Version(base):
        __tablename__ = prefix + 'version'
        version = Column(Integer, primary_key=True)

    class Session(base):
        __tablename__ = prefix + 'sessions'
        session_id = Column(String(255), primary_key=True)
        dc_id = Column(Integer, primary_key=True)
        server_address = Column(String(255))
        port = Column(Integer)
        auth_key = Column(LargeBinary)

    class Entity(base):
        __tablename__ = prefix + 'entities'
        session_id = Column(String(255), primary_key=True)
        id = Column(BigInteger, primary_key=True)
        hash = Column(BigInteger, nullable=False)
        username = Column(String(32))
        phone = Column(BigInteger)
        name = Column(String(255))

    class SentFile(base):
        __tablename__ = prefix + 'sent_files'
        session_id = Column(String(255), primary_key=True)
        md5_digest = Column(LargeBinary, primary_key=True)
        file_size = Column(Integer, primary_key=True)
        type = Column(Integer, primary_key=True)
        id = Column(BigInteger)
        hash = Column(BigInteger)

    class UpdateState(base):
        __tablename__ = prefix + 'update_state'
        session_id = Column(String(255), primary_key=True)
        entity_id = Column(BigInteger, primary_key=True)
        pts = Column(BigInteger)
        qts = Column(BigInteger)
        date = Column(BigInteger)
        seq = Column(BigInteger)
        unread_count = Column(Integer)

    return base, Version, Session, Entity, UpdateState


class AlchemyOracle(MemorySession):
    """What AlchemySession does: one sessions row per session id, entities merged by id."""

    def __init__(self, url, prefix, session_id):
        super().__init__()
        self.engine = sql.create_engine(url)
        base, self.Version, self.Session, self.Entity, self.UpdateState = alchemy_tables(prefix)
        self.db = orm.sessionmaker(bind=self.engine)()
        if not sql.inspect(self.engine).has_table(self.Version.__tablename__):
            base.metadata.create_all(self.engine)
            self.db.add(self.Version(version=2))
            self.db.commit()
        self.session_id = session_id
        rows = self.db.query(self.Session).filter(self.Session.session_id == session_id).all()
        if rows:
            self._dc_id, self._server_address, self._port = rows[0].dc_id, rows[0].server_address, rows[0].port
            self._auth_key = AuthKey(data=rows[0].auth_key)

    def _update_session_table(self):
        self.db.query(self.Session).filter(self.Session.session_id == self.session_id).delete()
        self.db.merge(self.Session(session_id=self.session_id, dc_id=self._dc_id, server_address=self._server_address,
                                   port=self._port, auth_key=self._auth_key.key if self._auth_key else b''))

    def set_dc(self, dc_id, server_address, port):
        super().set_dc(dc_id, server_address, port)
        self._update_session_table()

    @MemorySession.auth_key.setter
    def auth_key(self, value):
        self._auth_key = value
        self._update_session_table()

    def process_entities(self, tlo):
        for row in self._entities_to_rows(tlo):
            self.db.merge(self.Entity(session_id=self.session_id, id=row[0], hash=row[1], username=row[2], phone=row[3], name=row[4]))

    def set_update_state(self, entity_id, state):
        self.db.merge(self.UpdateState(session_id=self.session_id, entity_id=entity_id, pts=state.pts, qts=state.qts,
                                       date=state.date.timestamp(), seq=state.seq, unread_count=state.unread_count))

    def get_update_state(self, entity_id):
        row = self.db.query(self.UpdateState).get((self.session_id, entity_id))
        if row:
            return types.updates.State(row.pts, row.qts, datetime.datetime.utcfromtimestamp(row.date), row.seq, row.unread_count)
        return None

    def _entity(self, *where):
        row = self.db.query(self.Entity).filter(self.Entity.session_id == self.session_id, *where).one_or_none()
        return (row.id, row.hash) if row else None

    def get_entity_rows_by_phone(self, key):
        return self._entity(self.Entity.phone == key)

    def get_entity_rows_by_username(self, key):
        return self._entity(self.Entity.username == key)

    def get_entity_rows_by_name(self, key):
        return self._entity(self.Entity.name == key)

    def get_entity_rows_by_id(self, key, exact=True):
        if exact:
            return self._entity(self.Entity.id == key)
        ids = (key, -key, -(1000000000000 + key))
        return self._entity(self.Entity.id.in_(ids))

    def save(self):
        self.db.commit()


# --- telethon-session-redis: RedisSession with the JSON pack functions ---

class RedisOracle(MemorySession):
    """What RedisSession does: `{hive}:{name}:sessions:{dc}` and `…:entities:{id}` JSON values."""

    def __init__(self, url, hive, name):
        super().__init__()
        self.r = redis.StrictRedis.from_url(url)
        self.prefix = '{}:{}'.format(hive, name)
        keys = [k.decode() for k in self.r.keys(self.prefix + ':sessions:*')]
        if keys:
            s = json.loads(self.r.get(keys[-1]))
            self._dc_id, self._server_address, self._port = s['dc_id'], s['server_address'], s['port']
            self._auth_key = AuthKey(data=base64.standard_b64decode(s['auth_key']))

    def _update_sessions(self):
        if not self._dc_id:
            return
        value = {'dc_id': self._dc_id, 'server_address': self._server_address, 'port': self._port,
                 'auth_key': base64.standard_b64encode(self._auth_key.key if self._auth_key else b'').decode()}
        self.r.set('{}:sessions:{}'.format(self.prefix, self._dc_id), json.dumps(value))

    def set_dc(self, dc_id, server_address, port):
        super().set_dc(dc_id, server_address, port)
        self._update_sessions()

    @MemorySession.auth_key.setter
    def auth_key(self, value):
        self._auth_key = value
        self._update_sessions()

    def process_entities(self, tlo):
        # RedisSession keeps every row it is given under its own key (one call per entity here).
        for row in self._entities_to_rows(tlo):
            value = {'id': row[0], 'hash': row[1], 'username': row[2], 'phone': row[3], 'name': row[4]}
            self.r.set('{}:entities:{}'.format(self.prefix, row[0]), json.dumps(value))

    def _all_entities(self):
        return [json.loads(self.r.get(k)) for k in self.r.keys(self.prefix + ':entities:*')]

    def _find(self, field, key):
        for e in self._all_entities():
            if e.get(field) == key:
                return e['id'], e['hash']
        return None

    def get_entity_rows_by_phone(self, key):
        return self._find('phone', key)

    def get_entity_rows_by_username(self, key):
        return self._find('username', key)

    def get_entity_rows_by_name(self, key):
        return self._find('name', key)

    def get_entity_rows_by_id(self, key, exact=True):
        if exact:
            v = self.r.get('{}:entities:{}'.format(self.prefix, key))
            return (key, json.loads(v)['hash']) if v else None
        ids = (key, -key, -(1000000000000 + key))
        for e in self._all_entities():
            if e['id'] in ids:
                return e['id'], e['hash']
        return None


def open_store(cmd):
    if cmd['kind'] == 'alchemy':
        return AlchemyOracle(cmd['url'], cmd.get('prefix', ''), cmd['session_id'])
    return RedisOracle(cmd['url'], cmd.get('hive', 'telethon:client'), cmd['session_id'])


def make_store(cmd):
    s = open_store(cmd)
    dc = cmd['dc']
    s.set_dc(dc['id'], dc['address'], dc['port'])
    s.auth_key = AuthKey(bytes.fromhex(cmd['auth_key']))
    if cmd.get('self_id') is not None:
        # What Telethon >= 1.28 does in _save_states_and_entities: itself as id 0, hash = own id.
        s.process_entities(types.contacts.ResolvedPeer(None, [types.InputPeerUser(0, int(cmd['self_id']))], []))
    s.process_entities(tl_entities(cmd))
    st = cmd.get('state')
    if st and cmd['kind'] == 'alchemy':
        s.set_update_state(0, types.updates.State(st['pts'], st['qts'], utc(st['date']), st['seq'], 0))
    s.save()
    return {}


def read_store(cmd):
    s = open_store(cmd)
    out = {
        'dc_id': s.dc_id,
        'server_address': s.server_address,
        'port': s.port,
        'auth_key': s.auth_key.key.hex() if s.auth_key else None,
        'state': None,
        'by_id': {key: lookup(s, int(key)) for key in cmd.get('ids', [])},
        'by_key': {key: lookup(s, key) for key in cmd.get('keys', [])},
    }
    if cmd['kind'] == 'alchemy':
        st = s.get_update_state(0)
        if st:
            out['state'] = state_json(st)
    return out


COMMANDS = {'make_store': make_store, 'read_store': read_store}


def main():
    commands = json.load(sys.stdin)
    json.dump([COMMANDS[c['cmd']](c) for c in commands], sys.stdout)


if __name__ == '__main__':
    main()
