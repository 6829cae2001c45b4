/**
 * A signature counts only from a key of the party it claims to be, in the role it claims (issue #23, hole 1).
 * Tried as an insider holding one key of the district would: rewrite a county record a person holds in a
 * receipt (recipient, purpose), re-hash it, put it into a one-record checkpoint, and sign *and* cosign that
 * with every wrong key there is — each log's key for another log, the registry's witness key as a log key, a
 * log's key as its own witness, a witness run by the log's own agency, a key announced without its
 * predecessor's signature, one key listed for two owners. Each fails with a sentence naming the key and its
 * owner, in `checkReceipt` and in `npm run audit:check-receipt`; a witness pins each log's keys and takes a
 * new key only when a pinned key announced it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '@jest/globals';
import {
  ephemeralKeyRing,
  keyRing,
  publishKeys,
  type KeyOwner,
  type LogKeyRing,
  type PublishedKey,
} from '../../common/audit/log/log-keys.js';
import {
  chainEntries,
  GENESIS_HASH,
  type DisclosureEntry,
  type DisclosureRecord,
} from '../../common/audit/log/record.js';
import { cosign, signCheckpoint, type CosignedCheckpoint } from '../../common/audit/proofs/checkpoint.js';
import { KeyFileError, parseLabelledKeys, type LabelledKeys } from '../../common/audit/proofs/key-set.js';
import { inclusionProof, rootOf } from '../../common/audit/proofs/merkle.js';
import { recordLeaf } from '../../common/audit/proofs/merkle-store.js';
import { checkReceipt, RECEIPT_FORMAT, type Receipt } from '../../common/audit/proofs/receipt.js';
import {
  FileWitnessStore,
  witnessCheckpoint,
  type WitnessOutcome,
} from '../../common/audit/witness/checkpoint-witness.js';
import { generateKeyPairSync } from 'node:crypto';

const LOGS = ['county', 'municipality', 'jobcenter', 'socialcare'] as const;
type Log = (typeof LOGS)[number];
const PERSON = randomUUID();

/** The district: each data subgraph's log key, the registry's witness key and the district DPO's witness key. */
const logKeys = Object.fromEntries(LOGS.map((l) => [l, ephemeralKeyRing()])) as Record<Log, LogKeyRing>;
const registryWitness = ephemeralKeyRing();
const dpoWitness = ephemeralKeyRing();
/** An independent witness the county runs itself: a party, but the county's. */
const countyWitness = ephemeralKeyRing();

/** What the agencies' `GET /audit/keys` answer, kept whole with their labels. */
function answers(overrides: Partial<Record<Log, PublishedKey[]>> = {}): unknown[] {
  return [
    ...LOGS.map((l) => ({
      logId: `verbund:${l}`,
      keys: overrides[l] ?? publishKeys(logKeys[l], { role: 'log', logId: `verbund:${l}` }),
    })),
    { witness: 'consent', keys: publishKeys(registryWitness, { role: 'witness', witness: 'consent' }) },
    { witness: 'dpo', keys: publishKeys(dpoWitness, { role: 'witness', witness: 'dpo' }) },
    { witness: 'county', keys: publishKeys(countyWitness, { role: 'witness', witness: 'county' }) },
  ];
}
const district = (overrides?: Partial<Record<Log, PublishedKey[]>>): LabelledKeys =>
  parseLabelledKeys(answers(overrides));

function entry(purpose = 'RESIDENCE_PROCEDURE', agency = 'county'): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency,
    officer: 'k.schmidt',
    roles: ['CASEWORKER'],
    purpose,
    operation: 'PersonView',
    kind: 'READ',
    personId: PERSON,
    released: [{ field: 'Person.residence', category: 'RESIDENCE' }],
    refused: [],
    basis: [{ category: 'RESIDENCE', basis: 'STATUTE:x' }],
    changes: [],
    retention: null,
    policyVersion: 'test',
    correlationId: null,
  };
}

