import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeAdminSocket } from '../../../../bench/handler/fake-admin-socket.ts';
import { adminSocket } from '../../../../handlers/haproxy/admin-socket.ts';
import { parseServersState, succeeded } from '../../../../handlers/haproxy/runtime-state.ts';
import { tempDir } from '../../../fakes.ts';

test("keeps the servers added and deleted, in the formats the handlers' parsers read", async (t) => {
  const path = join(await tempDir(t), 'admin.sock');
  const fake = await FakeAdminSocket.listen(path);
  t.after(() => fake.close());
  const admin = adminSocket(path);
  assert.ok(succeeded(await admin('add server webapps/w1 10.0.0.5:3000 check inter 1s weight 3')));
  assert.ok(succeeded(await admin('add server webapps/w2 10.0.0.6:3000 check')));
  assert.ok(succeeded(await admin('enable server webapps/w1')));
  assert.ok(succeeded(await admin('del server webapps/w2')));
  const state = parseServersState(await admin('show servers state webapps'));
  assert.deepEqual(state, [{ name: 'w1', address: '10.0.0.5', port: 3000, opState: 2, adminState: 0, weight: 3 }]);
  assert.match(await admin('show servers conn webapps'), /^# bkname\/svname .*\bused_cur\b.*\nwebapps\/w1 3\/1 10\.0\.0\.5 3000 - 5000 0 /);
  assert.equal(fake.size, 1);
});
