import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** paratop's own folder, found by walking up from this file (it runs from src/ in tests, dist/src/ otherwise). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'paratop')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find paratop’s package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
