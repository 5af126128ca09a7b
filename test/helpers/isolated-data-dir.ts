/**
 * Every test worker (and every CLI it spawns, which inherits the environment) keeps the app's
 * data (index cache, labels, settings) in a temp folder of its own, never in the user's
 * ~/.config. A test that sets SESSIONDECK_DATA_DIR itself still may.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.SESSIONDECK_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'sd-test-data-'));
