/**
 * Private PostgreSQL and Redis servers for tests: each in a temporary folder, on a free
 * loopback port, with a password, stopped and deleted by `stop`. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user (Debian's package creates it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_PASSWORD = 'test-Pa55word';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  return join(root, version, 'bin', name);
}

export const hasPostgres = (): boolean => {
  try {
    return existsSync(pgBin('initdb'));
  } catch {
    return false;
  }
};
export const hasRedis = (): boolean => existsSync('/usr/bin/redis-server');

export interface PgServer {
  port: number;
  /** postgresql://sd:<password>@127.0.0.1:<port>/<db> */
  url(db?: string): string;
  /** Runs SQL as the superuser through psql (for setting up fixtures). */
  psql(sql: string, db?: string): string;
  stop(): void;
}

export async function startPostgres(): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  chmodSync(dir, 0o700);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, SERVER_PASSWORD);
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  const run = (bin: string, args: string[]) =>
    execFileSync(pgBin(bin), args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, ...(ids ? { uid: ids.uid, gid: ids.gid } : {}) }).toString();
  run('initdb', ['-D', data, '-U', 'sd', '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const env = { ...process.env, PGPASSWORD: SERVER_PASSWORD };
  return {
    port,
    url: (db = 'postgres') => `postgresql://sd:${encodeURIComponent(SERVER_PASSWORD)}@127.0.0.1:${port}/${db}`,
    psql: (sql, db = 'postgres') =>
      execFileSync(pgBin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'sd', '-d', db, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { env }).toString(),
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface RedisServer {
  port: number;
  /** redis://:<password>@127.0.0.1:<port>/<db> */
  url(db?: number): string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', SERVER_PASSWORD],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: (db = 0) => `redis://:${encodeURIComponent(SERVER_PASSWORD)}@127.0.0.1:${port}/${db}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}
