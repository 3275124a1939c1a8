/**
 * A witness's state as release assets of its own repository (the compliance team's, an
 * auditor's): one release, `model-ledger-witness` by default, holding
 * `witness-<origin>-NNNNNN.checkpoint` for each cosigned size and `witness-<origin>-refused-<time>.txt`.
 * The newest note is the one of the largest size, found by listing: nothing is ever overwritten, so
 * there is no "latest" file for two runs to race on. Two runs cosigning the same size upload under
 * one name; GitHub keeps asset names unique in a release (422 on a duplicate), so one note of each
 * size is kept, and either of them is a valid cosignature of the same checkpoint.
 */
import type { GitHubReleaseStore } from '../store/github-release.js';
import { timeStamp, witnessStateName, type WitnessState } from './state.js';

export const DEFAULT_WITNESS_TAG = 'model-ledger-witness';

export class GitHubReleaseWitnessState implements WitnessState {
  readonly location: string;

  constructor(
    private readonly store: GitHubReleaseStore,
    private readonly tag: string = DEFAULT_WITNESS_TAG,
  ) {
    this.location = `${store.location.replace(/ \(GitHub .*\)$/, '')} (GitHub release ${tag})`;
  }

  async latest(origin: string): Promise<{ text: string; source: string } | null> {
    const pattern = cosignedName(origin);
    let newest:
      { size: number; file: Awaited<ReturnType<GitHubReleaseStore['releaseFiles']>>[number] } | undefined;
    for (const file of await this.store.releaseFiles(this.tag, (name) => pattern.test(name))) {
      const size = Number(pattern.exec(file.name)?.[1]);
      if (!newest || size > newest.size) newest = { size, file };
    }
    if (!newest) return null;
    return { text: (await newest.file.read()).toString('utf8'), source: newest.file.url };
  }

  async keepCosigned(origin: string, size: number, note: string): Promise<string> {
    const name = `witness-${witnessStateName(origin)}-${String(size).padStart(6, '0')}.checkpoint`;
    return this.attach(name, `cosigned checkpoint of ${size} record(s) of ${origin}`, note);
  }

  async keepRefusal(origin: string, time: Date, text: string): Promise<string> {
    const name = `witness-${witnessStateName(origin)}-refused-${timeStamp(time)}.txt`;
    return this.attach(name, `refused to cosign ${origin}`, text);
  }

  private async attach(name: string, label: string, text: string): Promise<string> {
    const urls = await this.store.attachToRelease([{ name, label, content: Buffer.from(text, 'utf8') }], {
      publish: true,
      tag: this.tag,
      // Not the witness repository's "latest release": it is state, not a release of anything.
      prerelease: true,
    });
    return urls.get(name) ?? `${this.location}: ${name}`;
  }
}

function cosignedName(origin: string): RegExp {
  const escaped = witnessStateName(origin).replace(/[.]/g, '\\.');
  return new RegExp(`^witness-${escaped}-(\\d{6,})\\.checkpoint$`);
}
