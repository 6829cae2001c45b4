import { readFileSync } from 'node:fs';

/**
 * The district's information notices (Art. 13 GDPR): the versions a consent officer may show a person before
 * the person consents, each in the languages it exists in. A closed list per deployment, like the agencies.
 */
export interface NoticeList {
  /** Whether this version of the notice exists in this language (ISO 639-1). */
  has(version: string, language: string): boolean;
  /** Whether this version exists at all (in any language). */
  hasVersion(version: string): boolean;
  readonly notices: readonly { version: string; languages: readonly string[] }[];
}

/** Checks a list read from JSON: `{ "notices": [{ "version": "2026-01", "languages": ["de", "en"] }] }`. */
export function parseNoticeList(raw: unknown, source = 'notice list'): NoticeList {
  const list = (raw as { notices?: unknown })?.notices;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`${source} is invalid: needs a non-empty "notices" array`);
  const notices = list.map((entry: unknown) => {
    const { version, languages } = (entry ?? {}) as { version?: unknown; languages?: unknown };
    if (typeof version !== 'string' || !/^[\w.-]{1,50}$/.test(version))
      throw new Error(
        `${source} is invalid: ${JSON.stringify(version)} is not a notice version (1 to 50 letters, digits, ".", "-")`,
      );
    if (!Array.isArray(languages) || languages.length === 0 || !languages.every((l) => /^[a-z]{2}$/.test(String(l))))
      throw new Error(`${source} is invalid: notice ${version} needs "languages" as ISO 639-1 codes`);
    return { version, languages: languages as string[] };
  });
  const keys = new Set(notices.flatMap((n) => n.languages.map((l) => `${n.version}\u0000${l}`)));
  const versions = new Set(notices.map((n) => n.version));
  return {
    has: (version, language) => keys.has(`${version}\u0000${language}`),
    hasVersion: (version) => versions.has(version),
    notices,
  };
}

/** The list in `file` (`NOTICES_FILE`), or the demo district's shipped with Verbund. */
export function loadNoticeList(file?: string): NoticeList {
  const path = file ?? new URL('./notices.example.json', import.meta.url);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Notice list ${String(path)} cannot be read: ${(error as Error).message}`);
  }
  return parseNoticeList(raw, `Notice list ${String(path)}`);
}
