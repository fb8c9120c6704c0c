import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

  load(snapshot: string): void {
    rmSync(this.root, { recursive: true, force: true });
    cpSync(join(fixturesDir, snapshot), this.root, { recursive: true });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
