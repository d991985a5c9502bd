import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLog } from '../../../../handlers/os/log.ts';
import { captureStream } from '../../../fakes.ts';

test('one key=value line with level, component and msg first', () => {
  const stream = captureStream();
  createLog(stream, 'member-join')('info', 'done', { event: 'member-join', applied: 2, rejected: 0, reload: 'yes', duration_ms: 12 });
  assert.equal(stream.text, 'level=info component=member-join msg=done event=member-join applied=2 rejected=0 reload=yes duration_ms=12\n');
});

test('values with spaces, quotes or equals signs are JSON-quoted', () => {
  const stream = captureStream();
  createLog(stream, 'reconcile')('warn', 'member rejected', { reason: 'member "x": port=0' });
  assert.equal(stream.text, 'level=warn component=reconcile msg="member rejected" reason="member \\"x\\": port=0"\n');
});

test('a newline in a value cannot start a second line', () => {
  const stream = captureStream();
  createLog(stream, 'member-join')('warn', 'member rejected', { reason: 'x\nlevel=info msg=forged' });
  assert.equal(stream.text.split('\n').length, 2);
  assert.equal(stream.text, 'level=warn component=member-join msg="member rejected" reason="x\\nlevel=info msg=forged"\n');
});

test('undefined fields are left out, booleans and empty strings are shown', () => {
  const stream = captureStream();
  createLog(stream, 'member-leave')('error', 'failed', { serf_event: undefined, dry_run: false, note: '' });
  assert.equal(stream.text, 'level=error component=member-leave msg=failed dry_run=false note=""\n');
});

test('paths, addresses and times stay unquoted', () => {
  const stream = captureStream();
  createLog(stream, 'c')('info', 'm', { path: '/nodes/web1.json', addr: 'fd00::1', at: '2026-01-01T00:00:00.000Z' });
  assert.equal(stream.text, 'level=info component=c msg=m path=/nodes/web1.json addr=fd00::1 at=2026-01-01T00:00:00.000Z\n');
});