/** A receipt of the county's records, signed with `signer` and cosigned by each `[witness name, key]`. */
function receiptOf(
  records: DisclosureRecord[],
  signer: LogKeyRing,
  cosigners: [string, LogKeyRing][],
  carried: { logKeys?: PublishedKey[] } = {},
): Receipt {
  const leaves = records.map((r) => recordLeaf(r.hash));
  const checkpoint = signCheckpoint(signer, 'verbund:county', records.length, rootOf(leaves).toString('hex'));
  const cosigned: CosignedCheckpoint = {
    ...checkpoint,
    cosignatures: cosigners.map(([name, keys]) => cosign(keys, name, checkpoint)),
  };
  return {
    format: RECEIPT_FORMAT,
    personId: PERSON,
    generatedAt: new Date().toISOString(),
    logs: { county: { checkpoint: cosigned, keys: carried.logKeys ?? publishKeys(signer) } },
    witnessKeys: publishKeys(registryWitness),
    disclosures: records.map((record, i) => ({
      subgraph: 'county',
      record: { ...record, at: record.at.toISOString() },
      leafIndex: i,
      proof: inclusionProof(i, leaves).map((h) => h.toString('hex')),
    })),
    pending: [],
  };
}

const genuineRecords = chainEntries(
  [entry(), entry('CLEARING'), entry()],
  { sequence: 0, hash: GENESIS_HASH },
  new Date(),
);
/** The forger's one-record history: the county's record with another recipient and purpose, re-hashed. */
const [forgedRecord] = chainEntries(
  [entry('JOB_PLACEMENT', 'jobcenter')],
  { sequence: 0, hash: GENESIS_HASH },
  genuineRecords[0].at,
);

