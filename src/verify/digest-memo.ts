/**
 * The digests of a local ledger's record files, remembered by each file's stamp (device, inode,
 * size, modification and change times), as git's index remembers the ids of unchanged files: a
 * read command over an unchanged 10,000-record ledger then stats its files instead of reading and
 * hashing every one. The verification cache stays keyed on the digests; this only says which
 * digest a file whose stamp did not move still has.
 *
 * A stamp is remembered only when the file had not changed for `slackMs` when the memo was
 * written: a write within the file system's timestamp granularity of the hashing could leave the
 * stamp as it was. `verify` never reads the memo, and `--reverify` ignores it.
 */
import type { Logger } from '../log.js';
import type { RecordStamp } from '../store/types.js';
import { cacheFile, readCacheFile, writeCacheFile, type VerifiedCacheOptions } from './verified-cache.js';

const HEADER = 'model-ledger record digests 1';
/** Two seconds covers the coarsest timestamps of the file systems a ledger lives on (FAT's). */
export const DEFAULT_STAMP_SLACK_MS = 2000;
const SHA256 = /^[0-9a-f]{64}$/;

interface Remembered {
  stamp: string;
  sha256: string;
  /** When the file last changed, for entries seen now; -Infinity for entries read from the memo. */
  changedMs: number;
}

export class DigestMemo {
  /** What was seen this time; a stamp found unchanged keeps its remembered entry (`changedMs` -∞). */
  private readonly seen = new Map<string, Remembered>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly known: Map<string, Remembered>,
    private readonly slackMs: number,
    private readonly log: Logger | undefined,
  ) {}

  /** The memo of the ledger at `location`; empty when there is none or it is unreadable. */
  static async load(cache: VerifiedCacheOptions, location: string): Promise<DigestMemo> {
    const file = cacheFile(cache, location, '.digests');
    const slackMs = cache.stampSlackMs ?? DEFAULT_STAMP_SLACK_MS;
    const known = cache.reverify ? new Map<string, Remembered>() : await readMemo(file, cache.log);
    return new DigestMemo(file, known, slackMs, cache.log);
  }

  /** The digest remembered for `name` when its stamp is the one it was remembered with. */
  digestOf(name: string, stamp: RecordStamp | null): string | undefined {
    const remembered = stamp ? this.known.get(name) : undefined;
    return remembered && remembered.stamp === stamp?.stamp ? remembered.sha256 : undefined;
  }

  /** Notes the digest of `name` as read now. */
  remember(name: string, stamp: RecordStamp | null, sha256: string): void {
    if (!stamp) return;
    const before = this.known.get(name);
    if (before?.stamp === stamp.stamp && before.sha256 === sha256) {
      // Trusted when it was written; a ledger's worth of new entries is not needed to say so.
      this.seen.set(name, before);
      return;
    }
    this.seen.set(name, { stamp: stamp.stamp, sha256, changedMs: stamp.changedMs });
    this.changed = true;
  }

  /** Writes the stamps seen that are old enough to trust, when they differ from what was read. */
  async save(now = Date.now()): Promise<void> {
    if (!this.changed && this.seen.size === this.known.size) return;
    const lines = [HEADER];
    for (const [name, { stamp, sha256, changedMs }] of this.seen)
      if (changedMs < now - this.slackMs) lines.push(`${name}\t${stamp}\t${sha256}`);
    await writeCacheFile(this.file, `${lines.join('\n')}\n`, this.log);
  }
}

/** The memo's entries; a file that is not one (corrupt, another version) is no memo, said at debug level. */
async function readMemo(file: string, log: Logger | undefined): Promise<Map<string, Remembered>> {
  const known = new Map<string, Remembered>();
  const bytes = await readCacheFile(file, log);
  if (bytes === null) return known;
  const lines = bytes.toString('utf8').split('\n');
  if (lines[0] !== HEADER || lines.at(-1) !== '') {
    log?.debug(`record digests ${file} are not in the expected form: reading every record`);
    return known;
  }
  for (let at = 1; at < lines.length - 1; at++) {
    const line = lines[at] as string;
    // name TAB stamp TAB sha256, the digest being the last 64 characters.
    const tab = line.indexOf('\t');
    const sha256 = line.slice(-64);
    const stamp = line.slice(tab + 1, -65);
    if (
      tab < 1 ||
      line[line.length - 65] !== '\t' ||
      stamp === '' ||
      stamp.includes('\t') ||
      !SHA256.test(sha256)
    ) {
      log?.debug(`record digests ${file} are not in the expected form: reading every record`);
      return new Map();
    }
    known.set(line.slice(0, tab), { stamp, sha256, changedMs: -Infinity });
  }
  return known;
}
