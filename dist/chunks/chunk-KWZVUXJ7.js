import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  DEFAULT_RELEASE_TAG,
  GitHubReleaseStore,
  createGitHubClient,
  repositoryFrom
} from "./chunk-3DDHEWZZ.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/cli/github.ts
var GITHUB_RECORD_OPTIONS = {
  github: { type: "boolean" },
  repo: { type: "string" },
  "release-tag": { type: "string" },
  "no-attestations": { type: "boolean" }
};
var GITHUB_RECORD_HELP = `  --github            store the record on GitHub, as a release asset linked to the previous
                      run's record (token from --github-token or GITHUB_TOKEN, with contents: write)
  --repo OWNER/REPO   the repository whose releases hold the ledger (default GITHUB_REPOSITORY)
  --release-tag TAG   tag of the rolling pre-release (default ${DEFAULT_RELEASE_TAG}); tag builds
                      (GITHUB_REF=refs/tags/\u2026) store into that tag's release
  --no-attestations   do not mirror the record to GitHub's attestations API`;
var GITHUB_VERIFY_OPTIONS = {
  github: { type: "string" },
  release: { type: "string" },
  "github-token": { type: "string" }
};
var GITHUB_VERIFY_HELP = `  --github OWNER/REPO download the ledger from the repository's GitHub releases and verify it
                      (API from GITHUB_API_URL, default api.github.com; token from --github-token
                      or GITHUB_TOKEN, needed for private repositories and large ledgers)
  --release TAG       only the records that release holds (the link of its first record to the
                      record before it is not checked)`;
async function recordOnGitHub(options, values, token, context) {
  if (values.store !== void 0) {
    throw new LedgerError("USAGE", "--store and --github exclude each other", {
      field: "record",
      fix: "keep the ledger in a directory (--store) or on GitHub (--github)"
    });
  }
  const { recordToGitHub } = await import("./github-LKZ5INFP.js");
  const outcome = await recordToGitHub(options, {
    ...token ? { token } : {},
    ...values.repo === void 0 ? {} : { repository: values.repo },
    ...values["release-tag"] === void 0 ? {} : { releaseTag: values["release-tag"] },
    attestations: values["no-attestations"] !== true
  });
  if (outcome.release) context.output.err(`release: ${outcome.release.releaseUrl}`);
  if (outcome.attestationId !== void 0) context.output.err(`attestation: ${outcome.attestationId}`);
  return outcome.result;
}
function gitHubLedgerToVerify(values, context, log) {
  if (values.github === void 0) {
    if (values.release !== void 0) {
      throw new LedgerError("USAGE", "--release needs --github OWNER/REPO", { field: "verify" });
    }
    return void 0;
  }
  if (values.store !== void 0) {
    throw new LedgerError("USAGE", "--store and --github exclude each other", {
      field: "verify",
      fix: "verify a ledger directory (--store) or a repository on GitHub (--github OWNER/REPO)"
    });
  }
  const repository = repositoryFrom({ GITHUB_REPOSITORY: values.github });
  if (!repository) {
    throw new LedgerError("USAGE", `"${values.github}" is not OWNER/REPO`, {
      field: "--github",
      fix: "name the repository whose releases hold the ledger, e.g. --github acme/fraud-model"
    });
  }
  const token = values["github-token"] ?? context.env.GITHUB_TOKEN;
  const client = createGitHubClient({ ...token ? { token } : {}, env: context.env, log });
  return {
    store: new GitHubReleaseStore({
      client,
      ...repository,
      ...values.release === void 0 ? {} : { onlyReleases: [values.release] },
      log
    }),
    partial: values.release !== void 0
  };
}

export {
  GITHUB_RECORD_OPTIONS,
  GITHUB_RECORD_HELP,
  GITHUB_VERIFY_OPTIONS,
  GITHUB_VERIFY_HELP,
  recordOnGitHub,
  gitHubLedgerToVerify
};
