/**
 * The source tree's import graph and the layer rule it must keep:
 * model → formats → backends/inspect/convert/backup/library/stores → services → main/server/cli,
 * each layer importing only its own and the ones before it; `electron` only in main/ and
 * preload/; the renderer only itself and shared/; no cycle anywhere (type-only imports count:
 * a cycle of types is still two modules that cannot be understood apart).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Files by path (relative to the root, `/`-separated), each with the specifiers it imports. */
export type SourceFiles = Map<string, string[]>;

interface Layer {
  name: string;
  rank: number;
  /** Path prefixes (relative to the root) of the layer's files. */
  paths: string[];
}

/** In order: a file may import its own layer's files and those of every layer before it. */
export const LAYERS: Layer[] = [
  { name: 'model', rank: 0, paths: ['electron/core/model/', 'electron/core/errors.ts', 'electron/core/bytes.ts', 'electron/core/fs/', 'electron/core/sqlite/', 'shared/dto.ts'] },
  { name: 'formats', rank: 1, paths: ['electron/core/formats/', 'electron/core/sidecar/'] },
  {
    name: 'backends/inspect/convert/backup/library',
    rank: 2,
    paths: ['electron/core/store/', 'electron/core/inspect/', 'electron/core/convert/', 'electron/core/backup/', 'electron/core/library/', 'electron/core/accounts/', 'electron/core/labels/'],
  },
  { name: 'services', rank: 3, paths: ['electron/services/', 'shared/'] },
  { name: 'main/server/cli', rank: 4, paths: ['electron/main/', 'electron/preload/', 'electron/server/', 'electron/cli/'] },
];

const ELECTRON_ALLOWED = ['electron/main/', 'electron/preload/'];

export function layerOf(file: string): Layer | undefined {
  // The longest matching prefix wins: shared/dto.ts is model, the rest of shared/ services.
  let best: { layer: Layer; len: number } | undefined;
  for (const layer of LAYERS) {
    for (const p of layer.paths) {
      if (file.startsWith(p) && (!best || p.length > best.len)) best = { layer, len: p.length };
    }
  }
  return best?.layer;
}

// TypeScript 7 (the native compiler here) has no JS API to pre-process a file: the import
// forms prettier writes are matched line-anchored instead.
const IMPORT_FORMS = [
  /^import\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\*\s+as\s+[\w$]+|\{[^}]*\})?\s*from\s*['"]([^'"]+)['"]/gm,
  /^export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/gm,
  /^import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The specifiers a module imports: static imports, re-exports, side-effect and dynamic imports. */
export function importsOf(text: string): string[] {
  return IMPORT_FORMS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
}

/** The specifiers a module imports values from (not `import type`), static or dynamic. */
export function valueImportsOf(text: string): string[] {
  const typeOnly = new Set([...text.matchAll(/^import\s+type\s[^;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!));
  const mixed = new Set([...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!));
  return importsOf(text).filter((spec) => mixed.has(spec) || !typeOnly.has(spec));
}

/**
 * Modules the renderer takes values from that pull in zod (themselves or through what they
 * import): the contract's schemas are for the main process; the UI takes only their types.
 */
export function rendererZodImports(root: string, files: SourceFiles): string[] {
  const values = new Map<string, string[]>();
  const valuesOf = (file: string) => {
    let v = values.get(file);
    if (!v) values.set(file, (v = files.has(file) ? valueImportsOf(readFileSync(join(root, file), 'utf8')) : []));
    return v;
  };
  // Only value imports load a module at run time; a type import is erased.
  const pullsZod = (file: string, seen: Set<string>): boolean => {
    if (seen.has(file)) return false;
    seen.add(file);
    return valuesOf(file).some((spec) => spec === 'zod' || (spec.startsWith('.') && pullsZod(resolveIn(files, file, spec), seen)));
  };
  const out: string[] = [];
  for (const file of files.keys()) {
    if (!file.startsWith('renderer/')) continue;
    for (const spec of valuesOf(file)) {
      if (spec === 'zod' || (spec.startsWith('.') && !resolveIn(files, file, spec).startsWith('renderer/') && pullsZod(resolveIn(files, file, spec), new Set()))) {
        out.push(`${file} → ${spec}: a value import that brings zod into the UI bundle`);
      }
    }
  }
  return out;
}

const resolveIn = (files: SourceFiles, from: string, spec: string): string => {
  const t = target(files, from, spec);
  return 'file' in t ? t.file : t.pkg;
};

/** Every .ts/.tsx file under these folders with its import specifiers (static, re-exports, dynamic). */
export function readSources(root: string, folders: string[]): SourceFiles {
  const out: SourceFiles = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
        out.set(relative(root, abs).split('\\').join('/'), importsOf(readFileSync(abs, 'utf8')));
      }
    }
  };
  for (const f of folders) walk(join(root, f));
  return out;
}

/** A relative specifier → the file it names (`.js` written for `.ts`), or the specifier as written for a package. */
function target(files: SourceFiles, from: string, spec: string): { file: string } | { pkg: string } {
  if (!spec.startsWith('.')) return { pkg: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]! };
  const base = relative(resolve('/'), resolve('/', dirname(from), spec)).split('\\').join('/');
  for (const c of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}/index.ts`]) if (files.has(c)) return { file: c };
  return { file: base };
}

/** Each broken rule as one line: `from → to: why`. */
export function layerViolations(files: SourceFiles): string[] {
  const out: string[] = [];
  for (const [from, specs] of files) {
    const own = layerOf(from);
    const inRenderer = from.startsWith('renderer/');
    for (const spec of specs) {
      const t = target(files, from, spec);
      if ('pkg' in t) {
        if (t.pkg === 'electron' && !ELECTRON_ALLOWED.some((p) => from.startsWith(p))) out.push(`${from} → electron: only main/ and preload/ import electron`);
        continue;
      }
      if (inRenderer) {
        if (!t.file.startsWith('renderer/') && !t.file.startsWith('shared/')) out.push(`${from} → ${t.file}: the renderer imports only itself and shared/`);
        continue;
      }
      if (!own) continue;
      const theirs = layerOf(t.file);
      // The app's version is a fact of the host that runs it (the core is told it).
      if (!theirs && t.file === 'package.json' && own.rank === LAYERS.length - 1) continue;
      if (!theirs) out.push(`${from} → ${t.file}: outside every layer`);
      else if (theirs.rank > own.rank) out.push(`${from} → ${t.file}: ${own.name} imports ${theirs.name}, against the direction`);
    }
  }
  return out;
}

/** Every import cycle among the files, each as its files in order (Tarjan's strongly connected components). */
export function importCycles(files: SourceFiles): string[][] {
  const edges = new Map<string, string[]>();
  for (const [from, specs] of files) {
    edges.set(
      from,
      specs.map((s) => target(files, from, s)).flatMap((t) => ('file' in t && files.has(t.file) ? [t.file] : [])),
    );
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges.get(v)!.includes(v)) cycles.push(scc.reverse());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
