/**
 * Trusted documents per agency: the operations each agency's applications may send, reviewed and kept under
 * version control as `trusted-documents/<agency folder>/<OperationName>.graphql` (`npm run documents`). A
 * document is known by the SHA-256 of its canonical text: GraphQL Code Generator's stable print
 * (`printExecutableGraphQLDocument`: definitions, fields, arguments and directives sorted by name, white space
 * reduced), so the hashes are the ones the client preset writes into `persisted-documents.json`. Reordering
 * fields keeps a document what it is; an alias, a fragment or a field added makes it another one.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, parse, print, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { parseAgency } from '../common/domain.js';
import { REQUEST_LIMITS } from '../common/limits.js';
import type { AgencyList } from '../common/policy/agencies.js';

/** The registry's folder, relative to the repository root. */
export const TRUSTED_DOCUMENTS_DIR = 'trusted-documents';
/** The generated list of every registered hash, per agency, beside the folders (`npm run documents -- check`). */
export const MANIFEST_FILE = 'manifest.json';
/**
 * The folder of document sets that several agencies register alike (the console's pages, generated from one
 * build): `shared/<set>/<OperationName>.graphql`, kept once instead of once per agency.
 */
export const SHARED_DIR = 'shared';
/** Which agencies register each shared set, e.g. `{ "console": ["county", "jobcenter"] }`, beside the folders. */
export const SHARED_FILE = 'shared.json';

/** The shared sets and the agencies registering each. */
export type SharedSets = Record<string, string[]>;

/** A document in its canonical form. */
export interface CanonicalDocument {
  /** The stable print the hash is taken of (one line). */
  text: string;
  /** SHA-256 of `text`, 64 lower-case hex digits (as `extensions.persistedQuery.sha256Hash` carries it). */
  hash: string;
  document: DocumentNode;
  /** The names of its operations, in the order written. */
  operationNames: string[];
}

/** A registered document of one agency. */
export interface TrustedDocument extends CanonicalDocument {
  agency: string;
  /** Its file, relative to the registry's folder (`jobcenter/CaseworkerPersonView.graphql`). */
  file: string;
}

/** SHA-256 of a text, as hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Parses (within the token limit) and prints a document canonically; throws graphql's syntax error.
 * Only executable documents: a type definition is no operation.
 */
export function canonicalDocument(source: string): CanonicalDocument {
  const document = parse(source, { noLocation: true, maxTokens: REQUEST_LIMITS.tokens });
  const operationNames: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operationNames.push(definition.name?.value ?? '');
    else if (definition.kind !== Kind.FRAGMENT_DEFINITION) {
      throw new Error(`a trusted document holds operations and fragments only, not ${definition.kind}`);
    }
  }
  const text = printExecutableGraphQLDocument(document);
  return { text, hash: sha256(text), document, operationNames };
}

/** The file text of a registered document: the canonical document printed readably (reviewed in pull requests). */
export function documentFileText(canonical: CanonicalDocument): string {
  return `${print(parse(canonical.text, { noLocation: true }))}\n`;
}

/** The folder of an agency's documents: its id, with `:` written as `-` (`municipality-08999001`), portable to every file system. */
export function agencyFolder(agency: string): string {
  return agency.replace(':', '-');
}

/** The agency a folder belongs to, among the district's agencies; undefined when none. */
export function agencyOfFolder(folder: string, agencies: AgencyList): string | undefined {
  return agencies.ids.find((id) => agencyFolder(id) === folder && parseAgency(id));
}

/** The API schema of a supergraph (what clients see), to validate documents against. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** One thing wrong with the registry's files, naming the file. */
export interface RegistryProblem {
  file: string;
  message: string;
}

/** The registry as read from its folder: the documents, and what could not be read or does not validate. */
export interface LoadedRegistry {
  documents: TrustedDocument[];
  problems: RegistryProblem[];
}

