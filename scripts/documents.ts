/**
 * `npm run documents -- add|list|check`: the trusted documents per agency (gateway/trusted-documents.ts).
 *
 *   npm run documents -- add --agency jobcenter examples/caseworker-app/src/person-view.graphql
 *   npm run documents -- add --agency county --console      the consent officers' console's operations
 *   npm run documents -- add --agency county --analysts     the analysts' page's operations
 *   npm run documents -- list [--agency jobcenter]
 *   npm run documents -- check
 *
 * `add` validates each document against schema/supergraph.graphql, prints it canonically to
 * trusted-documents/<agency folder>/<OperationName>.graphql and rewrites trusted-documents/manifest.json. A page of
 * the console (`--console`, `--analysts`) is one shared set for every agency that registers it:
 * trusted-documents/shared/<page>/, with the agency added to trusted-documents/shared.json.
 * `check` fails (exit 1) when a file does not parse or no longer validates, when a file and the manifest
 * disagree, or when the console's registered operations are not the ones it now sends.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { parse, print, validate } from 'graphql';
import { loadConfigOrExit } from '../common/config.js';
import {
  agencyFolder,
  apiSchemaOf,
  canonicalDocument,
  documentFileText,
  manifestOf,
  MANIFEST_FILE,
  readSharedSets,
  readTrustedDocuments,
  SHARED_DIR,
  SHARED_FILE,
  TRUSTED_DOCUMENTS_DIR,
  type CanonicalDocument,
  type Manifest,
} from '../gateway/trusted-documents.js';

const root = path.resolve(import.meta.dirname, '..');
const config = loadConfigOrExit();
const dir = config.trustedDocumentsDir ?? path.join(root, TRUSTED_DOCUMENTS_DIR);
const manifestPath = path.join(dir, MANIFEST_FILE);
/** The console's documents as GraphQL Code Generator wrote them (console/codegen.ts). */
const CONSOLE_DOCUMENTS = path.join(root, 'console/src/gql/persisted-documents.json');
/** Which of the console's operations each page sends, by the prefix of their names. */
const CONSOLE_PAGES = { console: 'Console', analysts: 'Analyst' } as const;

const USAGE = `Usage:
  npm run documents -- add --agency <agency> <file.graphql>...
  npm run documents -- add --agency <agency> --console | --analysts
  npm run documents -- list [--agency <agency>]
  npm run documents -- check`;

