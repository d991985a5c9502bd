// The shipped template, rendered by the shipped handlers, checked by the
// HAProxy the ha image ships (3.0 from Debian trixie): proof that what the
// handlers write is valid HAProxy configuration, hostile input included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docker } from '../../harness/docker/docker.ts';
import { ensureImages, HA_IMAGE } from '../../harness/docker/images.ts';

/** Runs a shell script in a throwaway ha container, without its init (but with the certificate its HTTPS bind reads). */
async function inHaImage(script: string) {
  await ensureImages();
  return docker(['run', '--rm', '--entrypoint', 'sh', HA_IMAGE, '-c', `tls-default && { ${script}; }`]);
}

/** One pass by hand in the image: the members from a file, no agent, no HAProxy running (nothing to reload). */
const pass = 'env -u SERF_RPC_ADDR node /opt/lb/handlers/reconcile.cjs --nodes-dir /tmp/nodes --config /tmp/haproxy.cfg --reload-cmd true --members-cmd "cat /tmp/members.json"';

const member = (name: string, addr: string, tags: Record<string, string> = {}) => ({ name, addr, tags: { role: 'backend', ...tags }, status: 'alive' });
// printf, not echo: dash's echo would turn the JSON escape \n into a newline.
const membersFile = (list: object[]) => `printf '%s\\n' '${JSON.stringify({ members: [{ name: 'lb', addr: '172.20.0.2:7946', tags: { role: 'lb' }, status: 'alive' }, ...list] }).replace(/'/g, "'\\''")}' > /tmp/members.json`;

test('good and hostile members render a config that haproxy -c accepts', async () => {
  const list = [
    member('web-1', '172.20.0.5:7946', { port: '3000' }),
    member('web-2', '[fd00::5]:7946', { port: '8080', weight: '10' }),
    member('../../etc/passwd', '172.20.0.6:7946'),
    member('evil\nserver x 6.6.6.6:80', '172.20.0.7:7946'),
    member('evil2', '172.20.0.8 check:7946'),
    member('evil3', '172.20.0.9:7946', { port: '80 backup' }),
  ];
  const result = await inHaImage(`${membersFile(list)}; ${pass}; echo "exit=$?"; haproxy -c -f /tmp/haproxy.cfg >/dev/null && echo valid; ls /tmp/nodes; grep -c '^ *server ' /tmp/haproxy.cfg; ls /etc/passwd.json 2>&1 || true`);
  assert.match(result.stdout, /exit=1/, 'rejected members make the pass exit 1');
  assert.match(result.stdout, /^valid$/m, result.stderr);
  assert.match(result.stdout, /^web-1\.json\nweb-2\.json\n2$/m, 'only the two good members are stored and rendered');
  assert.doesNotMatch(result.stdout, /6\.6\.6\.6|evil/);
  assert.equal((result.stderr.match(/msg="member rejected"/g) ?? []).length, 4);
});

test('haproxy -c rejecting a candidate keeps the last good config live', async () => {
  const result = await inHaImage(
    [
      membersFile([member('web-1', '172.20.0.5:7946')]),
      pass,
      'cp /tmp/haproxy.cfg /tmp/good.cfg',
      // A template that renders fine but is not HAProxy configuration.
      `sed 's/^frontend http$/frontend http\\n    no-such-keyword/' /usr/local/etc/haproxy/haproxy.cfg.hbs > /tmp/broken.hbs`,
      membersFile([member('web-1', '172.20.0.5:7946'), member('web-2', '172.20.0.6:7946')]),
      `${pass} --template /tmp/broken.hbs; echo "exit=$?"`,
      'cmp /tmp/haproxy.cfg /tmp/good.cfg && echo kept',
      'ls /tmp/haproxy.cfg.candidate 2>/dev/null || echo no-candidate',
    ].join('; '),
  );
  assert.match(result.stdout, /exit=1/);
  assert.match(result.stdout, /^kept$/m);
  assert.match(result.stdout, /^no-candidate$/m);
  assert.match(result.stderr, /level=error .*rejected by 'haproxy -c -q -f'.*last good config kept/);
});
