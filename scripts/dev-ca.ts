/**
 * `npm run dev-ca [-- --out <dir>] [--hosts a,b]`: a development certificate authority and one certificate per
 * part (gateway and the five subgraphs) for mTLS between them, made with Debian's `openssl`. Writes
 * `<dir>/ca.pem` (the CA's certificate; its key `ca.key` stays beside it) and `<dir>/<part>.pem` with
 * `<dir>/<part>.key`. Each part's certificate names the part and `localhost`/`127.0.0.1` (and `--hosts`), and
 * serves both as server and as client certificate. Default folder: `<DATA_DIR>/tls`.
 *
 * A deployment uses its own CA (the district's PKI, cert-manager) instead; see "mTLS" in docs/observability.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config.js';
import { SUBGRAPHS } from '../common/domain.js';

/** The parts that get a certificate. */
export const TLS_PARTS = ['gateway', ...SUBGRAPHS] as const;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a CA and a certificate per part in `dir`; `days` of validity. */
export function makeDevelopmentCa(dir: string, options: { hosts?: string[]; days?: number } = {}): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = String(options.days ?? 825);
  const key = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out'];
  openssl([...key, 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sha256',
      '-days',
      days,
      '-subj',
      '/O=Verbund development/CN=Verbund development CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  for (const part of TLS_PARTS) {
    const names = [
      `DNS:${part}`,
      'DNS:localhost',
      'IP:127.0.0.1',
      ...(options.hosts ?? []).map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)),
    ];
    writeFileSync(
      path.join(dir, `${part}.ext`),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=${names.join(',')}`,
      ].join('\n'),
    );
    openssl([...key, `${part}.key`], dir);
    openssl(
      ['req', '-new', '-key', `${part}.key`, '-subj', `/O=Verbund development/CN=${part}`, '-out', `${part}.csr`],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${part}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        days,
        '-sha256',
        '-extfile',
        `${part}.ext`,
        '-out',
        `${part}.pem`,
      ],
      dir,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, hosts: { type: 'string' } } });
  // The development data folder, as `npm start` and the development key use it.
  const out = path.resolve(values.out ?? path.join(loadConfig().dataDir, 'tls'));
  makeDevelopmentCa(out, { hosts: values.hosts?.split(',').filter(Boolean) });
  console.log(`Wrote a development CA and certificates for ${TLS_PARTS.join(', ')} to ${out}:
  TLS_CA_FILE=${path.join(out, 'ca.pem')}
  TLS_CERT_FILE=${path.join(out, '<part>.pem')}
  TLS_KEY_FILE=${path.join(out, '<part>.key')}`);
}
