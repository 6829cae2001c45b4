/**
 * `npm run audit:check-receipt -- <receipt.json> [--keys <keys.json>]`: checks a receipt of an Art. 15 report
 * offline, with nothing but the public keys: each disclosure's record against its hash, its inclusion proof
 * against the signed checkpoint's root, the log's signature and the witnesses' cosignatures. `--keys` names
 * keys obtained from the agencies themselves, labelled with their owner (the answers of their `/audit/keys`
 * kept whole, as one JSON array; or `{ logs: { <logId>: keys }, witnesses: { <name>: keys } }`): a key counts
 * only for its own log's checkpoints or as its own witness's cosignature on another party's log. A bare list
 * of keys is refused (exit 64). Without `--keys` the keys the receipt carries are used, and the output says so.
 * Exit code 0 when the receipt holds, 1 when anything in it does not, 64/66 for a wrong call or an unreadable
 * file.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KeyDirectory, KeyFileError, parseLabelledKeys, type LabelledKeys } from '../common/audit/proofs/key-set.js';
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

const receipt = await readJson(parsed.positionals[0], 'receipt');
let trusted: LabelledKeys | undefined;
if (parsed.values.keys) {
  try {
    trusted = parseLabelledKeys(await readJson(parsed.values.keys, 'key file'));
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    console.error(
      `The key file ${parsed.values.keys} cannot be used: ${error.message} (see docs/proofs.md, "The key file")`,
    );
    process.exit(64);
  }
}
const result = checkReceipt(receipt, trusted);
console.log(
  trusted
    ? `checked with the keys of ${parsed.values.keys}, each only for its owner and role:`
    : 'checked with the keys the receipt carries: compare their key ids with the ones the agencies publish, or pass --keys',
);
if (trusted) {
  const directory = new KeyDirectory(trusted);
  for (const line of directory.owners) console.log(`  ${line}`);
  for (const refused of directory.refused) console.log(`  not counted: ${refused}`);
}
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