describe('a receipt counts a key only for its owner and its role', () => {
  it('holds for the genuine receipt: the county signs, the registry and the DPO cosign', () => {
    const result = checkReceipt(
      receiptOf(genuineRecords, logKeys.county, [
        ['consent', registryWitness],
        ['dpo', dpoWitness],
      ]),
      district(),
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.valid, true);
    assert.equal(result.proven, 3);
    assert.match(
      result.logs[0],
      /signed .* by key [0-9a-f]{16} \(the log key of verbund:county\), cosigned by consent .*, dpo/,
    );
  });

  it("refuses a checkpoint signed and cosigned with one key that is not the county's: every wrong key of the district", () => {
    const wrong: [string, LogKeyRing, RegExp][] = [
      [
        "the registry's witness key as the county's log key",
        registryWitness,
        new RegExp(
          `key ${registryWitness.keyId}, which is the witness key of consent: only a key of verbund:county itself signs`,
        ),
      ],
      [
        "the DPO's witness key as the county's log key",
        dpoWitness,
        new RegExp(`key ${dpoWitness.keyId}, which is the witness key of dpo: only a key of verbund:county`),
      ],
      ...LOGS.filter((l) => l !== 'county').map((l): [string, LogKeyRing, RegExp] => [
        `the ${l} log key for the county's log`,
        logKeys[l],
        new RegExp(
          `key ${logKeys[l].keyId}, which is the log key of verbund:${l}: only a key of verbund:county itself`,
        ),
      ]),
      [
        'a key nobody in the district published',
        ephemeralKeyRing(),
        /which is not in the key set: only a key of verbund:county itself signs its checkpoints/,
      ],
    ];
    for (const [what, key, message] of wrong) {
      const result = checkReceipt(receiptOf([forgedRecord], key, [['consent', key]]), district());
      assert.equal(result.valid, false, what);
      assert.equal(result.proven, 0, what);
      assert.match(result.problems.join('\n'), message, what);
      assert.match(result.problems.join('\n'), /no valid cosigned checkpoint of the county log/, what);
    }
  });

  it('refuses each log key signing any other log: every pair of the district', () => {
    for (const owner of LOGS) {
      for (const target of LOGS.filter((l) => l !== owner)) {
        const leaves = [recordLeaf(forgedRecord.hash)];
        const checkpoint = signCheckpoint(logKeys[owner], `verbund:${target}`, 1, rootOf(leaves).toString('hex'));
        const receipt = receiptOf([forgedRecord], logKeys.county, [['consent', registryWitness]]);
        receipt.logs = {
          [target]: {
            checkpoint: { ...checkpoint, cosignatures: [cosign(registryWitness, 'consent', checkpoint)] },
            keys: [],
          },
        };
        receipt.disclosures = [{ ...receipt.disclosures[0], subgraph: target }];
        const result = checkReceipt(receipt, district());
        assert.equal(result.valid, false, `${owner} → ${target}`);
        assert.match(
          result.problems[0],
          new RegExp(
            `^${target}: checkpoint 1 of verbund:${target} is signed with key ${logKeys[owner].keyId}, which is the log key of verbund:${owner}`,
          ),
          `${owner} → ${target}`,
        );
      }
    }
  });

  it('refuses a log as its own witness: its log key cosigning, or a witness its own agency runs', () => {
    const ownKey = checkReceipt(receiptOf([forgedRecord], logKeys.county, [['consent', logKeys.county]]), district());
    assert.equal(ownKey.valid, false);
    assert.match(
      ownKey.problems.join('\n'),
      new RegExp(
        `key ${logKeys.county.keyId} is the log key of verbund:county itself: a log cannot witness its own checkpoints`,
      ),
    );
    // The county's own log key, its cosignature named after the DPO: still the county's key.
    const posing = checkReceipt(receiptOf([forgedRecord], logKeys.county, [['dpo', logKeys.county]]), district());
    assert.equal(posing.valid, false);
    assert.match(posing.problems.join('\n'), /is the log key of verbund:county itself/);
    // A witness key the county holds as a witness, cosigning the county's log.
    const ownWitness = checkReceipt(receiptOf([forgedRecord], logKeys.county, [['county', countyWitness]]), district());
    assert.equal(ownWitness.valid, false);
    assert.match(ownWitness.problems.join('\n'), /county runs verbund:county and cannot witness its own checkpoints/);
    // Another log's key posing as a witness: a party, but not in the witness role.
    const logAsWitness = checkReceipt(
      receiptOf([forgedRecord], logKeys.county, [['consent', logKeys.jobcenter]]),
      district(),
    );
    assert.equal(logAsWitness.valid, false);
    assert.match(
      logAsWitness.problems.join('\n'),
      new RegExp(
        `key ${logKeys.jobcenter.keyId}, which is the log key of verbund:jobcenter, is not a witness key of consent`,
      ),
    );
    // The DPO's witness key under the registry's name.
    const borrowed = checkReceipt(receiptOf([forgedRecord], logKeys.county, [['consent', dpoWitness]]), district());
    assert.equal(borrowed.valid, false);
    assert.match(borrowed.problems.join('\n'), /which is the witness key of dpo, is not a witness key of consent/);
  });

  it('counts a rotated key only when its predecessor announced it', () => {
    const older = generateKeyPairSync('ed25519').privateKey;
    const newer = generateKeyPairSync('ed25519').privateKey;
    const rotated = keyRing([newer, older]);
    const owner: KeyOwner = { role: 'log', logId: 'verbund:county' };
    const announced = publishKeys(rotated, owner);
    assert.equal(announced[0].announcedBy, rotated.order[1], 'the new key is announced by the old one');
    const signedByNew = receiptOf(genuineRecords, rotated, [['consent', registryWitness]]);
    assert.equal(checkReceipt(signedByNew, district({ county: announced })).valid, true, 'an announced rotation holds');

    const cases: [string, PublishedKey[], RegExp][] = [
      [
        'a new key that names its predecessor but carries no signature of it',
        [{ ...announced[0], announcement: undefined }, announced[1]],
        new RegExp(
          `key ${rotated.keyId} is listed as the log key of verbund:county, but its announcement is not a valid signature of key ${rotated.order[1]}`,
        ),
      ],
      [
        "an announcement that is not the old key's signature",
        [
          { ...announced[0], announcement: announced[0].announcement!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
          announced[1],
        ],
        new RegExp(
          `key ${rotated.keyId} is listed as the log key of verbund:county, but its announcement is not a valid signature of key ${rotated.order[1]}`,
        ),
      ],
      [
        "an announcement naming another log's key",
        [{ ...announced[0], announcedBy: logKeys.jobcenter.keyId }, announced[1]],
        new RegExp(
          `key ${rotated.keyId} is listed as the log key of verbund:county, announced by key ${logKeys.jobcenter.keyId}, which is not a key of that owner`,
        ),
      ],
      [
        'two keys without an announcement: which came first is unclear',
        [...announced.map(({ announcedBy: _b, announcement: _a, ...k }) => k)].reverse(),
        new RegExp(
          `key ${rotated.keyId} is listed as the log key of verbund:county without an announcement, beside key ${rotated.order[1]} also without one`,
        ),
      ],
      [
        "the old key's announcement of the key for another role (a witness key made a log key)",
        [
          {
            ...publishKeys(rotated, { role: 'witness', witness: 'county' })[0],
          },
          announced[1],
        ],
        new RegExp(
          `key ${rotated.keyId} is listed as the log key of verbund:county, but its announcement is not a valid signature`,
        ),
      ],
    ];
    for (const [what, countyKeys, message] of cases) {
      const result = checkReceipt(signedByNew, district({ county: countyKeys }));
      assert.equal(result.valid, false, what);
      assert.match(
        result.problems.join('\n'),
        new RegExp(`signed with key ${rotated.keyId}, which does not count`),
        what,
      );
      assert.match(result.problems.join('\n'), message, what);
    }
  });

  it('counts a key listed for two owners for neither', () => {
    const set = district();
    set.witnesses.consent = [...set.witnesses.consent, ...publishKeys(logKeys.county)];
    const result = checkReceipt(receiptOf(genuineRecords, logKeys.county, [['consent', registryWitness]]), set);
    assert.equal(result.valid, false);
    assert.match(
      result.problems.join('\n'),
      new RegExp(
        `key ${logKeys.county.keyId} is listed both as the log key of verbund:county and as the witness key of consent`,
      ),
    );
  });

  it("checks the keys a receipt carries by the receipt's own labels too", () => {
    // Without --keys the receipt's keys are used as labelled there: its log key is no witness key.
    const receipt = receiptOf([forgedRecord], logKeys.county, [['consent', logKeys.county]]);
    receipt.witnessKeys = publishKeys(logKeys.county);
    const result = checkReceipt(receipt);
    assert.equal(result.valid, false);
    assert.match(
      result.problems.join('\n'),
      /listed both as the log key of verbund:county and as the witness key of consent/,
    );
  });

  it('refuses a key file that does not say whose its keys are', () => {
    const bare: [string, unknown][] = [
      ['a bare list of keys', publishKeys(logKeys.county)],
      ['an answer without its label', { keys: publishKeys(logKeys.county) }],
      ['answers mixed with a bare one', [...answers(), { keys: publishKeys(ephemeralKeyRing()) }]],
      ['a label that is no log id', { logId: 'county', keys: publishKeys(logKeys.county) }],
      ['both labels at once', { logId: 'verbund:county', witness: 'consent', keys: publishKeys(logKeys.county) }],
    ];
    for (const [what, value] of bare) {
      assert.throws(() => parseLabelledKeys(value), KeyFileError, what);
    }
    assert.throws(
      () => parseLabelledKeys(publishKeys(logKeys.county)),
      /without saying whose they are \(key [0-9a-f]{16}\)/,
    );
  });
});

describe('`npm run audit:check-receipt -- r.json --keys keys.json` takes the labelled set', () => {
  const run = promisify(execFile);
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-key-roles-'));
  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const check = (receipt: string, keys: string) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/check-receipt.ts', receipt, '--keys', keys], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('accepts the genuine receipt, refuses the forgeries naming key and owner, and refuses a bare key list', async () => {
    const keys = write('keys.json', answers());
    const genuine = await check(
      write('genuine.json', receiptOf(genuineRecords, logKeys.county, [['consent', registryWitness]])),
      keys,
    );
    assert.equal(genuine.code, 0, genuine.stdout + genuine.stderr);
    assert.match(genuine.stdout, /receipt valid: 3 disclosures proven/);
    assert.match(genuine.stdout, new RegExp(`the log key of verbund:county: ${logKeys.county.keyId}`));

    const forgeries: [string, LogKeyRing, RegExp][] = [
      [
        'the county key as its own witness',
        logKeys.county,
        /is the log key of verbund:county itself: a log cannot witness/,
      ],
      [
        'the witness key as the log key',
        registryWitness,
        /which is the witness key of consent: only a key of verbund:county itself/,
      ],
      [
        'the municipality key for the county',
        logKeys.municipality,
        /which is the log key of verbund:municipality: only a key of verbund:county/,
      ],
    ];
    for (const [what, key, message] of forgeries) {
      const result = await check(
        write(`${randomUUID()}.json`, receiptOf([forgedRecord], key, [['consent', key]])),
        keys,
      );
      assert.equal(result.code, 1, `${what}: ${result.stdout}`);
      assert.match(result.stdout, /receipt NOT valid/, what);
      assert.match(result.stdout, message, what);
    }

    const bare = await check(
      write('genuine2.json', receiptOf(genuineRecords, logKeys.county, [['consent', registryWitness]])),
      write(
        'bare.json',
        answers().flatMap((a) => (a as { keys: unknown[] }).keys),
      ),
    );
    assert.equal(bare.code, 64, bare.stdout);
    assert.match(
      bare.stderr,
      /cannot be used: it lists keys without saying whose they are .* GET \/audit\/keys answer whole/,
    );
  });
});

