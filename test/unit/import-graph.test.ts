/**
 * The layers hold: no import against model → formats → backends/inspect/convert/backup/library
 * → services → main/server/cli, `electron` only in main/ and preload/, the renderer only itself
 * and shared/ (and no zod with it), and no import cycle. The checker itself is tried on small made-up trees first,
 * so a check that finds nothing is one that could have.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, layerViolations, readSources, rendererZodImports, valueImportsOf, type SourceFiles } from '../helpers/import-graph.js';

const tree = (files: Record<string, string[]>): SourceFiles => new Map(Object.entries(files));

describe('the import-graph check', () => {
  it('reads every import form the tree uses', () => {
    const text = [
      "import { a,\n  type B } from './a.js';",
      "import type { C } from '../c.js';",
      "import def, { d } from 'pkg-d';",
      "import * as e from '@scope/e/sub';",
      "import pkg from '../../package.json' with { type: 'json' };",
      "import './side.css';",
      "export { f } from './f.js';",
      "export * from './g.js';",
      'export interface H { from: string }',
      "const later = await import('./lazy.js');",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../../package.json', '../c.js', './a.js', './f.js', './g.js', './lazy.js', './side.css', '@scope/e/sub', 'pkg-d']);
    // Values, not types: `import type` alone is no value import; one import of both kinds is.
    expect(valueImportsOf(text).sort()).toEqual(['../../package.json', './a.js', './f.js', './g.js', './lazy.js', './side.css', '@scope/e/sub', 'pkg-d']);
  });

  it('names an import against the direction, electron outside main/preload, a renderer import of the core, and a file outside the layers', () => {
    const files = tree({
      'electron/core/sqlite/open.ts': ['../formats/types.js', 'better-sqlite3'],
      'electron/core/formats/types.ts': ['../model/session.js'],
      'electron/core/model/session.ts': [],
      'electron/core/inspect/peer-source.ts': ['../../../shared/contract.js', '../../../shared/dto.js'],
      'electron/core/backup/create.ts': ['../../../package.json'],
      'electron/services/settings.ts': ['electron'],
      'electron/main/index.ts': ['electron', '../services/settings.js'],
      'renderer/src/App.tsx': ['../../electron/core/model/session.js', '../../shared/contract.js'],
      'shared/contract.ts': ['./dto.js', 'zod'],
      'shared/dto.ts': ['zod'],
    });
    expect(layerViolations(files)).toEqual([
      'electron/core/sqlite/open.ts → electron/core/formats/types.ts: model imports formats, against the direction',
      'electron/core/inspect/peer-source.ts → shared/contract.ts: backends/inspect/convert/backup/library imports services, against the direction',
      'electron/core/backup/create.ts → package.json: outside every layer',
      'electron/services/settings.ts → electron: only main/ and preload/ import electron',
      'renderer/src/App.tsx → electron/core/model/session.ts: the renderer imports only itself and shared/',
    ]);
  });

  it('finds a cycle, also through type-only imports, and none in a tree without one', () => {
    const cyclic = tree({
      'electron/core/formats/a.ts': ['./b.js'],
      'electron/core/formats/b.ts': ['../store/c.js'],
      'electron/core/store/c.ts': ['../formats/a.js'],
      'electron/core/store/d.ts': ['./c.js'],
    });
    expect(importCycles(cyclic)).toEqual([['electron/core/formats/a.ts', 'electron/core/formats/b.ts', 'electron/core/store/c.ts']]);
    expect(importCycles(tree({ 'a.ts': ['./b.js'], 'b.ts': [] }))).toEqual([]);
  });
});

describe('the source tree', () => {
  const files = readSources(process.cwd(), ['electron', 'shared', 'renderer/src']);

  it('is read whole', () => {
    expect(files.size).toBeGreaterThan(150);
    expect([...files.keys()].filter((f) => f.startsWith('renderer/')).length).toBeGreaterThan(10);
  });

  it('imports only along the layers', () => {
    expect(layerViolations(files)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(files)).toEqual([]);
  });

  it('keeps zod out of the UI: the renderer takes only types from the contract', () => {
    expect(rendererZodImports(process.cwd(), files)).toEqual([]);
  });
});
