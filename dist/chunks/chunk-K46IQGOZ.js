import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  DSSE_PAYLOAD_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  VerificationFailure
} from "./chunk-IAOLLCTZ.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/hash/file.ts
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
var CHUNK_BYTES = 4 * 1024 * 1024;
async function hashFile(path) {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new LedgerError("HASH", `cannot read file (${describeError(error)})`, {
      file: path,
      cause: error,
      fix: "check that the file exists and is readable"
    });
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new LedgerError("HASH", "is not a regular file", { file: path, fix: "name a regular file" });
    }
    const hash = createHash("sha256");
    const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
    let current = 0;
    let size = 0;
    let pending = handle.read(buffers[0], 0, CHUNK_BYTES, 0);
    for (; ; ) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      current ^= 1;
      size += bytesRead;
      pending = handle.read(buffers[current], 0, CHUNK_BYTES, size);
      hash.update(buffer.subarray(0, bytesRead));
    }
    return { sha256: hash.digest("hex"), size };
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError("HASH", `reading failed (${describeError(error)})`, { file: path, cause: error });
  } finally {
    await handle.close();
  }
}
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

// schema/record-v1.schema.json
var record_v1_schema_default = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://model-ledger.dev/record/v1/schema.json",
  title: "model-ledger record v1 (in-toto Statement v1 with predicateType https://model-ledger.dev/record/v1)",
  type: "object",
  properties: {
    _type: {
      const: "https://in-toto.io/Statement/v1"
    },
    subject: {
      type: "array",
      minItems: 1,
      items: {
        $ref: "#/$defs/subject"
      }
    },
    predicateType: {
      const: "https://model-ledger.dev/record/v1"
    },
    predicate: {
      $ref: "#/$defs/predicate"
    }
  },
  required: ["_type", "subject", "predicateType", "predicate"],
  additionalProperties: false,
  $defs: {
    sha256: {
      type: "string",
      pattern: "^[0-9a-f]{64}$"
    },
    jsonObject: {
      type: "object"
    },
    gitPerson: {
      type: "object",
      properties: {
        name: {
          type: "string"
        },
        email: {
          type: "string"
        },
        date: {
          type: "string"
        }
      },
      required: ["name", "email", "date"],
      additionalProperties: false
    },
    personRef: {
      type: "object",
      properties: {
        login: {
          type: "string"
        },
        name: {
          type: "string"
        },
        email: {
          type: "string"
        }
      },
      required: [],
      additionalProperties: false
    },
    chainPrevious: {
      type: "object",
      properties: {
        statementSha256: {
          $ref: "#/$defs/sha256"
        },
        bundleSha256: {
          $ref: "#/$defs/sha256"
        },
        uri: {
          type: "string",
          minLength: 1
        }
      },
      required: ["statementSha256", "bundleSha256", "uri"],
      additionalProperties: false
    },
    chain: {
      type: "object",
      properties: {
        origin: {
          type: "string",
          minLength: 1
        },
        index: {
          type: "integer",
          minimum: 0
        },
        previous: {
          anyOf: [
            {
              type: "null"
            },
            {
              $ref: "#/$defs/chainPrevious"
            }
          ]
        },
        tree: {
          type: "object",
          properties: {
            size: {
              type: "integer",
              minimum: 0
            },
            hashes: {
              type: "array",
              items: {
                type: "string",
                pattern: "^[0-9a-f]{64}$"
              }
            }
          },
          required: ["size", "hashes"],
          additionalProperties: false
        },
        start: {
          type: "object",
          properties: {
            reason: {
              type: "string",
              minLength: 1
            },
            replaces: {
              type: "string"
            }
          },
          required: ["reason"],
          additionalProperties: false
        }
      },
      required: ["origin", "index", "previous"],
      additionalProperties: false
    },
    changedFile: {
      type: "object",
      properties: {
        path: {
          type: "string"
        },
        status: {
          enum: ["added", "modified", "deleted", "renamed", "copied", "type-changed"]
        },
        previousPath: {
          type: "string"
        }
      },
      required: ["path", "status"],
      additionalProperties: false
    },
    commit: {
      type: "object",
      properties: {
        sha: {
          type: "string",
          pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
        },
        tree: {
          type: "string",
          pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
        },
        parents: {
          type: "array",
          items: {
            type: "string",
            pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
          }
        },
        author: {
          $ref: "#/$defs/gitPerson"
        },
        committer: {
          $ref: "#/$defs/gitPerson"
        },
        message: {
          type: "string"
        },
        signed: {
          type: "boolean"
        },
        repositoryUrl: {
          type: "string"
        },
        ref: {
          type: "string"
        },
        changedFiles: {
          type: "array",
          items: {
            $ref: "#/$defs/changedFile"
          }
        },
        comparedWith: {
          type: "string",
          pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
        },
        workingTree: {
          description: "Whether the working tree differed from the commit when the record was made, and which of the paths the record names differed.",
          type: "object",
          properties: {
            state: {
              enum: ["clean", "dirty"]
            },
            dirty: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  path: {
                    type: "string"
                  },
                  status: {
                    enum: [
                      "modified",
                      "added",
                      "deleted",
                      "renamed",
                      "copied",
                      "type-changed",
                      "unmerged",
                      "untracked"
                    ]
                  }
                },
                required: ["path", "status"],
                additionalProperties: false
              }
            },
            otherChanges: {
              type: "integer",
              minimum: 0
            }
          },
          required: ["state", "dirty", "otherChanges"],
          additionalProperties: false
        },
        githubVerification: {
          type: "object",
          properties: {
            verified: {
              type: "boolean"
            },
            reason: {
              type: "string"
            }
          },
          required: ["verified", "reason"],
          additionalProperties: false
        }
      },
      required: ["sha", "tree", "parents", "author", "committer", "message", "signed", "repositoryUrl"],
      additionalProperties: false
    },
    review: {
      type: "object",
      properties: {
        reviewer: {
          type: "string"
        },
        state: {
          type: "string"
        },
        submittedAt: {
          type: "string"
        },
        commitId: {
          type: "string"
        }
      },
      required: ["reviewer", "state", "submittedAt", "commitId"],
      additionalProperties: false
    },
    pullRequest: {
      type: "object",
      properties: {
        number: {
          type: "integer",
          minimum: 1
        },
        title: {
          type: "string"
        },
        url: {
          type: "string"
        },
        author: {
          type: "string"
        },
        labels: {
          type: "array",
          items: {
            type: "string"
          }
        },
        base: {
          type: "object",
          properties: {
            ref: {
              type: "string"
            },
            sha: {
              type: "string"
            }
          },
          required: ["ref", "sha"],
          additionalProperties: false
        },
        head: {
          type: "object",
          properties: {
            ref: {
              type: "string"
            },
            sha: {
              type: "string"
            }
          },
          required: ["ref", "sha"],
          additionalProperties: false
        },
        mergedBy: {
          type: "string"
        },
        mergedAt: {
          type: "string"
        },
        reviews: {
          type: "array",
          items: {
            $ref: "#/$defs/review"
          }
        },
        foundBy: {
          enum: ["event", "merge-commit", "head"]
        },
        state: {
          enum: ["open", "closed"]
        },
        draft: {
          type: "boolean"
        },
        mergeCommitSha: {
          type: "string",
          pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
        },
        approvalsCountedOn: {
          type: "string",
          pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$"
        }
      },
      required: ["number", "title", "url", "author", "labels", "base", "head", "reviews"],
      additionalProperties: false
    },
    change: {
      type: "object",
      properties: {
        reason: {
          type: "string"
        },
        reasonSource: {
          enum: ["input", "pull-request", "commit-message", "none"]
        },
        pullRequest: {
          $ref: "#/$defs/pullRequest"
        },
        implementedBy: {
          type: "array",
          items: {
            $ref: "#/$defs/personRef"
          }
        },
        approvedBy: {
          type: "array",
          items: {
            $ref: "#/$defs/personRef"
          }
        },
        triggeredBy: {
          $ref: "#/$defs/personRef"
        }
      },
      required: ["reason", "reasonSource", "implementedBy", "approvedBy"],
      additionalProperties: false
    },
    package: {
      type: "object",
      properties: {
        purl: {
          type: "string",
          pattern: "^pkg:"
        },
        name: {
          type: "string"
        },
        version: {
          type: "string"
        },
        ecosystem: {
          type: "string"
        },
        integrity: {
          type: "string"
        },
        direct: {
          type: "boolean"
        },
        dev: {
          type: "boolean"
        },
        occurrences: {
          type: "array",
          items: {
            type: "object",
            properties: {
              from: {
                type: "string"
              },
              dev: {
                type: "boolean"
              }
            },
            required: ["from"],
            additionalProperties: false
          }
        },
        occurrencesOmitted: {
          type: "integer",
          minimum: 1
        }
      },
      required: ["purl", "name", "version", "ecosystem"],
      additionalProperties: false
    },
    lockfile: {
      type: "object",
      properties: {
        path: {
          type: "string",
          minLength: 1
        },
        kind: {
          type: "string"
        },
        sha256: {
          $ref: "#/$defs/sha256"
        },
        packages: {
          type: "array",
          items: {
            $ref: "#/$defs/package"
          }
        }
      },
      required: ["path", "kind", "sha256", "packages"],
      additionalProperties: false
    },
    manifest: {
      type: "object",
      properties: {
        sha256: {
          $ref: "#/$defs/sha256"
        },
        inline: {
          type: "string"
        },
        stored: {
          type: "string"
        }
      },
      required: ["sha256"],
      additionalProperties: false
    },
    warning: {
      type: "object",
      properties: {
        code: {
          type: "string"
        },
        message: {
          type: "string"
        }
      },
      required: ["code", "message"],
      additionalProperties: false
    },
    modelSafety: {
      type: "object",
      properties: {
        verdict: {
          enum: ["clean", "unknown", "unsafe", "incomplete"]
        },
        pickles: {
          type: "integer",
          minimum: 0
        },
        findings: {
          type: "array",
          items: {
            type: "object",
            properties: {
              verdict: {
                enum: ["unsafe", "unknown", "incomplete"]
              },
              member: {
                type: "string"
              },
              names: {
                type: "array",
                items: {
                  type: "string"
                }
              },
              reason: {
                type: "string"
              }
            },
            required: ["verdict"],
            additionalProperties: false
          }
        }
      },
      required: ["verdict", "pickles"],
      additionalProperties: false
    },
    model: {
      type: "object",
      properties: {
        name: {
          type: "string",
          minLength: 1
        },
        kind: {
          enum: ["file", "directory"]
        },
        digest: {
          type: "object",
          properties: {
            sha256: {
              $ref: "#/$defs/sha256"
            }
          },
          required: ["sha256"],
          additionalProperties: false
        },
        size: {
          type: "integer",
          minimum: 0
        },
        files: {
          type: "integer",
          minimum: 0
        },
        format: {
          type: "string"
        },
        metadata: {
          $ref: "#/$defs/jsonObject"
        },
        manifest: {
          $ref: "#/$defs/manifest"
        },
        warnings: {
          type: "array",
          items: {
            $ref: "#/$defs/warning"
          }
        },
        safety: {
          $ref: "#/$defs/modelSafety"
        },
        signature: {
          description: "The model's OpenSSF Model Signing v1.0 signature (model.sig), signed by the record's signer and stored beside the record.",
          type: "object",
          properties: {
            format: { type: "string", minLength: 1 },
            stored: { type: "string", pattern: "^[0-9a-f]{64}\\.model\\.sig$" },
            sha256: { type: "string", pattern: "^[0-9a-f]{64}$" }
          },
          required: ["format", "stored", "sha256"],
          additionalProperties: false
        }
      },
      required: ["name", "kind", "digest", "size"],
      additionalProperties: false
    },
    dataset: {
      type: "object",
      properties: {
        name: {
          type: "string",
          minLength: 1
        },
        kind: {
          enum: ["file", "directory", "uri"]
        },
        path: {
          type: "string"
        },
        uri: {
          type: "string"
        },
        digest: {
          type: "object",
          properties: {
            sha256: {
              $ref: "#/$defs/sha256"
            }
          },
          required: ["sha256"],
          additionalProperties: false
        },
        size: {
          type: "integer",
          minimum: 0
        },
        files: {
          type: "integer",
          minimum: 0
        },
        manifest: {
          $ref: "#/$defs/manifest"
        },
        lineage: {
          $ref: "#/$defs/jsonObject"
        },
        description: {
          $ref: "#/$defs/jsonObject"
        },
        safety: {
          $ref: "#/$defs/modelSafety"
        }
      },
      required: ["name", "kind", "digest", "size", "files"],
      additionalProperties: false
    },
    training: {
      type: "object",
      properties: {
        source: {
          type: "string"
        },
        sourceSha256: {
          $ref: "#/$defs/sha256"
        },
        sourceKind: {
          type: "string"
        },
        run: {
          $ref: "#/$defs/jsonObject"
        }
      },
      required: ["source", "sourceSha256", "sourceKind", "run"],
      additionalProperties: false
    },
    ci: {
      type: "object",
      properties: {
        repository: {
          type: "string"
        },
        workflow: {
          type: "string"
        },
        workflowRef: {
          type: "string"
        },
        runId: {
          type: "string"
        },
        runAttempt: {
          type: "string"
        },
        runNumber: {
          type: "string"
        },
        eventName: {
          type: "string"
        },
        ref: {
          type: "string"
        },
        sha: {
          type: "string"
        },
        actor: {
          type: "string"
        },
        triggeringActor: {
          type: "string"
        },
        serverUrl: {
          type: "string"
        },
        runUrl: {
          type: "string"
        },
        job: {
          type: "string"
        },
        provider: {
          enum: ["github-actions", "other", "none"]
        }
      },
      required: ["provider"],
      additionalProperties: false
    },
    environment: {
      type: "object",
      properties: {
        ci: {
          $ref: "#/$defs/ci"
        },
        os: {
          type: "string"
        },
        arch: {
          type: "string"
        },
        node: {
          type: "string"
        },
        runner: {
          $ref: "#/$defs/jsonObject"
        },
        tools: {
          type: "object",
          additionalProperties: {
            type: "string"
          }
        },
        variables: {
          type: "object",
          additionalProperties: {
            type: "string"
          }
        }
      },
      required: ["ci"],
      additionalProperties: false
    },
    policyResult: {
      type: "object",
      properties: {
        rule: {
          type: "string"
        },
        level: {
          enum: ["enforce", "warn"]
        },
        outcome: {
          enum: ["pass", "fail", "deferred"]
        },
        message: {
          type: "string"
        }
      },
      required: ["rule", "level", "outcome", "message"],
      additionalProperties: false
    },
    policy: {
      type: "object",
      properties: {
        file: {
          type: "string"
        },
        sha256: {
          $ref: "#/$defs/sha256"
        },
        results: {
          type: "array",
          items: {
            $ref: "#/$defs/policyResult"
          }
        }
      },
      required: ["file", "sha256", "results"],
      additionalProperties: false
    },
    predicate: {
      type: "object",
      properties: {
        recordedAt: {
          type: "string",
          pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$"
        },
        tool: {
          type: "object",
          properties: {
            name: {
              const: "model-ledger"
            },
            version: {
              type: "string"
            }
          },
          required: ["name", "version"],
          additionalProperties: false
        },
        chain: {
          $ref: "#/$defs/chain"
        },
        signing: {
          type: "object",
          properties: {
            mode: {
              enum: ["key", "development-key", "keyless"]
            }
          },
          required: ["mode"],
          additionalProperties: false
        },
        commit: {
          anyOf: [
            {
              type: "null"
            },
            {
              $ref: "#/$defs/commit"
            }
          ]
        },
        change: {
          $ref: "#/$defs/change"
        },
        dependencies: {
          type: "object",
          properties: {
            lockfiles: {
              type: "array",
              items: {
                $ref: "#/$defs/lockfile"
              }
            },
            skipped: {
              type: "object",
              properties: {
                count: {
                  type: "integer",
                  minimum: 0
                },
                lockfiles: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      path: {
                        type: "string",
                        minLength: 1
                      },
                      reason: {
                        type: "string"
                      }
                    },
                    required: ["path", "reason"],
                    additionalProperties: false
                  }
                },
                incomplete: {
                  type: "boolean"
                }
              },
              required: ["count", "lockfiles"],
              additionalProperties: false
            }
          },
          required: ["lockfiles"],
          additionalProperties: false
        },
        models: {
          type: "array",
          items: {
            $ref: "#/$defs/model"
          }
        },
        datasets: {
          type: "array",
          items: {
            $ref: "#/$defs/dataset"
          }
        },
        training: {
          anyOf: [
            {
              type: "null"
            },
            {
              $ref: "#/$defs/training"
            }
          ]
        },
        environment: {
          $ref: "#/$defs/environment"
        },
        policy: {
          anyOf: [
            {
              type: "null"
            },
            {
              $ref: "#/$defs/policy"
            }
          ]
        },
        notes: {
          type: "array",
          items: {
            type: "string"
          }
        }
      },
      required: [
        "recordedAt",
        "tool",
        "chain",
        "signing",
        "commit",
        "change",
        "dependencies",
        "models",
        "datasets",
        "training",
        "environment",
        "policy",
        "notes"
      ],
      additionalProperties: false
    },
    subject: {
      type: "object",
      properties: {
        name: {
          type: "string",
          minLength: 1
        },
        digest: {
          type: "object",
          additionalProperties: {
            type: "string",
            pattern: "^[0-9a-f]+$"
          }
        }
      },
      required: ["name", "digest"],
      additionalProperties: false
    }
  }
};

