// The ha image's certificates service (s6-overlay/ha/etc/services.d/
// certificates): keeps HAProxy serving the PEM files of LB_CERTS_DIR,
// changed through the runtime API alone, never a reload.
import { adminSocket } from './haproxy/admin-socket.ts';
import { createLog } from './os/log.ts';
import { descriptorLines } from './os/stderr-lines.ts';
import { AppliedStore } from './tls/applied-store.ts';
import { CertificateSync } from './tls/certificate-sync.ts';
import { watchEvery } from './tls/watch-loop.ts';

const log = createLog(descriptorLines(), 'certificates');
const env = process.env;
const sync = new CertificateSync({
  certsDir: env.LB_CERTS_DIR || '/etc/lb/certs',
  store: new AppliedStore(env.LB_TLS_DIR || '/run/haproxy/tls'),
  admin: adminSocket(env.HAPROXY_ADMIN_SOCKET || '/run/haproxy/admin.sock'),
  log,
});
void watchEvery(Number(env.LB_CERTS_INTERVAL_MS) || 1000, () => sync.once(), log);
