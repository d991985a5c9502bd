import { connect } from 'node:tls';

/**
 * The SHA-256 fingerprint of the certificate 127.0.0.1:`port` serves to a
 * client asking for `servername` (SNI), trusted or not: which one is served
 * is the question, not whether it verifies.
 */
export function servedFingerprint(port: number, servername: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake with 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.once('secureConnect', () => {
      const { fingerprint256 } = socket.getPeerCertificate();
      socket.end();
      resolve(fingerprint256);
    });
    socket.once('error', reject);
  });
}
