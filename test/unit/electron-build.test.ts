/**
 * The Electron build's core worker, without Electron (no binary here): `electron-vite build`
 * into a scratch folder inside the project (so its npm packages resolve), then the built
 * `main/core-worker.js` started in a plain worker thread and driven with the host protocol:
 * it answers a request, and calls the host back for a native dialog.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../electron/services/core-worker/protocol.js';
import { tempDir } from '../helpers/format-io.js';

const out = join(process.cwd(), 'test-results', `electron-build-${process.pid}`);
const data = tempDir('sd-electron-build-');
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the Electron build', () => {
  it('bundles the core worker beside the main process, and it answers and calls the host back', { timeout: 120_000 }, async () => {
    execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out, '--logLevel', 'error'], { stdio: 'pipe' });
    const script = join(out, 'main', 'core-worker.js');
    expect(existsSync(script)).toBe(true);
    expect(readFileSync(join(out, 'main', 'index.js'), 'utf8')).toContain('core-worker.js');

    const worker = new Worker(pathToFileURL(script));
    const messages: FromWorker[] = [];
    const next = (type: FromWorker['type']) =>
      new Promise<FromWorker>((resolve, reject) => {
        const found = messages.findIndex((m) => m.type === type);
        if (found >= 0) return resolve(messages.splice(found, 1)[0]!);
        const timer = setTimeout(() => reject(new Error(`no ${type} from the worker`)), 20_000);
        const on = (m: FromWorker) => {
          if (m.type !== type) return messages.push(m);
          clearTimeout(timer);
          worker.off('message', on);
          resolve(m);
        };
        worker.on('message', on);
      });
    const send = (m: ToWorker) => worker.postMessage(m);
    try {
      send({ type: 'init', platform: { mode: 'electron', appDataDir: data, version: '9.9.9', powers: ['openDialog'] }, folders: [] });
      expect(await next('ready')).toEqual({ type: 'ready' });
      send({ type: 'request', id: 1, channel: 'app.info', payload: {} });
      expect(await next('reply')).toMatchObject({ id: 1, envelope: { ok: true, data: { mode: 'electron', version: '9.9.9', appDataDir: data } } });
      send({ type: 'request', id: 2, channel: 'dialog.open', payload: { kind: 'folder' } });
      const call = await next('hostCall');
      expect(call).toMatchObject({ method: 'openDialog', args: ['folder'] });
      send({ type: 'hostReply', id: (call as { id: number }).id, ok: true, value: ['/picked'] });
      expect(await next('reply')).toMatchObject({ id: 2, envelope: { ok: true, data: { available: true, paths: ['/picked'] } } });
      send({ type: 'dispose' });
      expect(await next('disposed')).toEqual({ type: 'disposed' });
    } finally {
      await worker.terminate();
    }
  });
});
