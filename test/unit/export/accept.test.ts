import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiateFormat } from '../../../src/export/accept.js';

test('OpenMetrics only when the scraper prefers it', () => {
  // What Prometheus 2.x sends.
  const prometheus =
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
    'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
  assert.equal(negotiateFormat(prometheus), 'openmetrics');
  assert.equal(negotiateFormat('application/openmetrics-text'), 'openmetrics');
  assert.equal(negotiateFormat('Application/OpenMetrics-Text; version=1.0.0; charset=utf-8'), 'openmetrics');
  assert.equal(negotiateFormat(undefined), 'prometheus');
  assert.equal(negotiateFormat(''), 'prometheus');
  assert.equal(negotiateFormat('*/*'), 'prometheus');
  assert.equal(negotiateFormat('text/plain;version=0.0.4'), 'prometheus');
  assert.equal(negotiateFormat('text/plain, application/openmetrics-text;q=0.5'), 'prometheus');
  assert.equal(negotiateFormat('application/openmetrics-text;q=0'), 'prometheus');
  // A version paratop does not write is not what the scraper asked for.
  assert.equal(negotiateFormat('application/openmetrics-text;version=0.0.1'), 'prometheus');
});
