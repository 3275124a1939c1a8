import { LedgerError } from '../errors.js';
import type { JsonObject } from '../record/predicate.js';

/**
 * Remote datasets are recorded by reference, never downloaded: a Hugging Face repository
 * (`hf://datasets/OWNER/NAME@REVISION`, `https://huggingface.co/datasets/OWNER/NAME/tree/REVISION`)
 * or any other URI (s3://, gs://, https://...). A Hugging Face reference is pinned when its
 * revision is a 40-hex commit; a branch or tag name can move and is noted.
 */

export interface UriReference {
  uri: string;
  /** `huggingface` for a Hugging Face reference, else the URI's scheme. */
  lineage: JsonObject;
  defaultName: string;
  /** A reference that names content that can change (no revision, or a branch): say so in the notes. */
  moving?: string;
}

const COMMIT = /^[0-9a-f]{40}$/;
const REPO_TYPES: Record<string, string> = { datasets: 'dataset', spaces: 'space', models: 'model' };

export function isUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export function describeUri(uri: string, field: string): UriReference {
  if (!isUri(uri)) {
    throw new LedgerError('BAD_INPUT', `"${uri}" is not a URI`, {
      field,
      fix: 'write a URI such as hf://datasets/OWNER/NAME@REVISION or s3://bucket/path',
    });
  }
  const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase();
  const hf = huggingFace(uri);
  if (hf) {
    const reference: JsonObject = {
      repoType: hf.repoType,
      repoId: hf.repoId,
      pinned: hf.revision !== undefined && COMMIT.test(hf.revision),
    };
    if (hf.revision !== undefined) reference['revision'] = hf.revision;
    if (hf.path) reference['path'] = hf.path;
    const result: UriReference = { uri, lineage: { huggingface: reference }, defaultName: hf.repoId };
    if (!reference['pinned']) {
      result.moving =
        hf.revision === undefined
          ? `no revision: it names whatever the repository's main branch holds when read — pin a commit (@<40-hex sha>)`
          : `revision "${hf.revision}" is a branch or tag that can move — pin a commit (@<40-hex sha>)`;
    }
    return result;
  }
  const tail =
    uri
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .pop() ?? '';
  return { uri, lineage: { uri: { scheme } }, defaultName: tail || uri };
}

interface HuggingFaceRef {
  repoType: string;
  repoId: string;
  revision?: string;
  path?: string;
}

function huggingFace(uri: string): HuggingFaceRef | null {
  const hf = /^hf:\/\/(.+)$/i.exec(uri);
  if (hf) {
    let segments = (hf[1] as string).split('/').filter(Boolean);
    let repoType = 'model';
    if (segments[0] !== undefined && REPO_TYPES[segments[0]]) {
      repoType = REPO_TYPES[segments[0]] as string;
      segments = segments.slice(1);
    }
    // OWNER/NAME[@REV]/path, or a single-segment legacy id NAME@REV/path.
    const idLength = segments[0]?.includes('@') || segments.length === 1 ? 1 : 2;
    const idSegments = segments.slice(0, idLength);
    if (idSegments.length === 0) return null;
    const last = idSegments[idSegments.length - 1] as string;
    const at = last.indexOf('@');
    let revision: string | undefined;
    if (at !== -1) {
      revision = decodeURIComponent(last.slice(at + 1));
      idSegments[idSegments.length - 1] = last.slice(0, at);
    }
    const path = segments.slice(idLength).join('/');
    return {
      repoType,
      repoId: idSegments.join('/'),
      ...(revision ? { revision } : {}),
      ...(path ? { path } : {}),
    };
  }
  const web = /^https?:\/\/(?:www\.)?huggingface\.co\/(.+?)\/?(?:[?#].*)?$/i.exec(uri);
  if (!web) return null;
  let segments = (web[1] as string).split('/').filter(Boolean);
  let repoType = 'model';
  if (segments[0] !== undefined && REPO_TYPES[segments[0]]) {
    repoType = REPO_TYPES[segments[0]] as string;
    segments = segments.slice(1);
  }
  if (segments.length < 1) return null;
  const marker = segments.findIndex(
    (segment) => segment === 'tree' || segment === 'blob' || segment === 'resolve' || segment === 'commit',
  );
  const idSegments = marker === -1 ? segments.slice(0, 2) : segments.slice(0, marker);
  const revision = marker === -1 ? undefined : segments[marker + 1];
  const path = marker === -1 ? '' : segments.slice(marker + 2).join('/');
  return {
    repoType,
    repoId: idSegments.join('/'),
    ...(revision ? { revision: decodeURIComponent(revision) } : {}),
    ...(path ? { path } : {}),
  };
}
