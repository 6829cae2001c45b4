/**
 * `npm run bench:documents -- [--seconds 1]`: what a trusted document saves the gateway per request, in this
 * process, for the registered documents of the jobcenter's caseworker app, the console and the analysts' page.
 * The baseline is what a document costs the first time the gateway sees its text (graphql-js parse, validation
 * against the API schema, and the query plan); Apollo caches that per text, so a repeated text then costs a
 * SHA-256 of the text and a cache lookup. Measured beside it: the registry's lookup by hash (a partner sends the
 * hash), by a text seen before (the console sends Apollo Client's print), and the canonical print and hash of an
 * unseen text (what an unregistered document costs before it is refused). Prints a table of microseconds per
 * request and ratios to the baseline; asserts nothing (a benchmark is not a test).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse, validate } from 'graphql';
import { loadAgencyList } from '../common/policy/agencies.js';
import {
  canonicalDocument,
  readTrustedDocuments,
  sha256,
  TRUSTED_DOCUMENTS_DIR,
  TrustedDocumentRegistry,
} from '../gateway/trusted-documents.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const seconds = Number(values.seconds ?? 1);
if (!(seconds > 0)) {
  console.error('Usage: npm run bench:documents -- [--seconds 1]');
  process.exit(64);
}

const supergraphSdl = await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8');
const supergraph = Supergraph.build(supergraphSdl);
const apiSchema = supergraph.apiSchema();
const schema = apiSchema.toGraphQLJSSchema();
const planner = new QueryPlanner(supergraph);
const { documents } = await readTrustedDocuments(path.join(root, TRUSTED_DOCUMENTS_DIR), loadAgencyList(), schema);
const registry = new TrustedDocumentRegistry(documents);

/** Microseconds per call of `work`: the median of 5 rounds of about `seconds`/5 each. */
function measure(work: () => unknown): number {
  const rounds: number[] = [];
  let batch = 1;
  // Find a batch that takes about a millisecond, then time rounds of it.
  for (;;) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) work();
    if (Number(process.hrtime.bigint() - started) > 1e6 || batch >= 1 << 22) break;
    batch *= 2;
  }
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const started = process.hrtime.bigint();
    const until = started + BigInt(Math.round((seconds / 5) * 1e9));
    let now = started;
    while (now < until) {
      for (let i = 0; i < batch; i++) work();
      calls += batch;
      now = process.hrtime.bigint();
    }
    rounds.push(Number(now - started) / 1e3 / calls);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const picks = [
  ['jobcenter', 'CaseworkerPersonView'],
  ['county', 'ConsoleTimeline'],
  ['county', 'AnalystIndicatorSeries'],
] as const;

const rows: string[] = [];
for (const [agency, name] of picks) {
  const document = documents.find((d) => d.agency === agency && d.operationNames[0] === name);
  if (!document) throw new Error(`${name} is not registered for ${agency}`);
  // The text as a client sends it: the registered file's readable print.
  const text = await readFile(path.join(root, TRUSTED_DOCUMENTS_DIR, document.file), 'utf8');
  const spelled = `# another spelling\n${text}`;
  registry.byText(agency, text);
  const parseValidate = measure(() => validate(schema, parse(text)));
  const plan = measure(() =>
    planner.buildQueryPlan(operationFromDocument(apiSchema, parse(text), { validate: false })),
  );
  const firstSeen = parseValidate + plan;
  const apolloCached = measure(() => sha256(text));
  const byHash = measure(() => registry.byHash(agency, document.hash));
  const byKnownText = measure(() => registry.byText(agency, text));
  const unseen = measure(() => canonicalDocument(spelled));
  const ratio = (us: number) => `${(firstSeen / us).toFixed(0)}×`;
  rows.push(
    `| ${name} (${text.length} B) | ${parseValidate.toFixed(1)} + ${plan.toFixed(1)} = ${firstSeen.toFixed(1)} | ${apolloCached.toFixed(2)} | ${byHash.toFixed(3)} (${ratio(byHash)}) | ${byKnownText.toFixed(2)} (${ratio(byKnownText)}) | ${unseen.toFixed(1)} |`,
  );
}

const [load] = os.loadavg();
console.log(
  `Trusted documents, µs per request (median of 5 rounds of ${seconds / 5} s; ${os.cpus()[0]?.model ?? 'cpu'}, load ${load.toFixed(1)}, Node ${process.version})\n`,
);
console.log(
  '| document | first sight: parse + validate + plan | Apollo cache key (SHA-256 of text) | registry by hash (vs first sight) | registry by known text | unseen text: canonical print + hash |',
);
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