describe('a witness pins each log and takes a new key only when a pinned key announced it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-key-pins-'));
  const witnessKeys = ephemeralKeyRing();
  const owner: KeyOwner = { role: 'log', logId: 'verbund:county' };
  /** A log answering the witness's reads: its keys as published, and a first checkpoint signed by `signer`. */
  const log = (keys: PublishedKey[], signer: LogKeyRing) => async (relative: string) => {
    if (relative === '/audit/keys') return { logId: 'verbund:county', keys };
    const leaves = genuineRecords.map((r) => recordLeaf(r.hash));
    return {
      checkpoint: signCheckpoint(signer, 'verbund:county', 3, rootOf(leaves).toString('hex')),
      consistency: null,
    };
  };
  const witness = (
    read: (relative: string) => Promise<unknown>,
    pinned: Record<string, PublishedKey[]>,
    name = 'dpo',
  ): Promise<WitnessOutcome> =>
    witnessCheckpoint({
      store: new FileWitnessStore(path.join(dir, `${randomUUID()}.json`)),
      keys: witnessKeys,
      witness: name,
      read,
      pinned,
    });
  const older = generateKeyPairSync('ed25519').privateKey;
  const rotated = keyRing([generateKeyPairSync('ed25519').privateKey, older]);
  const original = keyRing([older]);
  const pinnedOriginal = { 'verbund:county': publishKeys(original) };

  it('cosigns under a pinned key, and under a new key the pinned key announced', async () => {
    assert.equal((await witness(log(publishKeys(original, owner), original), pinnedOriginal)).status, 'COSIGNED');
    assert.equal((await witness(log(publishKeys(rotated, owner), rotated), pinnedOriginal)).status, 'COSIGNED');
  });

  it('trusts nothing on first sight and no unannounced key', async () => {
    await assert.rejects(
      witness(log(publishKeys(original, owner), original), {}),
      /no key of verbund:county is pinned for this witness: a log's keys are never trusted on first sight/,
    );
    await assert.rejects(
      witness(log(publishKeys(original, owner), original), { 'verbund:jobcenter': publishKeys(logKeys.jobcenter) }),
      /no key of verbund:county is pinned/,
    );
    const unannounced = publishKeys(rotated, owner).map(({ announcedBy: _b, announcement: _a, ...k }) => k);
    const outcomes: [string, PublishedKey[], LogKeyRing, RegExp][] = [
      [
        'a new key published beside the pinned one, unannounced',
        unannounced,
        rotated,
        new RegExp(
          `checkpoint 3 is signed with key ${rotated.keyId}, which this witness does not accept: key ${rotated.keyId} is listed as the log key of verbund:county without an announcement`,
        ),
      ],
      [
        "a new key announced by another log's key",
        [{ ...publishKeys(rotated, owner)[0], announcedBy: logKeys.jobcenter.keyId }, ...publishKeys(original)],
        rotated,
        new RegExp(`announced by key ${logKeys.jobcenter.keyId}, which is not a key of that owner`),
      ],
      [
        "the registry's witness key published as the county's log key",
        [...publishKeys(original), { ...publishKeys(registryWitness)[0], announcedBy: original.keyId }],
        registryWitness,
        new RegExp(
          `key ${registryWitness.keyId} is listed as the log key of verbund:county, but its announcement is not a valid signature of key ${original.keyId}`,
        ),
      ],
    ];
    for (const [what, published, signer, message] of outcomes) {
      const outcome = await witness(log(published, signer), pinnedOriginal);
      assert.equal(outcome.status, 'ALARM', what);
      assert.match(outcome.status === 'ALARM' ? outcome.message : '', message, what);
    }
  });

  it("does not witness its own agency's log", async () => {
    await assert.rejects(
      witness(log(publishKeys(original, owner), original), pinnedOriginal, 'county'),
      /witness county runs verbund:county itself and does not witness its own checkpoints/,
    );
  });
});
