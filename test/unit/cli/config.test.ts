import assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { PersistedSettings } from '../../../src/app/dashboard-settings.js';
import { defaultConfigPath, loadConfigFile, writeConfigChanges } from '../../../src/cli/config-file.js';
import {
  columnChoice,
  configChanges,
  problemLine,
  readConfigValues,
  withConfigValues,
} from '../../../src/cli/config-settings.js';
import { tomlKeyLines } from '../../../src/cli/toml-key-lines.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const folder = mkdtempSync(join(tmpdir(), 'paratop-config-test-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
function fileWith(text: string): string {
  files += 1;
  const path = join(folder, `config-${files}.toml`);
  writeFileSync(path, text);
  return path;
}
const read = async (text: string) => {
  const file = await loadConfigFile(fileWith(text));
  const { values, problems } = readConfigValues(file);
  return { file, values, problems, lines: problems.map((problem) => problemLine(file, problem)) };
};

const COMMENTED = `# my paratop
[dashboard]
# how often
interval = 2.5   # seconds
sort = "mem"     # memory first
my_own_key = 1
`;

describe('the settings file: where it is and reading it', async () => {
  test('$XDG_CONFIG_HOME/paratop/config.toml, ~/.config when unset or relative', async () => {
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), '/x/cfg/paratop/config.toml');
    assert.equal(defaultConfigPath({}, '/home/u'), '/home/u/.config/paratop/config.toml');
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: 'rel' }, '/home/u'), '/home/u/.config/paratop/config.toml');
  });

  test('a missing default file is fine; a missing --config file is exit 2; --no-config reads none', async () => {
    const missing = await loadConfigFile(undefined, { XDG_CONFIG_HOME: join(folder, 'none') });
    assert.equal(missing.exists, false);
    assert.deepEqual(missing.problems, []);
    assert.deepEqual(missing.data, {});
    await assert.rejects(loadConfigFile(join(folder, 'typo.toml')), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /--config '.*typo\.toml': there is no such file\. It must be a TOML settings file/);
      return true;
    });
    const none = await loadConfigFile(false);
    assert.equal(none.path, null);
    assert.equal(none.chosenBy, '--no-config');
  });

  test('a default path that cannot be read is a problem, never fatal', async () => {
    const home = join(folder, 'dir-home');
    mkdirSync(join(home, 'paratop', 'config.toml'), { recursive: true });
    const file = await loadConfigFile(undefined, { XDG_CONFIG_HOME: home });
    assert.equal(file.data, null);
    assert.match(problemLine(file, file.problems[0]!), /config\.toml: cannot read it: it is a folder/);
  });

  test('a syntax error names its line, and every setting takes its default', async () => {
    const { file, values, lines } = await read('[dashboard]\nsort = "cpu"\ntree = = true\n');
    assert.equal(file.data, null);
    assert.deepEqual(values, {});
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /config-\d+\.toml:3: not valid TOML: /);
  });

  test('the line of each key, in tables, quoted and dotted', async () => {
    const lines = tomlKeyLines('top = 1\n[dashboard]\n"sort" = "cpu"\n\n  tree=true\n[ hosts ]\na.b = 2\n');
    assert.equal(lines.get('top'), 1);
    assert.equal(lines.get('dashboard'), 2);
    assert.equal(lines.get('dashboard.sort'), 3);
    assert.equal(lines.get('dashboard.tree'), 5);
    assert.equal(lines.get('hosts.a.b'), 7);
  });
});

