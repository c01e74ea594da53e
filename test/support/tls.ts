// A throwaway certificate for loopback HTTPS fakes. Generated once per process: RSA key
// generation is slow enough to matter when many suites start servers.
import { generate } from 'selfsigned';

export interface TestTls {
  /** PEM private key for the server. */
  key: string;
  /** PEM certificate for the server; it is its own CA, so clients trust exactly this. */
  cert: string;
}

let pending: Promise<TestTls> | null = null;

/** A self-signed certificate valid for 127.0.0.1, ::1 and localhost. */
export function testTls(): Promise<TestTls> {
  pending ??= generate([{ name: 'commonName', value: 'crier-test.local' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      // cA lets Node accept the certificate as a trust anchor given in `ca` or NODE_EXTRA_CA_CERTS.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return pending;
}
