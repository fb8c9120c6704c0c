import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The layers of ARCHITECTURE.md, held by a test: which folder may import which, no cycle between
 * folders, and the lab and the workloads reading the machine only through src/sampler/.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What each folder may import besides itself. Everything else is a layering mistake. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'src/cli': ['src/app', 'src/hosts', 'src/lab', 'src/export', 'src/model', 'src/sampler', 'src/package-root.ts'],
  'src/app': ['src/view', 'src/hosts', 'src/lab', 'src/export', 'src/model', 'src/sampler'],
  'src/view': ['src/model'],
  'src/model': [],
  'src/sampler': ['src/model'],
  // Other machines, over the network: node's own HTTP client, no package.
  'src/hosts': ['src/model'],
  'src/lab': ['src/model', 'src/sampler', 'src/package-root.ts'],
  'src/export': ['src/model', 'src/sampler'],
  // The programs the workers run know paratop only by the protocol.
  'scenarios/workloads': ['src/lab/protocol.ts'],
};

/** Lab files that touch the file system or start programs, and why that is not reading the machine. */
const LAB_FILE_ACCESS: Record<string, string> = {
  'src/lab/compare-history.ts': "paratop's own data folder",
  'src/lab/memory-ladder-store.ts': "paratop's own data folder",
  'src/lab/launch-workload.ts': 'starts the workload programs',
  'src/lab/command-keeper.ts': "starts the user's command",
  'src/lab/python-runtime.ts': 'asks python3 its version',
  'src/lab/engine-runtime.ts': 'asks each python3 whether it has Dask or mpi4py',
};

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath ?? entry.path, entry.name)));
}

/** The folder a file belongs to, as MAY_IMPORT names them (a file at the top of src/ is its own). */
function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length <= 2 ? file : parts.slice(0, 2).join('/');
}

interface Import {
  from: string;
  to: string;
}

function importsOf(file: string): { relative: Import[]; modules: string[] } {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  const relativeImports: Import[] = [];
  const modules: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (fileName.startsWith('.'))
      relativeImports.push({ from: file, to: normalize(join(dirname(file), fileName)).replace(/\.js$/, '.ts') });
    else modules.push(fileName);
  }
  return { relative: relativeImports, modules };
}

const files = [...sourceFiles('src'), ...sourceFiles('scenarios/workloads')];
const imports = files.flatMap((file) => importsOf(file).relative);

test('each folder imports only the layers below it', () => {
  const wrong = imports.filter(({ from, to }) => {
    const [source, target] = [layerOf(from), layerOf(to)];
    if (source === target) return false;
    const allowed = MAY_IMPORT[source] ?? [];
    return !allowed.includes(target) && !allowed.includes(to);
  });
  assert.deepEqual(
    wrong.map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

test('the reducers work on state alone: no view geometry, no widgets', () => {
  const reducers = files.filter((file) => /^src\/app\/(reducer|lab-reducer|keymap|actions)\.ts$/.test(file));
  assert.equal(reducers.length, 4);
  const wrong = imports.filter(({ from, to }) => reducers.includes(from) && to.startsWith('src/view/'));
  assert.deepEqual(
    wrong.map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

test('no cycle between folders', () => {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const [source, target] = [layerOf(from), layerOf(to)];
    if (source !== target) edges.set(source, (edges.get(source) ?? new Set()).add(target));
  }
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    if (path.includes(node)) {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of edges.keys()) visit(node, []);
  assert.deepEqual(cycles, []);
});

test('the lab and the workloads read the machine only through src/sampler/', () => {
  const touching = new Set<string>();
  for (const file of files.filter((name) => name.startsWith('src/lab/') || name.startsWith('scenarios/'))) {
    const { relative: local, modules } = importsOf(file);
    // The platform folders are behind the sampler's interfaces.
    for (const { to } of local) assert.doesNotMatch(to, /^src\/sampler\/(linux|fallback)\//, `${file} imports ${to}`);
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    // A thread learns its own TID, and names itself, from inside.
    if (file === 'scenarios/workloads/task-identity.ts') continue;
    assert.doesNotMatch(text, /['"`]\/(proc|sys)\//, `${file} names /proc or /sys`);
    if (modules.some((name) => name === 'node:fs' || name === 'node:child_process')) {
      touching.add(file);
      assert.ok(
        file in LAB_FILE_ACCESS,
        `${file} uses the file system or starts programs; say why in LAB_FILE_ACCESS, or read through src/sampler/`,
      );
    }
  }
  // A reason kept for a file that no longer needs one would hide the next one that does.
  assert.deepEqual(Object.keys(LAB_FILE_ACCESS).sort(), [...touching].sort());
});

test('the host sources use node built-ins only and never read this machine', () => {
  for (const file of files.filter((name) => name.startsWith('src/hosts/'))) {
    const { modules } = importsOf(file);
    assert.deepEqual(
      modules.filter((name) => !name.startsWith('node:')),
      [],
      `${file} imports a package`,
    );
    assert.ok(!modules.includes('node:fs') && !modules.includes('node:child_process'), `${file} reads this machine`);
  }
});

test('lines are at most 120 characters (the formatter breaks code; strings and comments are broken by hand)', () => {
  const long: string[] = [];
  for (const file of [...files, ...sourceFiles('test'), ...sourceFiles('bench')]) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if ([...line].length > 120) long.push(`${file}:${index + 1}`);
    });
  }
  assert.deepEqual(long, []);
});
