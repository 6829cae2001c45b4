import { link, unlink, writeFile } from 'node:fs/promises';

/**
 * Creates `file` with `content` unless it exists, and says whether this call created it. The content is
 * written whole to a file of this process's own first and then linked into place, so a process that reads
 * `file` meanwhile (parts starting at the same time, each ready to create a shared development key) never
 * sees it empty or half-written; of two creators, the one that links first wins.
 */
export async function createFileOnce(file: string, content: string, mode = 0o600): Promise<boolean> {
  const draft = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  await writeFile(draft, content, { flag: 'wx', mode });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft);
  }
}
