import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

test('the dashboard loads only the parts of blessed it draws with, not all 33 widgets', async () => {
  await import('../../../src/view/dashboard-view.js');
  await import('../../../src/view/screen.js');
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/blessed/lib/'));
  assert.ok(
    loaded.some((path) => path.endsWith('/widgets/screen.js')) &&
      loaded.some((path) => path.endsWith('/widgets/box.js')),
  );
  // widget.js is blessed's index of every widget; terminal.js and image.js are two it would drag in.
  for (const unwanted of ['/blessed/lib/widget.js', '/widgets/terminal.js', '/widgets/image.js']) {
    assert.ok(!loaded.some((path) => path.endsWith(unwanted)), `${unwanted} was loaded`);
  }
});