/**
 * Reads every agency folder of `dir`, and each shared set (`shared/<set>/`) for every agency `shared.json`
 * names for it. With `schema`, each document is validated against it (a document that no longer validates is a
 * problem, and left out). Folders of agencies not in the district's list are problems too, and so are a set
 * naming such an agency and a set without a folder.
 */
export async function readTrustedDocuments(
  dir: string,
  agencies: AgencyList,
  schema?: GraphQLSchema,
): Promise<LoadedRegistry> {
  const documents: TrustedDocument[] = [];
  const problems: RegistryProblem[] = [];
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { documents, problems };
    throw error;
  }
  const register = (agency: string, file: string, canonical: CanonicalDocument) => {
    const twin = documents.find((d) => d.agency === agency && d.hash === canonical.hash);
    if (twin) problems.push({ file, message: `is the same document as ${twin.file} (for ${agency})` });
    else documents.push({ ...canonical, agency, file });
  };
  for (const folder of entries.sort()) {
    if (folder === SHARED_DIR) continue;
    const agency = agencyOfFolder(folder, agencies);
    if (!agency) {
      problems.push({ file: folder, message: 'is not the folder of an agency of this district (AGENCIES_FILE)' });
      continue;
    }
    for (const [file, canonical] of await readFolder(dir, folder, problems, schema)) register(agency, file, canonical);
  }
  const sets = await readSharedSets(dir, problems);
  const sharedFolders = entries.includes(SHARED_DIR) ? await readdir(path.join(dir, SHARED_DIR)) : [];
  for (const [set, members] of Object.entries(sets).sort(([a], [b]) => a.localeCompare(b))) {
    const folder = `${SHARED_DIR}/${set}`;
    const unknown = members.filter((agency) => !agencies.has(agency) || !parseAgency(agency));
    if (unknown.length)
      problems.push({
        file: SHARED_FILE,
        message: `names ${unknown.join(', ')} for ${set}, not agencies of this district`,
      });
    if (!sharedFolders.includes(set)) {
      problems.push({ file: SHARED_FILE, message: `names the set ${set}, but there is no folder ${folder}` });
      continue;
    }
    const files = await readFolder(dir, folder, problems, schema);
    for (const agency of members.filter((a) => !unknown.includes(a)).sort())
      for (const [file, canonical] of files) register(agency, file, canonical);
  }
  return { documents, problems };
}

/** The valid documents of one folder of the registry, by file; what is wrong with the others goes to `problems`. */
async function readFolder(
  dir: string,
  folder: string,
  problems: RegistryProblem[],
  schema?: GraphQLSchema,
): Promise<[string, CanonicalDocument][]> {
  const read: [string, CanonicalDocument][] = [];
  const files = (await readdir(path.join(dir, folder))).filter((f) => f.endsWith('.graphql')).sort();
  for (const name of files) {
    const file = `${folder}/${name}`;
    let canonical: CanonicalDocument;
    try {
      canonical = canonicalDocument(await readFile(path.join(dir, file), 'utf8'));
    } catch (error) {
      problems.push({ file, message: (error as Error).message });
      continue;
    }
    if (canonical.operationNames.some((n) => !n)) {
      problems.push({ file, message: 'every operation of a trusted document needs a name' });
      continue;
    }
    if (schema) {
      const errors = validate(schema, canonical.document);
      if (errors.length) {
        problems.push({
          file,
          message: `does not validate against the supergraph: ${errors.map((e) => e.message).join('; ')}`,
        });
        continue;
      }
    }
    read.push([file, canonical]);
  }
  return read;
}

