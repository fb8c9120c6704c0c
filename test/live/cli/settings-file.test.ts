import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, get } from '../../helpers/exporter.js';
import { BIN } from '../../helpers/pty-session.js';

const folder = mkdtempSync(join(tmpdir(), 'paratop-settings-live-'));
let homes = 0;
function configHome(text: string): string {
  homes += 1;
  const home = join(folder, `home-${homes}`);
  mkdirSync(join(home, 'paratop'), { recursive: true });
  writeFileSync(join(home, 'paratop', 'config.toml'), text);
  return home;
}

const run = (args: string[], home: string) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: home },
    timeout: 30_000,
  });

/** serve until it says where it listens; the problems it printed before that come with the URL. */
async function serveUntilListening(args: string[], home: string): Promise<{ url: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: home },
  });
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
        const found = /listening on (\S+)/.exec(stderr);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    assert.equal((await get(`${url.replace(/\/metrics$/, '')}/metrics`)).status, 200);
    return { url, stderr };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe('the settings file, for headless commands', { timeout: 60_000 }, () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('info names the file in use and lists every problem in it, exit 0', () => {
    const home = configHome('[dashboard]\ninterval = "fast"\ncolour = "red"\n');
    const text = run(['info'], home);
    assert.equal(text.status, 0, text.stderr);
    const file = join(home, 'paratop', 'config.toml');
    assert.match(text.stdout, new RegExp(`Config +${file}\\n`));
    assert.match(text.stdout, /config\.toml:2: dashboard\.interval = "fast": it must be a number; default used/);
    assert.match(text.stdout, /config\.toml:3: dashboard\.colour: unknown key/);
    const json = JSON.parse(run(['info', '--json'], home).stdout) as {
      settings: { file: string; exists: boolean; problems: string[] };
    };
    assert.equal(json.settings.file, file);
    assert.equal(json.settings.problems.length, 2);
    assert.match(run(['info', '--no-config'], home).stdout, /Config +none \(--no-config\)/);
  });

  test('--config naming no file is exit 2 with the path; a broken default file is never fatal', () => {
    const missing = run(['--config', join(folder, 'nope.toml'), 'info'], folder);
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /paratop: option '--config <file>' argument '.*nope\.toml' is invalid\. There is no such file/,
    );
    const broken = run(['snapshot', '--json', '--limit', '1'], configHome('[dashboard\n'));
    assert.equal(broken.status, 0, broken.stderr);
  });

  test("serve listens where [export] says, prints the file's problems on stderr, and --listen wins", async () => {
    const port = await freePort();
    const home = configHome(`[export]\nlisten = "127.0.0.1:${port}"\nprocesses = 0\n`);
    const fromFile = await serveUntilListening([], home);
    assert.match(fromFile.url, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(fromFile.stderr, /config\.toml:3: export\.processes = 0: it must be a whole number from 1 to 100000/);
    const given = await serveUntilListening(['--listen', '127.0.0.1:0'], home);
    assert.doesNotMatch(given.url, new RegExp(`:${port}/`));
  });
});