describe('the settings file: values, checked as their flags are', async () => {
  test('good values become the flags they stand for', async () => {
    const { values, problems } = await read(`
[dashboard]
interval = 2
process_interval = 4.5
sort = "MEM"
sort_descending = false
tree = true
columns = ["pid", "cpu", "wait", "command"]
lab_panel = false
read_only = true
theme = "mono"
[hosts]
targets = ["node1:9100", "10.0.0.7:9100"]
prometheus = "http://prom:9090"
prometheus_selector = '{job="lab"}'
[export]
listen = "127.0.0.1:9464"
processes = 50
cmdline = true
`);
    assert.deepEqual(problems, []);
    assert.equal(values.interval, 2);
    assert.equal(values.processInterval, 4.5);
    assert.equal(values.sort, 'mem');
    assert.equal(values.sortDescending, false);
    assert.equal(values.tree, true);
    assert.deepEqual(values.columns, ['pid', 'cpu', 'wait', 'command']);
    assert.equal(values.lab, false);
    assert.equal(values.readOnly, true);
    assert.equal(values.theme, 'mono');
    assert.equal(values.hosts?.length, 2);
    assert.equal(values.prometheus, 'http://prom:9090/');
    assert.equal(values.prometheusSelector, 'job="lab"');
    assert.equal(values.export?.port, 9464);
    assert.equal(values.exportProcesses, 50);
    assert.equal(values.exportCmdline, true);
  });

  test('each wrong value is one line naming the file, the line, the key and what is accepted', async () => {
    const { values, lines } = await read(`[dashboard]
interval = 0.01
sort = "speed"
tree = "yes"
columns = []
theme = "neon"
colour = "red"
[hosts]
targets = ["no-port"]
[export]
cmdline = true
[extra]
x = 1
`);
    assert.deepEqual(values, {});
    const at = (line: number) => lines.find((text) => new RegExp(`\\.toml:${line}: `).test(text)) ?? '';
    assert.match(at(2), /dashboard\.interval = 0\.01: it must be a number of seconds from 0\.1 to 3600; default used/);
    assert.match(at(3), /dashboard\.sort = "speed": it must be one of pid, user, cpu, .*command; default used/);
    assert.match(at(4), /dashboard\.tree = "yes": it must be true or false; default used/);
    assert.match(at(5), /dashboard\.columns = \[\]: it must name at least one column/);
    assert.match(at(6), /dashboard\.theme = "neon": it must be one of default, mono/);
    assert.match(at(7), /dashboard\.colour: unknown key; \[dashboard\] takes interval, process_interval, sort/);
    assert.match(at(9), /hosts\.targets = \["no-port"\]: it must be HOST:PORT/);
    assert.match(at(11), /export\.cmdline: applies to the exporter: set export\.listen too; ignored/);
    assert.match(at(12), /extra: unknown table; the tables are \[dashboard\], \[hosts\], \[export\]/);
    assert.equal(lines.length, 9);
  });

  test('a path under the home folder is shown from ~', async () => {
    const file = { ...(await loadConfigFile(false)), path: '/home/ada/.config/paratop/config.toml' };
    const line = problemLine(
      file,
      { line: 4, key: 'dashboard.tree', value: '"yes"', message: 'it must be true' },
      '/home/ada',
    );
    assert.equal(line, '~/.config/paratop/config.toml:4: dashboard.tree = "yes": it must be true');
  });

  test('a relative hosts file is read beside the settings file', async () => {
    writeFileSync(join(folder, 'lab-hosts'), 'node1:9100 first\n# a comment\nnode2:9100\n');
    const { values, problems } = await read('[hosts]\nfile = "lab-hosts"\n');
    assert.deepEqual(problems, []);
    assert.equal(values.hostsFile?.length, 2);
  });

  test('the command line wins flag by flag; a host option replaces the file’s hosts; --sort its order', async () => {
    const values = {
      interval: 5,
      sort: 'mem' as const,
      sortDescending: false,
      tree: true,
      prometheus: 'http://p:9090/',
      prometheusSelector: '{a="b"}',
    };
    const flags = { interval: 2, sort: 'cpu' as const, tree: undefined, hosts: [], lab: true };
    const given = (names: string[]) => (flag: string) => names.includes(flag);
    const fromFile = withConfigValues(flags, given([]), values) as Record<string, unknown>;
    assert.equal(fromFile.interval, 5);
    assert.equal(fromFile.sort, 'mem');
    assert.equal(fromFile.sortDescending, false);
    assert.equal(fromFile.prometheus, 'http://p:9090/');
    const mixed = withConfigValues(flags, given(['interval', 'sort', 'hosts']), values) as Record<string, unknown>;
    assert.equal(mixed.interval, 2);
    assert.equal(mixed.sort, 'cpu');
    assert.equal(mixed.sortDescending, undefined);
    assert.equal(mixed.tree, true);
    assert.equal(mixed.prometheus, undefined);
    assert.equal(mixed.prometheusSelector, undefined);
  });

  test('columns: the others hidden; CORE or WAIT% listed means always shown, else while the lab runs', async () => {
    assert.deepEqual(columnChoice(undefined), { hiddenColumns: [], schedulingColumns: null });
    assert.deepEqual(columnChoice(['pid', 'cpu', 'command']), {
      hiddenColumns: ['user', 'mem', 'rss', 'threads', 'state', 'ctxsw', 'gpu', 'gmem'],
      schedulingColumns: null,
    });
    assert.equal(columnChoice(['pid', 'wait', 'command']).schedulingColumns, true);
    assert.equal(columnChoice(['pid', 'wait', 'command'], 'never').schedulingColumns, false, 'hidden even in a run');
    assert.equal(columnChoice(undefined, 'always').schedulingColumns, true);
    assert.equal(columnChoice(['pid', 'wait', 'command'], 'auto').schedulingColumns, null);
  });
});

const START: PersistedSettings = {
  intervalSeconds: 1,
  order: { key: 'cpu', descending: true },
  tree: false,
  schedulingColumns: null,
  labVisible: true,
};