// src/record/json-schema.ts
var KNOWN_KEYWORDS = /* @__PURE__ */ new Set([
  "$schema",
  "$id",
  "$ref",
  "$defs",
  "title",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "anyOf"
]);
var SchemaValidator = class {
  constructor(root) {
    this.root = root;
    this.checkKeywords(root, "#");
  }
  root;
  patterns = /* @__PURE__ */ new Map();
  validate(value, maxIssues = 20) {
    const issues = [];
    this.check(this.root, value, "", issues, maxIssues);
    return issues;
  }
  checkKeywords(schema, where) {
    for (const key of Object.keys(schema)) {
      if (!KNOWN_KEYWORDS.has(key)) throw new Error(`schema ${where}: unsupported keyword "${key}"`);
    }
    for (const [name, child] of Object.entries(schema.$defs ?? {}))
      this.checkKeywords(child, `${where}/$defs/${name}`);
    for (const [name, child] of Object.entries(schema.properties ?? {}))
      this.checkKeywords(child, `${where}/properties/${name}`);
    if (typeof schema.additionalProperties === "object")
      this.checkKeywords(schema.additionalProperties, `${where}/additionalProperties`);
    if (schema.items) this.checkKeywords(schema.items, `${where}/items`);
    schema.anyOf?.forEach((child, index) => this.checkKeywords(child, `${where}/anyOf/${index}`));
    if (schema.pattern !== void 0) this.regex(schema.pattern);
  }
  resolve(ref) {
    const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = match ? this.root.$defs?.[match[1]] : void 0;
    if (!target) throw new Error(`schema: unresolvable $ref "${ref}"`);
    return target;
  }
  regex(pattern) {
    let compiled = this.patterns.get(pattern);
    if (!compiled) {
      compiled = new RegExp(pattern, "u");
      this.patterns.set(pattern, compiled);
    }
    return compiled;
  }
  check(schema, value, path, issues, max) {
    if (issues.length >= max) return;
    const at = path || "(root)";
    if (schema.$ref) {
      this.check(this.resolve(schema.$ref), value, path, issues, max);
      return;
    }
    if (schema.anyOf) {
      const matched = schema.anyOf.some((option) => {
        const trial = [];
        this.check(option, value, path, trial, 1);
        return trial.length === 0;
      });
      if (!matched) issues.push({ path: at, message: describeAnyOf(schema.anyOf) });
      return;
    }
    if (schema.type !== void 0) {
      const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!allowed.some((type) => hasType(value, type))) {
        issues.push({ path: at, message: `must be ${allowed.join(" or ")}, found ${typeName(value)}` });
        return;
      }
    }
    if (schema.const !== void 0 && !sameJson(schema.const, value)) {
      issues.push({ path: at, message: `must be ${JSON.stringify(schema.const)}` });
    }
    if (schema.enum && !schema.enum.some((option) => sameJson(option, value))) {
      issues.push({
        path: at,
        message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`
      });
    }
    if (typeof value === "string") this.checkString(schema, value, at, issues);
    if (typeof value === "number") this.checkNumber(schema, value, at, issues);
    if (Array.isArray(value)) {
      if (schema.minItems !== void 0 && value.length < schema.minItems) {
        issues.push({ path: at, message: `must have at least ${schema.minItems} item(s)` });
      }
      if (schema.items) {
        const items = schema.items;
        value.forEach((item, index) => this.check(items, item, `${path}[${index}]`, issues, max));
      }
    } else if (isPlainObject(value)) {
      this.checkObject(schema, value, path, issues, max);
    }
  }
  checkString(schema, value, at, issues) {
    if (schema.minLength !== void 0 && value.length < schema.minLength) {
      issues.push({ path: at, message: `must be at least ${schema.minLength} character(s) long` });
    }
    if (schema.maxLength !== void 0 && value.length > schema.maxLength) {
      issues.push({ path: at, message: `must be at most ${schema.maxLength} characters long` });
    }
    if (schema.pattern !== void 0 && !this.regex(schema.pattern).test(value)) {
      issues.push({ path: at, message: `must match ${schema.pattern}` });
    }
  }
  checkNumber(schema, value, at, issues) {
    if (schema.minimum !== void 0 && value < schema.minimum) {
      issues.push({ path: at, message: `must be \u2265 ${schema.minimum}` });
    }
    if (schema.maximum !== void 0 && value > schema.maximum) {
      issues.push({ path: at, message: `must be \u2264 ${schema.maximum}` });
    }
  }
  checkObject(schema, value, path, issues, max) {
    const prefix = path ? `${path}.` : "";
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(value, name)) issues.push({ path: `${prefix}${name}`, message: "is required" });
    }
    for (const [name, child] of Object.entries(value)) {
      const declared = schema.properties?.[name];
      if (declared) {
        this.check(declared, child, `${prefix}${name}`, issues, max);
      } else if (schema.additionalProperties === false) {
        issues.push({ path: `${prefix}${name}`, message: "is not a known field" });
      } else if (typeof schema.additionalProperties === "object") {
        this.check(schema.additionalProperties, child, `${prefix}${name}`, issues, max);
      }
    }
  }
};
function describeAnyOf(options) {
  const kinds = options.map(
    (option) => option.type ? String(option.type) : option.$ref?.replace("#/$defs/", "")
  );
  return `must match one of: ${kinds.filter(Boolean).join(", ") || "the allowed shapes"}`;
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function hasType(value, type) {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}
function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// src/record/schema.ts
var validator;
function statementValidator() {
  validator ??= new SchemaValidator(record_v1_schema_default);
  return validator;
}
function assertValidStatement(value, file) {
  const issues = statementValidator().validate(value);
  if (issues.length === 0) return;
  const listed = issues.slice(0, 5).map((issue) => `${issue.path} ${issue.message}`).join("; ");
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  throw new LedgerError("SCHEMA", `the record does not match the record-v1 schema: ${listed}${more}`, {
    ...file === void 0 ? {} : { file },
    field: issues[0]?.path,
    fix: "a record must be written by model-ledger and never edited by hand"
  });
}

// src/verify/decode.ts
function parseBundleJson(bytes, file) {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new VerificationFailure("CORRUPT", "is not valid JSON (truncated or edited)", {
      file,
      cause: error
    });
  }
}
function decodeStatement(payload, payloadType, file) {
  if (payloadType !== DSSE_PAYLOAD_TYPE) {
    throw new VerificationFailure(
      "SCHEMA",
      `payload type is "${payloadType}", expected "${DSSE_PAYLOAD_TYPE}"`,
      { file }
    );
  }
  let statement;
  try {
    statement = JSON.parse(payload.toString("utf8"));
  } catch (error) {
    throw new VerificationFailure("SCHEMA", "the signed payload is not JSON", { file, cause: error });
  }
  try {
    assertValidStatement(statement, file);
  } catch (error) {
    if (error instanceof LedgerError)
      throw new VerificationFailure("SCHEMA", error.message, { cause: error });
    throw error;
  }
  return statement;
}

export {
  SchemaValidator,
  isPlainObject,
  hashFile,
  sha256Hex,
  record_v1_schema_default,
  assertValidStatement,
  parseBundleJson,
  decodeStatement
};
