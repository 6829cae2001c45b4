import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen } from '../../common/http.js';
import { buildGateway } from '../../gateway/gateway.js';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../scripts/build-console.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { TEST_ISSUER, testKey, testVerifier } from '../support/tokens.js';

/** Debian's Chromium; Playwright's own browser download does not work on the project's machines. */
export const CHROMIUM = '/usr/bin/chromium';
/** Chromium's German texts and formats, from Debian's `chromium-l10n`; without them it is en-US whatever it is told. */
export const CHROMIUM_GERMAN = '/usr/lib/chromium/locales/de.pak';
const INSTALL = 'apt-get update && apt-get install -y chromium chromium-l10n';

/**
 * Launches headless Chromium in German, or fails (never skips) with how to install it. On Linux Chromium takes
 * its own language (the one of its date fields: dd.mm.yyyy) from the environment (`LANGUAGE`, `LC_ALL`, `LANG`)
 * and ignores `--lang`, which only other systems read; both are given. The page's language is the context's
 * `locale` (de-DE in every test).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No browser for the console tests: ${CHROMIUM} is missing. Install Debian's Chromium and its languages with \`${INSTALL}\` (as root).`,
    );
  }
  if (!existsSync(CHROMIUM_GERMAN)) {
    throw new Error(
      `Chromium has no German (${CHROMIUM_GERMAN} is missing), so its date fields would read mm/dd/yyyy. Install Debian's chromium-l10n with \`${INSTALL}\` (as root).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, LANGUAGE: 'de', LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8' },
    args: [
      '--lang=de-DE',
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The whole hub with the console served beside its graph, as a browser test drives it. */
export interface ConsoleHub {
  hub: RunningHub;
  /** The gateway's address without `/graphql`: the console is at `${base}/console`, the graph at `${base}/graphql`. */
  base: string;
  /** Stops the gateway and the hub. */
  stop(): Promise<void>;
}

/**
 * Starts the whole hub over fresh seeded databases (the console built first when missing or older than its
 * sources) and, on a free port, a gateway built as `npm start` builds it, in production mode, with the console
 * and its development sign-in.
 */
export async function startConsoleHub(options: Parameters<typeof startHub>[0]): Promise<ConsoleHub> {
  await ensureConsoleBuilt();
  const hub = await startHub(options);
  try {
    const gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      verifier: await testVerifier(),
      development: false,
      console: { dir: CONSOLE_DIST_DIR, devSignIn: { key: await testKey(), issuer: TEST_ISSUER } },
    });
    const served = await listen(gateway.handler, 0).catch(async (error: unknown) => {
      await gateway.stop();
      throw error;
    });
    return {
      hub,
      base: served.url.replace(/\/graphql$/, ''),
      async stop() {
        await served.close();
        await gateway.stop();
        await hub.stop();
      },
    };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page and returns its serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.addScriptTag({ content: await axeSource });
  // A string, so that the test compiler's helpers never end up in the page.
  return page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`);
}

/** Saves a screenshot into VERBUND_SCREENSHOTS (e.g. docs/screenshots) when that is set; tests never write into the tree otherwise. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.VERBUND_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Splits CSV (RFC 4180: quoted cells, doubled quotes) into rows of cells; `separator` `;` for German Excel's. */
export function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === separator) {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
