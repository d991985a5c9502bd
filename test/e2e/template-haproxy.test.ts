// The shipped template, rendered by the shipped handlers, checked by the
// HAProxy the ha image ships (3.0 from Debian trixie): proof that what the
// handlers write is valid HAProxy configuration, hostile input included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docker } from '../../harness/docker/docker.ts';
import { ensureImages, HA_IMAGE } from '../../harness/docker/images.ts';

/** Runs a shell script in a throwaway ha container, without its init (but with the certificate its HTTPS bind reads). */
async function inHaImage(script: string, input = '') {
  await ensureImages();
  return docker(['run', '--rm', '-i', '--entrypoint', 'sh', HA_IMAGE, '-c', `tls-default && { ${script}; }`], { input });
}

const join = 'node /opt/lb/handlers/member-join.cjs --nodes-dir /tmp/nodes --config /tmp/haproxy.cfg --reload-cmd true --members-rpc none --members-cmd "cat /tmp/members.json"';

// No Serf agent runs here: what `serf members -format json` would say of
// web-2, whose event line (two tags beside the role) can be read two ways.
const members = JSON.stringify({ members: [{ name: 'web-2', addr: '[fd00::5]:7946', tags: { role: 'backend', port: '8080', weight: '10' }, status: 'alive' }] });

test('a batch of good and hostile members renders a config that haproxy -c accepts', async () => {
  const batch = [
    'web-1\t172.20.0.5\tbackend\trole=backend,port=3000',
    'web-2\tfd00::5\tbackend\trole=backend,port=8080,weight=10',
    '../../etc/passwd\t172.20.0.6\tbackend\trole=backend',
    'evil\\nserver x 6.6.6.6:80\t172.20.0.7\tbackend\trole=backend',
    'evil2\t172.20.0.8 check\tbackend\trole=backend',
    'evil3\t172.20.0.9\tbackend\trole=backend,port=80 backup',
    'lb\t172.20.0.2\tlb\trole=lb',
  ].join('\n');
  const result = await inHaImage(`echo '${members}' > /tmp/members.json; ${join}; echo "exit=$?"; haproxy -c -f /tmp/haproxy.cfg >/dev/null && echo valid; ls /tmp/nodes; grep -c '^ *server ' /tmp/haproxy.cfg; ls /etc/passwd.json 2>&1 || true`, `${batch}\n`);
  assert.match(result.stdout, /exit=1/, 'rejected lines make the run exit 1');
  assert.match(result.stdout, /^valid$/m, result.stderr);
  assert.match(result.stdout, /^web-1\.json\nweb-2\.json\n2$/m, 'only the two good members are stored and rendered');
  assert.doesNotMatch(result.stdout, /6\.6\.6\.6|evil/);
  assert.equal((result.stderr.match(/msg="member rejected"/g) ?? []).length, 4);
});

test('haproxy -c rejecting a candidate keeps the last good config live', async () => {
  const first = 'web-1\t172.20.0.5\tbackend\trole=backend\n';
  const result = await inHaImage(
    [
      `printf '${first.replace(/\t/g, '\\t').replace(/\n/g, '\\n')}' | ${join}`,
      'cp /tmp/haproxy.cfg /tmp/good.cfg',
      // A template that renders fine but is not HAProxy configuration.
      `sed 's/^frontend http$/frontend http\\n    no-such-keyword/' /usr/local/etc/haproxy/haproxy.cfg.hbs > /tmp/broken.hbs`,
      `printf 'web-2\\t172.20.0.6\\tbackend\\trole=backend\\n' | ${join} --template /tmp/broken.hbs; echo "exit=$?"`,
      'cmp /tmp/haproxy.cfg /tmp/good.cfg && echo kept',
      'ls /tmp/haproxy.cfg.candidate 2>/dev/null || echo no-candidate',
    ].join('; '),
  );
  assert.match(result.stdout, /exit=1/);
  assert.match(result.stdout, /^kept$/m);
  assert.match(result.stdout, /^no-candidate$/m);
  assert.match(result.stderr, /level=error .*rejected by 'haproxy -c -q -f'.*last good config kept/);
});
