import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { REQUEST_LIMITS } from '../../common/limits.js';
import { ROOT } from '../support/kustomize.js';

/**
 * deploy/router.yaml where it lives: validated against the configuration schema the pinned Apollo Router
 * release publishes (`apollo-router/src/configuration/snapshots/…schema_generation.snap` at tag v2.13.1 of
 * github.com/apollographql/router, kept as deploy/router/configuration-schema.v2.13.1.json), the schema the
 * Router itself checks a configuration file against at start.
 */
const PINNED = 'v2.13.1';

/** The Router's integer and number formats (schemars), so that Ajv checks them instead of ignoring them. */
const FORMATS: Record<string, (value: number) => boolean> = {
  uint: (v) => Number.isInteger(v) && v >= 0,
  uint32: (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32,
  uint64: (v) => Number.isInteger(v) && v >= 0,
  int64: (v) => Number.isInteger(v),
  double: (v) => Number.isFinite(v),
};

async function validator() {
  const schema = JSON.parse(
    await readFile(path.join(ROOT, `deploy/router/configuration-schema.${PINNED}.json`), 'utf8'),
  ) as object;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'number', validate: check });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

describe(`deploy/router.yaml for Apollo Router ${PINNED}`, () => {
  it("is valid against the release's published configuration schema, and the schema rejects an older Router's keys", async () => {
    const validate = await validator();
    const config = parse(await readFile(path.join(ROOT, 'deploy/router.yaml'), 'utf8')) as Record<string, any>;
    const valid = validate(config);
    assert.ok(valid, JSON.stringify(validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''}`)));
    assert.match(await readFile(path.join(ROOT, 'deploy/router.yaml'), 'utf8'), new RegExp(`v${PINNED.slice(1)}`));
    // The same check refuses what older configurations wrote: one issuer per JWKS instead of `issuers`.
    const older = structuredClone(config);
    const [jwks] = older.authentication.router.jwt.jwks as Record<string, unknown>[];
    jwks.issuer = jwks.issuers;
    delete jwks.issuers;
    assert.equal(validate(older), false);
    assert.equal(validate({ ...config, limits: { ...config.limits, max_depth: 'eight' } }), false);
  });

  it('passes the trace context on, checks the audience, allows only the console origin, and bounds requests as the gateway does', async () => {
    const config = parse(await readFile(path.join(ROOT, 'deploy/router.yaml'), 'utf8')) as Record<string, any>;
    assert.equal(config.telemetry.exporters.tracing.propagation.trace_context, true);
    assert.equal(config.telemetry.exporters.tracing.otlp.enabled, true);
    assert.deepEqual(config.authentication.router.jwt.jwks[0].audiences, ['verbund']);
    assert.ok(!(config.cors.allow_any_origin ?? false), 'not any origin');
    for (const policy of config.cors.policies as { origins: string[]; allow_headers: string[] }[]) {
      assert.ok(policy.origins.every((origin) => origin.startsWith('https://')));
      assert.ok(policy.allow_headers.includes('x-purpose'));
    }
    const propagated = (config.headers.all.request as { propagate: { named: string } }[]).map((r) => r.propagate.named);
    for (const header of ['authorization', 'x-purpose', 'x-request-id']) assert.ok(propagated.includes(header), header);
    assert.equal(config.limits.http_max_request_bytes, REQUEST_LIMITS.bodyBytes);
    assert.equal(config.limits.max_depth, REQUEST_LIMITS.depth);
    assert.equal(config.limits.max_aliases, REQUEST_LIMITS.aliases);
    assert.equal(config.limits.parser_max_tokens, REQUEST_LIMITS.tokens);
  });
});