/** `shared.json` as written: each set's list of agencies; none when there is no such file. */
export async function readSharedSets(dir: string, problems: RegistryProblem[] = []): Promise<SharedSets> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, SHARED_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    problems.push({ file: SHARED_FILE, message: `is not JSON: ${(error as Error).message}` });
    return {};
  }
  const sets: SharedSets = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file: SHARED_FILE, message: 'must map each set to the agencies registering it' });
    return sets;
  }
  for (const [set, members] of Object.entries(raw)) {
    if (!/^[a-z][a-z0-9-]*$/.test(set) || !Array.isArray(members) || !members.every((m) => typeof m === 'string')) {
      problems.push({
        file: SHARED_FILE,
        message: `${JSON.stringify(set)} must be a lower-case name with a list of agencies`,
      });
      continue;
    }
    sets[set] = members;
  }
  return sets;
}

/** The manifest: per agency, each registered hash and its file, sorted. */
export type Manifest = Record<string, Record<string, string>>;

/** The manifest of a set of documents. */
export function manifestOf(documents: TrustedDocument[]): Manifest {
  const manifest: Manifest = {};
  for (const d of [...documents].sort((a, b) => a.agency.localeCompare(b.agency) || a.hash.localeCompare(b.hash))) {
    (manifest[d.agency] ??= {})[d.hash] = d.file;
  }
  return manifest;
}

/** How many distinct texts of registered documents (other spellings of them) are remembered per registry. */
const MAX_REMEMBERED_TEXTS = 2_000;

/**
 * The registered documents, looked up by agency and hash or by text. A text is found at once when it is the
 * canonical text or a spelling seen before (the console's Apollo Client sends its own print); otherwise it is
 * parsed and printed canonically once, and remembered only when it turns out registered.
 */
export class TrustedDocumentRegistry {
  private readonly byAgency = new Map<string, Map<string, TrustedDocument>>();
  private readonly texts = new Map<string, TrustedDocument>();

  constructor(readonly documents: readonly TrustedDocument[]) {
    for (const d of documents) {
      let own = this.byAgency.get(d.agency);
      if (!own) this.byAgency.set(d.agency, (own = new Map<string, TrustedDocument>()));
      own.set(d.hash, d);
      this.texts.set(`${d.agency}\n${d.text}`, d);
    }
  }

  /** The agency's document with this hash. */
  byHash(agency: string, hash: string): TrustedDocument | undefined {
    return this.byAgency.get(agency)?.get(hash);
  }

  /** The agency's document this text spells; throws graphql's error when the text does not parse. */
  byText(agency: string, text: string): TrustedDocument | undefined {
    const key = `${agency}\n${text}`;
    const known = this.texts.get(key);
    if (known) return known;
    const own = this.byAgency.get(agency);
    if (!own) return undefined;
    const found = own.get(canonicalDocument(text).hash);
    if (found && this.texts.size < MAX_REMEMBERED_TEXTS) this.texts.set(key, found);
    return found;
  }
}

/** Thrown at start when trusted documents are on and the registry has problems; the message names each file. */
export class TrustedDocumentsError extends Error {
  constructor(problems: RegistryProblem[]) {
    super(
      `The trusted documents cannot be served: ${problems.map((p) => `${p.file} ${p.message}`).join('; ')} (npm run documents -- check)`,
    );
    this.name = 'TrustedDocumentsError';
  }
}

/**
 * The gateway's trusted documents, read and validated against the supergraph at start. With `enforce` a
 * registry problem stops the start (a refused partner application is better than a wrong registry); without,
 * the document is left out and `warn` names it.
 */
export async function loadTrustedDocuments(options: {
  dir: string;
  enforce: boolean;
  supergraphSdl: string;
  agencies: AgencyList;
  warn?: (message: string) => void;
}): Promise<{ registry: TrustedDocumentRegistry; enforce: boolean }> {
  const { documents, problems } = await readTrustedDocuments(
    options.dir,
    options.agencies,
    apiSchemaOf(options.supergraphSdl),
  );
  if (problems.length && options.enforce) throw new TrustedDocumentsError(problems);
  for (const p of problems) options.warn?.(`trusted document ${p.file} left out: ${p.message}`);
  return { registry: new TrustedDocumentRegistry(documents), enforce: options.enforce };
}
