import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/proc-t0/', import.meta.url));

/**
 * A fake /proc with `count` processes, built from the captured fixture: each copy of a real
 * process gets its own PID (in its stat file and its folder), so the sampler does all its usual work.
 */
export function generateProcTree(count: number): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), `paratop-proc-${count}-`));
  for (const file of ['stat', 'meminfo', 'loadavg', 'uptime']) cpSync(join(FIXTURE, file), join(root, file));
  const templates = readdirSync(FIXTURE).filter((name) => /^\d+$/.test(name));
  for (let index = 0; index < count; index += 1) {
    const template = templates[index % templates.length] ?? '1';
    const pid = 10_000 + index;
    const dir = join(root, String(pid));
    mkdirSync(dir);
    const stat = readFileSync(join(FIXTURE, template, 'stat'), 'utf8');
    writeFileSync(join(dir, 'stat'), `${pid}${stat.slice(stat.indexOf(' '))}`);
    cpSync(join(FIXTURE, template, 'status'), join(dir, 'status'));
    cpSync(join(FIXTURE, template, 'cmdline'), join(dir, 'cmdline'));
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