describe('the settings file: what the user changed with keys, written back', async () => {
  test('only what changed is written: sort with its order, tree, interval, panel, CORE and WAIT%', async () => {
    assert.equal(configChanges(START, START).size, 0);
    const changes = configChanges(START, {
      intervalSeconds: 2,
      order: { key: 'cpu', descending: false },
      tree: true,
      schedulingColumns: true,
      labVisible: false,
    });
    assert.deepEqual(Object.fromEntries(changes), {
      'dashboard.interval': 2,
      'dashboard.sort': 'cpu',
      'dashboard.sort_descending': false,
      'dashboard.tree': true,
      'dashboard.lab_panel': false,
      'dashboard.scheduling_columns': 'always',
    });
    const hidden = configChanges({ ...START, schedulingColumns: true }, { ...START, schedulingColumns: false });
    assert.deepEqual(Object.fromEntries(hidden), { 'dashboard.scheduling_columns': 'never' });
  });

  test("the user's comments, order and own keys are kept", async () => {
    const path = fileWith(COMMENTED);
    const note = await writeConfigChanges(
      await loadConfigFile(path),
      new Map<string, unknown>([
        ['dashboard.sort', 'pid'],
        ['dashboard.tree', true],
      ]),
    );
    assert.equal(note, null);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^# my paratop\n\[dashboard\]\n# how often\ninterval = 2\.5 {3}# seconds\n/);
    assert.match(text, /sort = "pid" +# memory first\n/);
    assert.match(text, /my_own_key = 1\n/);
    assert.match(text, /tree = true/);
    assert.deepEqual(readConfigValues(await loadConfigFile(path)).values.tree, true);
  });

  test('edits made by hand while paratop ran are kept; an unchanged interval is not written', async () => {
    const path = fileWith(COMMENTED);
    const file = await loadConfigFile(path);
    writeFileSync(path, `${COMMENTED}# added while paratop ran\n[hosts]\ntargets = ["n1:9100"]\n`);
    assert.equal(await writeConfigChanges(file, new Map([['dashboard.tree', true]])), null);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /# added while paratop ran\n/);
    assert.match(text, /\[hosts\]\ntargets = \["n1:9100"\]/);
    assert.match(text, /tree = true/);
    const typed = { ...START, intervalSeconds: 0.1234 };
    assert.equal(configChanges(typed, { ...START, intervalSeconds: 0.123 }).size, 0);
  });

  test('a missing file is made, folder and all, with a header saying what it is', async () => {
    const home = join(folder, 'new-home');
    const file = await loadConfigFile(undefined, { XDG_CONFIG_HOME: home });
    assert.equal(await writeConfigChanges(file, new Map([['dashboard.tree', true]])), null);
    const text = readFileSync(join(home, 'paratop', 'config.toml'), 'utf8');
    assert.match(text, /^# paratop settings/);
    assert.match(text, /\[dashboard\]\ntree = true\n/);
  });

  test('a file that cannot take the change is left as it was, with a note saying why', async () => {
    const broken = fileWith('[dashboard]\ntree = = 1\n');
    const brokenNote = await writeConfigChanges(await loadConfigFile(broken), new Map([['dashboard.tree', true]]));
    assert.match(brokenNote ?? '', /settings not saved to .*: line 2 is not valid TOML; it is left as it was/);
    assert.equal(readFileSync(broken, 'utf8'), '[dashboard]\ntree = = 1\n');

    const frozen = fileWith(COMMENTED);
    chmodSync(frozen, 0o444);
    const frozenNote = await writeConfigChanges(await loadConfigFile(frozen), new Map([['dashboard.tree', true]]));
    assert.match(frozenNote ?? '', /it is read-only \(chmod u\+w lets paratop save\); it is left as it was/);
    assert.equal(readFileSync(frozen, 'utf8'), COMMENTED);

    // A file where the settings folder should be: nothing can be made under it.
    const blocked = join(folder, 'blocked');
    writeFileSync(blocked, 'not a folder');
    const nowhere = await loadConfigFile(undefined, { XDG_CONFIG_HOME: blocked });
    const nowhereNote = await writeConfigChanges(nowhere, new Map([['dashboard.tree', true]]));
    assert.match(nowhereNote ?? '', /a folder in its path is a file/);
  });

  test('a symlinked file stays a symlink: its target is written', async () => {
    const target = fileWith(COMMENTED);
    const link = join(folder, 'linked.toml');
    symlinkSync(target, link);
    assert.equal(await writeConfigChanges(await loadConfigFile(link), new Map([['dashboard.tree', true]])), null);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.match(readFileSync(target, 'utf8'), /tree = true/);
  });
});
