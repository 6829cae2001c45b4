/**
 * mTLS between the parts: with `TLS_CA_FILE`, `TLS_CERT_FILE` and `TLS_KEY_FILE` set, a subgraph serves HTTPS and
 * answers `/graphql`, `/audit/*` and `/lookup/*` only to clients whose certificate the CA signed (the gateway, and the other
 * parts for consent lookups, the county's register and the registry's log reads), in addition to, not instead
 * of, the caller's JWT; and every part presents its certificate on its calls to the others. `/health/*` and
 * `/metrics` (which has its own token) answer without a client certificate, for probes and the scraper.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ConfigError, type TlsPaths } from './config.js';
import { ErrorCode } from './errors.js';

/** The PEM texts of a part's CA, certificate and key. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/** Reads the files the configuration names; a missing or unreadable one stops the start naming its variable. */
export function readTlsFiles(paths: TlsPaths): TlsFiles {
  const read = (variable: string, file: string, marker: RegExp) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(
        variable,
        `a readable PEM file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        file,
      );
    }
    if (!marker.test(text)) throw new ConfigError(variable, 'a PEM file', file);
    return text;
  };
  return {
    ca: read('TLS_CA_FILE', paths.caFile, /-----BEGIN CERTIFICATE-----/),
    cert: read('TLS_CERT_FILE', paths.certFile, /-----BEGIN CERTIFICATE-----/),
    key: read('TLS_KEY_FILE', paths.keyFile, /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
  };
}

let client: TlsFiles | undefined;

/** The certificate this process presents on its HTTPS calls to other parts (and the CA it trusts for them). */
export function useClientCertificate(tls: TlsFiles | undefined): void {
  client = tls;
}

/** TLS options for an HTTPS call to another part: this process's certificate and CA, when configured. */
export function clientTlsOptions(): Partial<TlsFiles> {
  return client ? { ca: client.ca, cert: client.cert, key: client.key } : {};
}

/** The server options of a part that requires client certificates; the check per path is `refuseWithoutClientCertificate`. */
export function serverTlsOptions(tls: TlsFiles) {
  // The handshake asks for a certificate but completes without one, so that probes reach /health; every other
  // path is refused below unless the certificate was verified against the CA.
  return {
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2' as const,
  };
}

const OPEN_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Answers 403 `CLIENT_CERTIFICATE_REQUIRED` when the client presented no certificate the CA signed, except on
 * the open paths; true when it answered.
 */
export function refuseWithoutClientCertificate(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (OPEN_PATHS.has(pathname) || (req.socket as TLSSocket).authorized) return false;
  res.statusCode = 403;
  res.setHeader('content-type', 'application/json');
  res.setHeader('connection', 'close');
  res.end(
    JSON.stringify({
      errors: [
        {
          message: "This part answers only the hub's own parts: present a client certificate of the district's CA",
          extensions: { code: ErrorCode.ClientCertificateRequired },
        },
      ],
    }),
  );
  return true;
}

/** Reads the TLS files or ends the process with the error's message: for `main` files only. */
export function tlsOrExit(paths: TlsPaths): TlsFiles {
  try {
    return readTlsFiles(paths);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * The hub part a request came from: the common name of the client certificate mTLS verified against the
 * district's CA (`gateway`, `county`, …), or undefined without mTLS or without a verified certificate.
 */
export function verifiedPart(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' ? cn : undefined;
}
