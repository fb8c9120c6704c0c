import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A scratch /proc tree that starts as one fixture snapshot and can be switched to another. */
export class ProcTree {
  readonly root = mkdtempSync(join(tmpdir(), 'paratop-proc-'));

  constructor(snapshot: string) {
    this.load(snapshot);
  }

  /**
   * Make the tree look like `snapshot`. Files are rewritten in place, as procfs regenerates them,
   * so a reader that keeps files open sees the new contents; files the snapshot lacks are removed.
   */
  load(snapshot: string): void {
    syncTree(join(fixturesDir, snapshot), this.root);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function syncTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  const wanted = new Set(readdirSync(from));
  for (const name of readdirSync(to)) if (!wanted.has(name)) rmSync(join(to, name), { recursive: true, force: true });
  for (const name of wanted) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) syncTree(source, target);
    else if (!existsSync(target) || readFileSync(target, 'utf8') !== readFileSync(source, 'utf8'))
      writeFileSync(target, readFileSync(source));
  }
}