function fail(message: string, code = 64): never {
  console.error(message);
  process.exit(code);
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
const OPTIONS = {
  agency: { type: 'string' },
  console: { type: 'boolean' },
  analysts: { type: 'boolean' },
} as const;
try {
  parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
const [command, ...files] = parsed.positionals;
const supergraphSdl = await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8');
const schema = apiSchemaOf(supergraphSdl);

/**
 * The console's operations of one page exactly as its Apollo Client sends them: the generated documents with
 * `__typename` in every selection set below the root (Apollo Client's cache adds it).
 */
async function consoleDocuments(page: keyof typeof CONSOLE_PAGES): Promise<CanonicalDocument[]> {
  const generated = JSON.parse(await readFile(CONSOLE_DOCUMENTS, 'utf8')) as Record<string, string>;
  return Object.values(generated)
    .map((text) => canonicalDocument(print(addTypenameToDocument(parse(text)))))
    .filter((d) => d.operationNames.every((name) => name.startsWith(CONSOLE_PAGES[page])));
}

async function readManifest(): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeManifest(): Promise<void> {
  const { documents } = await readTrustedDocuments(dir, config.agencies);
  await writeFile(manifestPath, `${JSON.stringify(manifestOf(documents), null, 2)}\n`);
}

async function add(): Promise<void> {
  const agency = parsed.values.agency;
  if (!agency || !config.agencies.has(agency)) {
    fail(`--agency must name an agency of this district: ${config.agencies.ids.join(', ')}\n${USAGE}`);
  }
  const pages = (['console', 'analysts'] as const).filter((page) => parsed.values[page]);
  if (!files.length && !pages.length) fail(`Name the documents to add.\n${USAGE}`);
  const documents: { folder: string; document: CanonicalDocument }[] = [];
  const sentBy = new Map<(typeof pages)[number], CanonicalDocument[]>();
  for (const page of pages) {
    sentBy.set(page, await consoleDocuments(page));
    for (const document of sentBy.get(page)!) documents.push({ folder: `${SHARED_DIR}/${page}`, document });
  }
  for (const file of files) {
    try {
      documents.push({
        folder: agencyFolder(agency),
        document: canonicalDocument(await readFile(path.resolve(file), 'utf8')),
      });
    } catch (error) {
      fail(`${file}: ${(error as Error).message}`, 1);
    }
  }
  for (const { folder, document } of documents) {
    const name = document.operationNames[0];
    if (!name || document.operationNames.some((n) => !n)) fail('Every operation of a trusted document needs a name', 1);
    const errors = validate(schema, document.document);
    if (errors.length) {
      fail(
        `${name} does not validate against schema/supergraph.graphql: ${errors.map((e) => e.message).join('; ')}`,
        1,
      );
    }
    await mkdir(path.join(dir, folder), { recursive: true });
    await writeFile(path.join(dir, folder, `${name}.graphql`), documentFileText(document));
    console.log(`${agency}: ${folder}/${name}.graphql sha256 ${document.hash}`);
  }
  if (pages.length) {
    // A page's set is what the page sends now: an operation it no longer sends is no longer registered.
    for (const page of pages) {
      const sent = new Set(sentBy.get(page)!.map((d) => `${d.operationNames[0]}.graphql`));
      for (const name of await readdir(path.join(dir, SHARED_DIR, page))) {
        if (!name.endsWith('.graphql') || sent.has(name)) continue;
        await rm(path.join(dir, SHARED_DIR, page, name));
        console.log(
          `${SHARED_DIR}/${page}/${name} removed: the ${page === 'console' ? 'console' : "analysts' page"} no longer sends it`,
        );
      }
    }
    const sets = await readSharedSets(dir);
    for (const page of pages) sets[page] = [...new Set([...(sets[page] ?? []), agency])].sort();
    const sorted = Object.fromEntries(Object.entries(sets).sort(([a], [b]) => a.localeCompare(b)));
    await writeFile(path.join(dir, SHARED_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
  }
  await writeManifest();
}

async function list(): Promise<void> {
  const { documents, problems } = await readTrustedDocuments(dir, config.agencies);
  for (const d of documents.filter((doc) => !parsed.values.agency || doc.agency === parsed.values.agency)) {
    console.log(`${d.agency}\t${d.hash}\t${d.file}\t${d.operationNames.join(', ')}`);
  }
  for (const p of problems) console.error(`${p.file}: ${p.message}`);
}

async function check(): Promise<void> {
  const { documents, problems } = await readTrustedDocuments(dir, config.agencies, schema);
  const found = problems.map((p) => `${p.file} ${p.message}`);
  const manifest = (await readManifest()) ?? {};
  const actual = manifestOf(documents);
  for (const agency of new Set([...Object.keys(manifest), ...Object.keys(actual)])) {
    const listed = manifest[agency] ?? {};
    const present = actual[agency] ?? {};
    for (const [hash, file] of Object.entries(listed)) {
      if (present[hash] === file) continue;
      const now = Object.entries(present).find(([, f]) => f === file);
      found.push(
        now
          ? `${file}: the manifest lists sha256 ${hash}, but the file's document hashes to ${now[0]} (changed by hand? run npm run documents -- add)`
          : `${MANIFEST_FILE} lists ${file} (sha256 ${hash}) for ${agency}, but there is no such valid document`,
      );
    }
    for (const [hash, file] of Object.entries(present)) {
      if (listed[hash] !== file && !Object.values(listed).includes(file)) {
        found.push(`${file} (sha256 ${hash}) is not in ${MANIFEST_FILE}`);
      }
    }
  }
  // An agency that registered a page of the console must have registered what the page sends now, and a page's
  // shared set holds nothing else.
  for (const page of ['console', 'analysts'] as const) {
    const current = await consoleDocuments(page);
    for (const d of documents.filter((doc) => doc.file.startsWith(`${SHARED_DIR}/${page}/`))) {
      if (!current.some((c) => c.hash === d.hash) && !found.some((f) => f.startsWith(`${d.file} `)))
        found.push(
          `${d.file} is not sent by the ${page === 'console' ? 'console' : "analysts' page"} (npm run documents -- add --agency ${d.agency} --${page} removes it)`,
        );
    }
    for (const agency of new Set(documents.map((d) => d.agency))) {
      const own = documents.filter(
        (d) => d.agency === agency && d.operationNames.every((n) => n.startsWith(CONSOLE_PAGES[page])),
      );
      if (!own.length) continue;
      for (const document of current) {
        if (!own.some((d) => d.hash === document.hash)) {
          found.push(
            `${agencyFolder(agency)}/${document.operationNames[0]}.graphql is not what the ${page === 'console' ? 'console' : "analysts' page"} sends now (npm run documents -- add --agency ${agency} --${page})`,
          );
        }
      }
    }
  }
  if (found.length) fail(`Trusted documents: ${found.length} problem(s)\n${found.map((f) => `- ${f}`).join('\n')}`, 1);
  console.log(
    `Trusted documents: ${documents.length} documents of ${Object.keys(actual).length} agencies, all valid against schema/supergraph.graphql and as the manifest lists them`,
  );
}

switch (command) {
  case 'add':
    await add();
    break;
  case 'list':
    await list();
    break;
  case 'check':
    await check();
    break;
  default:
    fail(USAGE);
}
