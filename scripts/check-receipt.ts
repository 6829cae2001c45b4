/**
 * `npm run audit:check-receipt -- <receipt.json> [--keys <keys.json>]`: checks a receipt of an Art. 15 report
 * offline, with nothing but the public keys: each disclosure's record against its hash, its inclusion proof
 * against the signed checkpoint's root, the log's signature and the witnesses' cosignatures. `--keys` names
 * keys obtained from the agencies themselves (the answers of their `/audit/keys`, as one JSON array or
 * object); without it the keys the receipt carries are used, and the output says so. Exit code 0 when the
 * receipt holds, 1 when anything in it does not, 64/66 for a wrong call or an unreadable file.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { PublishedKey } from '../common/audit/log/log-keys.js';
import { checkReceipt } from '../common/audit/proofs/receipt.js';

const usage = 'Usage: npm run audit:check-receipt -- <receipt.json> [--keys <keys.json>]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { keys: { type: 'string' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
if (parsed.positionals.length !== 1) {
  console.error(usage);
  process.exit(64);
}

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    console.error(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
    process.exit(66); // EX_NOINPUT
  }
}

/** Keys as `/audit/keys` answers them: one answer, several in an array, or a bare list of keys. */
function flattenKeys(value: unknown): PublishedKey[] {
  if (Array.isArray(value))
    return value.flatMap((v) => (v && typeof v === 'object' && 'keys' in v ? flattenKeys(v) : [v as PublishedKey]));
  if (value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys))
    return (value as { keys: PublishedKey[] }).keys;
  return [];
}

const receipt = await readJson(parsed.positionals[0], 'receipt');
const trusted = parsed.values.keys ? flattenKeys(await readJson(parsed.values.keys, 'key file')) : undefined;
if (trusted && trusted.length === 0) {
  console.error(`The key file ${parsed.values.keys} lists no keys`);
  process.exit(64);
}
const result = checkReceipt(receipt, trusted);
console.log(
  trusted
    ? `checked with the ${trusted.length} keys of ${parsed.values.keys}`
    : 'checked with the keys the receipt carries: compare their key ids with the ones the agencies publish, or pass --keys',
);
for (const line of result.logs) console.log(`  ${line}`);
const pending = (receipt as { pending?: unknown[] }).pending?.length ?? 0;
if (result.valid) {
  console.log(
    `receipt valid: ${result.proven} disclosure${result.proven === 1 ? '' : 's'} proven to be in the signed, cosigned logs${pending ? ` (${pending} newer not yet in a cosigned checkpoint, not proven)` : ''}`,
  );
  process.exit(0);
}
console.log(
  `receipt NOT valid: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${result.proven} disclosures proven)`,
);
for (const problem of result.problems) console.log(`  - ${problem}`);
process.exit(1);
