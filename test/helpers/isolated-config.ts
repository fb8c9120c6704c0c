import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Preloaded by `npm test`: every paratop the tests start reads and writes its settings in an empty
 * folder of the test run, never the user's ~/.config/paratop. The test runner's children inherit it.
 */
if (!process.env.PARATOP_TEST_CONFIG_HOME) {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-test-config-'));
  process.env.PARATOP_TEST_CONFIG_HOME = folder;
  process.env.XDG_CONFIG_HOME = folder;
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
}
