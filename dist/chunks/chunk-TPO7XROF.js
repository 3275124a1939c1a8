import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  require_lib,
  require_lib2
} from "./chunk-RU2JOVGO.js";
import {
  require_dist as require_dist2,
  require_dist2 as require_dist3
} from "./chunk-6HJSFOKJ.js";
import {
  require_v2
} from "./chunk-ZC6XPDJG.js";
import {
  require_dist
} from "./chunk-6JW7FKWL.js";
import {
  __commonJS,
  __require
} from "./chunk-H3ACIWDX.js";

// node_modules/@sigstore/sign/dist/util/oidc.js
var require_oidc = __commonJS({
  "node_modules/@sigstore/sign/dist/util/oidc.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extractJWTSubject = extractJWTSubject;
    var core_1 = require_dist3();
    function extractJWTSubject(jwt) {
      const parts = jwt.split(".", 3);
      const payload = JSON.parse(core_1.encoding.base64Decode(parts[1]));
      if (payload.email) {
        if (!payload.email_verified) {
          throw new Error("JWT email not verified by issuer");
        }
        return payload.email;
      }
      if (payload.sub) {
        return payload.sub;
      } else {
        throw new Error("JWT subject not found");
      }
    }
  }
});

// node_modules/@sigstore/sign/package.json
var require_package = __commonJS({
  "node_modules/@sigstore/sign/package.json"(exports, module) {
    module.exports = {
      name: "@sigstore/sign",
      version: "4.1.0",
      description: "Sigstore signing library",
      main: "dist/index.js",
      types: "dist/index.d.ts",
      scripts: {
        clean: "shx rm -rf dist *.tsbuildinfo",
        build: "tsc --build",
        test: "jest"
      },
      files: [
        "dist"
      ],
      author: "bdehamer@github.com",
      license: "Apache-2.0",
      repository: {
        type: "git",
        url: "git+https://github.com/sigstore/sigstore-js.git"
      },
      bugs: {
        url: "https://github.com/sigstore/sigstore-js/issues"
      },
      homepage: "https://github.com/sigstore/sigstore-js/tree/main/packages/sign#readme",
      publishConfig: {
        provenance: true
      },
      devDependencies: {
        "@sigstore/jest": "^0.0.0",
        "@sigstore/mock": "^0.11.0",
        "@sigstore/rekor-types": "^4.0.0",
        "@types/make-fetch-happen": "^10.0.4",
        "@types/promise-retry": "^1.1.6"
      },
      dependencies: {
        "@sigstore/bundle": "^4.0.0",
        "@sigstore/core": "^3.1.0",
        "@sigstore/protobuf-specs": "^0.5.0",
        "make-fetch-happen": "^15.0.3",
        "proc-log": "^6.1.0",
        "promise-retry": "^2.0.1"
      },
      engines: {
        node: "^20.17.0 || >=22.9.0"
      }
    };
  }
});

// node_modules/@sigstore/sign/dist/util/ua.js
var require_ua = __commonJS({
  "node_modules/@sigstore/sign/dist/util/ua.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getUserAgent = void 0;
    var os_1 = __importDefault(__require("os"));
    var getUserAgent = () => {
      const packageVersion = require_package().version;
      const nodeVersion = process.version;
      const platformName = os_1.default.platform();
      const archName = os_1.default.arch();
      return `sigstore-js/${packageVersion} (Node ${nodeVersion}) (${platformName}/${archName})`;
    };
    exports.getUserAgent = getUserAgent;
  }
});

// node_modules/@sigstore/sign/dist/util/index.js
var require_util = __commonJS({
  "node_modules/@sigstore/sign/dist/util/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ua = exports.oidc = exports.pem = exports.json = exports.encoding = exports.dsse = exports.crypto = void 0;
    var core_1 = require_dist3();
    Object.defineProperty(exports, "crypto", { enumerable: true, get: function() {
      return core_1.crypto;
    } });
    Object.defineProperty(exports, "dsse", { enumerable: true, get: function() {
      return core_1.dsse;
    } });
    Object.defineProperty(exports, "encoding", { enumerable: true, get: function() {
      return core_1.encoding;
    } });
    Object.defineProperty(exports, "json", { enumerable: true, get: function() {
      return core_1.json;
    } });
    Object.defineProperty(exports, "pem", { enumerable: true, get: function() {
      return core_1.pem;
    } });
    exports.oidc = __importStar(require_oidc());
    exports.ua = __importStar(require_ua());
  }
});

// node_modules/@sigstore/sign/dist/bundler/base.js
var require_base = __commonJS({
  "node_modules/@sigstore/sign/dist/bundler/base.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.BaseBundleBuilder = void 0;
    var BaseBundleBuilder = class {
      signer;
      witnesses;
      constructor(options) {
        this.signer = options.signer;
        this.witnesses = options.witnesses;
      }
      // Executes the signing/witnessing process for the given artifact.
      async create(artifact) {
        const signature = await this.prepare(artifact).then((blob) => this.signer.sign(blob));
        const bundle = await this.package(artifact, signature);
        const verificationMaterials = await Promise.all(this.witnesses.map((witness) => witness.testify(bundle.content, publicKey(signature.key))));
        const tlogEntryList = [];
        const timestampList = [];
        verificationMaterials.forEach(({ tlogEntries, rfc3161Timestamps }) => {
          tlogEntryList.push(...tlogEntries ?? []);
          timestampList.push(...rfc3161Timestamps ?? []);
        });
        bundle.verificationMaterial.tlogEntries = tlogEntryList;
        bundle.verificationMaterial.timestampVerificationData = {
          rfc3161Timestamps: timestampList
        };
        return bundle;
      }
      // Override this function to apply any pre-signing transformations to the
      // artifact. The returned buffer will be signed by the signer. The default
      // implementation simply returns the artifact data.
      async prepare(artifact) {
        return artifact.data;
      }
    };
    exports.BaseBundleBuilder = BaseBundleBuilder;
    function publicKey(key) {
      switch (key.$case) {
        case "publicKey":
          return key.publicKey;
        case "x509Certificate":
          return key.certificate;
      }
    }
  }
});

// node_modules/@sigstore/sign/dist/bundler/bundle.js
var require_bundle = __commonJS({
  "node_modules/@sigstore/sign/dist/bundler/bundle.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.toMessageSignatureBundle = toMessageSignatureBundle;
    exports.toDSSEBundle = toDSSEBundle;
    var sigstore = __importStar(require_dist2());
    var util_1 = require_util();
    function toMessageSignatureBundle(artifact, signature) {
      const digest = util_1.crypto.digest("sha256", artifact.data);
      return sigstore.toMessageSignatureBundle({
        digest,
        signature: signature.signature,
        certificate: signature.key.$case === "x509Certificate" ? util_1.pem.toDER(signature.key.certificate) : void 0,
        keyHint: signature.key.$case === "publicKey" ? signature.key.hint : void 0,
        certificateChain: true
      });
    }
    function toDSSEBundle(artifact, signature, certificateChain) {
      return sigstore.toDSSEBundle({
        artifact: artifact.data,
        artifactType: artifact.type,
        signature: signature.signature,
        certificate: signature.key.$case === "x509Certificate" ? util_1.pem.toDER(signature.key.certificate) : void 0,
        keyHint: signature.key.$case === "publicKey" ? signature.key.hint : void 0,
        certificateChain
      });
    }
  }
});

// node_modules/@sigstore/sign/dist/bundler/dsse.js
var require_dsse = __commonJS({
  "node_modules/@sigstore/sign/dist/bundler/dsse.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DSSEBundleBuilder = void 0;
    var util_1 = require_util();
    var base_1 = require_base();
    var bundle_1 = require_bundle();
    var DSSEBundleBuilder = class extends base_1.BaseBundleBuilder {
      certificateChain;
      constructor(options) {
        super(options);
        this.certificateChain = options.certificateChain ?? false;
      }
      // DSSE requires the artifact to be pre-encoded with the payload type
      // before the signature is generated.
      async prepare(artifact) {
        const a = artifactDefaults(artifact);
        return util_1.dsse.preAuthEncoding(a.type, a.data);
      }
      // Packages the artifact and signature into a DSSE bundle
      async package(artifact, signature) {
        return (0, bundle_1.toDSSEBundle)(artifactDefaults(artifact), signature, this.certificateChain);
      }
    };
    exports.DSSEBundleBuilder = DSSEBundleBuilder;
    function artifactDefaults(artifact) {
      return {
        ...artifact,
        type: artifact.type ?? ""
      };
    }
  }
});

// node_modules/@sigstore/sign/dist/bundler/message.js
var require_message = __commonJS({
  "node_modules/@sigstore/sign/dist/bundler/message.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MessageSignatureBundleBuilder = void 0;
    var base_1 = require_base();
    var bundle_1 = require_bundle();
    var MessageSignatureBundleBuilder = class extends base_1.BaseBundleBuilder {
      constructor(options) {
        super(options);
      }
      async package(artifact, signature) {
        return (0, bundle_1.toMessageSignatureBundle)(artifact, signature);
      }
    };
    exports.MessageSignatureBundleBuilder = MessageSignatureBundleBuilder;
  }
});

// node_modules/@sigstore/sign/dist/bundler/index.js
var require_bundler = __commonJS({
  "node_modules/@sigstore/sign/dist/bundler/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MessageSignatureBundleBuilder = exports.DSSEBundleBuilder = void 0;
    var dsse_1 = require_dsse();
    Object.defineProperty(exports, "DSSEBundleBuilder", { enumerable: true, get: function() {
      return dsse_1.DSSEBundleBuilder;
    } });
    var message_1 = require_message();
    Object.defineProperty(exports, "MessageSignatureBundleBuilder", { enumerable: true, get: function() {
      return message_1.MessageSignatureBundleBuilder;
    } });
  }
});

// node_modules/@sigstore/sign/dist/external/error.js
var require_error = __commonJS({
  "node_modules/@sigstore/sign/dist/external/error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.HTTPError = void 0;
    var HTTPError = class extends Error {
      statusCode;
      location;
      constructor({ status, message, location }) {
        super(`(${status}) ${message}`);
        this.statusCode = status;
        this.location = location;
      }
    };
    exports.HTTPError = HTTPError;
  }
});

// node_modules/@sigstore/sign/dist/error.js
var require_error2 = __commonJS({
  "node_modules/@sigstore/sign/dist/error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.InternalError = void 0;
    exports.internalError = internalError;
    var error_1 = require_error();
    var InternalError = class extends Error {
      code;
      cause;
      constructor({ code, message, cause }) {
        super(message);
        this.name = this.constructor.name;
        this.cause = cause;
        this.code = code;
      }
    };
    exports.InternalError = InternalError;
    function internalError(err, code, message) {
      if (err instanceof error_1.HTTPError) {
        message += ` - ${err.message}`;
      }
      throw new InternalError({
        code,
        message,
        cause: err
      });
    }
  }
});

// node_modules/err-code/index.js
var require_err_code = __commonJS({
  "node_modules/err-code/index.js"(exports, module) {
    "use strict";
    function assign(obj, props) {
      for (const key in props) {
        Object.defineProperty(obj, key, {
          value: props[key],
          enumerable: true,
          configurable: true
        });
      }
      return obj;
    }
    function createError(err, code, props) {
      if (!err || typeof err === "string") {
        throw new TypeError("Please pass an Error to err-code");
      }
      if (!props) {
        props = {};
      }
      if (typeof code === "object") {
        props = code;
        code = void 0;
      }
      if (code != null) {
        props.code = code;
      }
      try {
        return assign(err, props);
      } catch (_) {
        props.message = err.message;
        props.stack = err.stack;
        const ErrClass = function() {
        };
        ErrClass.prototype = Object.create(Object.getPrototypeOf(err));
        return assign(new ErrClass(), props);
      }
    }
    module.exports = createError;
  }
});

// node_modules/retry/lib/retry_operation.js
var require_retry_operation = __commonJS({
  "node_modules/retry/lib/retry_operation.js"(exports, module) {
    function RetryOperation(timeouts, options) {
      if (typeof options === "boolean") {
        options = { forever: options };
      }
      this._originalTimeouts = JSON.parse(JSON.stringify(timeouts));
      this._timeouts = timeouts;
      this._options = options || {};
      this._maxRetryTime = options && options.maxRetryTime || Infinity;
      this._fn = null;
      this._errors = [];
      this._attempts = 1;
      this._operationTimeout = null;
      this._operationTimeoutCb = null;
      this._timeout = null;
      this._operationStart = null;
      if (this._options.forever) {
        this._cachedTimeouts = this._timeouts.slice(0);
      }
    }
    module.exports = RetryOperation;
    RetryOperation.prototype.reset = function() {
      this._attempts = 1;
      this._timeouts = this._originalTimeouts;
    };
    RetryOperation.prototype.stop = function() {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      this._timeouts = [];
      this._cachedTimeouts = null;
    };
    RetryOperation.prototype.retry = function(err) {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      if (!err) {
        return false;
      }
      var currentTime = (/* @__PURE__ */ new Date()).getTime();
      if (err && currentTime - this._operationStart >= this._maxRetryTime) {
        this._errors.unshift(new Error("RetryOperation timeout occurred"));
        return false;
      }
      this._errors.push(err);
      var timeout = this._timeouts.shift();
      if (timeout === void 0) {
        if (this._cachedTimeouts) {
          this._errors.splice(this._errors.length - 1, this._errors.length);
          this._timeouts = this._cachedTimeouts.slice(0);
          timeout = this._timeouts.shift();
        } else {
          return false;
        }
      }
      var self = this;
      var timer = setTimeout(function() {
        self._attempts++;
        if (self._operationTimeoutCb) {
          self._timeout = setTimeout(function() {
            self._operationTimeoutCb(self._attempts);
          }, self._operationTimeout);
          if (self._options.unref) {
            self._timeout.unref();
          }
        }
        self._fn(self._attempts);
      }, timeout);
      if (this._options.unref) {
        timer.unref();
      }
      return true;
    };
    RetryOperation.prototype.attempt = function(fn, timeoutOps) {
      this._fn = fn;
      if (timeoutOps) {
        if (timeoutOps.timeout) {
          this._operationTimeout = timeoutOps.timeout;
        }
        if (timeoutOps.cb) {
          this._operationTimeoutCb = timeoutOps.cb;
        }
      }
      var self = this;
      if (this._operationTimeoutCb) {
        this._timeout = setTimeout(function() {
          self._operationTimeoutCb();
        }, self._operationTimeout);
      }
      this._operationStart = (/* @__PURE__ */ new Date()).getTime();
      this._fn(this._attempts);
    };
    RetryOperation.prototype.try = function(fn) {
      console.log("Using RetryOperation.try() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = function(fn) {
      console.log("Using RetryOperation.start() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = RetryOperation.prototype.try;
    RetryOperation.prototype.errors = function() {
      return this._errors;
    };
    RetryOperation.prototype.attempts = function() {
      return this._attempts;
    };
    RetryOperation.prototype.mainError = function() {
      if (this._errors.length === 0) {
        return null;
      }
      var counts = {};
      var mainError = null;
      var mainErrorCount = 0;
      for (var i = 0; i < this._errors.length; i++) {
        var error = this._errors[i];
        var message = error.message;
        var count = (counts[message] || 0) + 1;
        counts[message] = count;
        if (count >= mainErrorCount) {
          mainError = error;
          mainErrorCount = count;
        }
      }
      return mainError;
    };
  }
});

// node_modules/retry/lib/retry.js
var require_retry = __commonJS({
  "node_modules/retry/lib/retry.js"(exports) {
    var RetryOperation = require_retry_operation();
    exports.operation = function(options) {
      var timeouts = exports.timeouts(options);
      return new RetryOperation(timeouts, {
        forever: options && options.forever,
        unref: options && options.unref,
        maxRetryTime: options && options.maxRetryTime
      });
    };
    exports.timeouts = function(options) {
      if (options instanceof Array) {
        return [].concat(options);
      }
      var opts = {
        retries: 10,
        factor: 2,
        minTimeout: 1 * 1e3,
        maxTimeout: Infinity,
        randomize: false
      };
      for (var key in options) {
        opts[key] = options[key];
      }
      if (opts.minTimeout > opts.maxTimeout) {
        throw new Error("minTimeout is greater than maxTimeout");
      }
      var timeouts = [];
      for (var i = 0; i < opts.retries; i++) {
        timeouts.push(this.createTimeout(i, opts));
      }
      if (options && options.forever && !timeouts.length) {
        timeouts.push(this.createTimeout(i, opts));
      }
      timeouts.sort(function(a, b) {
        return a - b;
      });
      return timeouts;
    };
    exports.createTimeout = function(attempt, opts) {
      var random = opts.randomize ? Math.random() + 1 : 1;
      var timeout = Math.round(random * opts.minTimeout * Math.pow(opts.factor, attempt));
      timeout = Math.min(timeout, opts.maxTimeout);
      return timeout;
    };
    exports.wrap = function(obj, options, methods) {
      if (options instanceof Array) {
        methods = options;
        options = null;
      }
      if (!methods) {
        methods = [];
        for (var key in obj) {
          if (typeof obj[key] === "function") {
            methods.push(key);
          }
        }
      }
      for (var i = 0; i < methods.length; i++) {
        var method = methods[i];
        var original = obj[method];
        obj[method] = function retryWrapper(original2) {
          var op = exports.operation(options);
          var args = Array.prototype.slice.call(arguments, 1);
          var callback = args.pop();
          args.push(function(err) {
            if (op.retry(err)) {
              return;
            }
            if (err) {
              arguments[0] = op.mainError();
            }
            callback.apply(this, arguments);
          });
          op.attempt(function() {
            original2.apply(obj, args);
          });
        }.bind(obj, original);
        obj[method].options = options;
      }
    };
  }
});

// node_modules/retry/index.js
var require_retry2 = __commonJS({
  "node_modules/retry/index.js"(exports, module) {
    module.exports = require_retry();
  }
});

// node_modules/promise-retry/index.js
var require_promise_retry = __commonJS({
  "node_modules/promise-retry/index.js"(exports, module) {
    "use strict";
    var errcode = require_err_code();
    var retry = require_retry2();
    var hasOwn = Object.prototype.hasOwnProperty;
    function isRetryError(err) {
      return err && err.code === "EPROMISERETRY" && hasOwn.call(err, "retried");
    }
    function promiseRetry(fn, options) {
      var temp;
      var operation;
      if (typeof fn === "object" && typeof options === "function") {
        temp = options;
        options = fn;
        fn = temp;
      }
      operation = retry.operation(options);
      return new Promise(function(resolve, reject) {
        operation.attempt(function(number) {
          Promise.resolve().then(function() {
            return fn(function(err) {
              if (isRetryError(err)) {
                err = err.retried;
              }
              throw errcode(new Error("Retrying"), "EPROMISERETRY", { retried: err });
            }, number);
          }).then(resolve, function(err) {
            if (isRetryError(err)) {
              err = err.retried;
              if (operation.retry(err || new Error())) {
                return;
              }
            }
            reject(err);
          });
        });
      });
    }
    module.exports = promiseRetry;
  }
});

// node_modules/@sigstore/sign/dist/external/fetch.js
var require_fetch = __commonJS({
  "node_modules/@sigstore/sign/dist/external/fetch.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.fetchWithRetry = fetchWithRetry;
    var http2_1 = __require("http2");
    var make_fetch_happen_1 = __importDefault(require_lib2());
    var proc_log_1 = require_lib();
    var promise_retry_1 = __importDefault(require_promise_retry());
    var util_1 = require_util();
    var error_1 = require_error();
    var { HTTP2_HEADER_LOCATION, HTTP2_HEADER_CONTENT_TYPE, HTTP2_HEADER_USER_AGENT, HTTP_STATUS_INTERNAL_SERVER_ERROR, HTTP_STATUS_TOO_MANY_REQUESTS, HTTP_STATUS_REQUEST_TIMEOUT } = http2_1.constants;
    async function fetchWithRetry(url, options) {
      return (0, promise_retry_1.default)(async (retry, attemptNum) => {
        const method = options.method || "POST";
        const headers = {
          [HTTP2_HEADER_USER_AGENT]: util_1.ua.getUserAgent(),
          ...options.headers
        };
        const response = await (0, make_fetch_happen_1.default)(url, {
          method,
          headers,
          body: options.body,
          timeout: options.timeout,
          retry: false
          // We're handling retries ourselves
        }).catch((reason) => {
          proc_log_1.log.http("fetch", `${method} ${url} attempt ${attemptNum} failed with ${reason}`);
          return retry(reason);
        });
        if (response.ok) {
          return response;
        } else {
          const error = await errorFromResponse(response);
          proc_log_1.log.http("fetch", `${method} ${url} attempt ${attemptNum} failed with ${response.status}`);
          if (retryable(response.status)) {
            return retry(error);
          } else {
            throw error;
          }
        }
      }, retryOpts(options.retry));
    }
    var errorFromResponse = async (response) => {
      let message = response.statusText;
      const location = response.headers.get(HTTP2_HEADER_LOCATION) || void 0;
      const contentType = response.headers.get(HTTP2_HEADER_CONTENT_TYPE);
      if (contentType?.includes("application/json")) {
        try {
          const body = await response.json();
          message = body.message || message;
        } catch (e) {
        }
      }
      return new error_1.HTTPError({
        status: response.status,
        message,
        location
      });
    };
    var retryable = (status) => [HTTP_STATUS_REQUEST_TIMEOUT, HTTP_STATUS_TOO_MANY_REQUESTS].includes(status) || status >= HTTP_STATUS_INTERNAL_SERVER_ERROR;
    var retryOpts = (retry) => {
      if (typeof retry === "boolean") {
        return { retries: retry ? 1 : 0 };
      } else if (typeof retry === "number") {
        return { retries: retry };
      } else {
        return { retries: 0, ...retry };
      }
    };
  }
});

// node_modules/@sigstore/sign/dist/external/fulcio.js
var require_fulcio = __commonJS({
  "node_modules/@sigstore/sign/dist/external/fulcio.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Fulcio = void 0;
    var fetch_1 = require_fetch();
    var Fulcio = class {
      options;
      constructor(options) {
        this.options = options;
      }
      async createSigningCertificate(request) {
        const { baseURL, retry, timeout } = this.options;
        const url = `${baseURL}/api/v2/signingCert`;
        const response = await (0, fetch_1.fetchWithRetry)(url, {
          headers: {
            "Content-Type": "application/json"
          },
          body: JSON.stringify(request),
          timeout,
          retry
        });
        return response.json();
      }
    };
    exports.Fulcio = Fulcio;
  }
});

// node_modules/@sigstore/sign/dist/signer/fulcio/ca.js
var require_ca = __commonJS({
  "node_modules/@sigstore/sign/dist/signer/fulcio/ca.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CAClient = void 0;
    var error_1 = require_error2();
    var fulcio_1 = require_fulcio();
    var CAClient = class {
      fulcio;
      constructor(options) {
        this.fulcio = new fulcio_1.Fulcio({
          baseURL: options.fulcioBaseURL,
          retry: options.retry,
          timeout: options.timeout
        });
      }
      async createSigningCertificate(identityToken, publicKey, challenge) {
        const request = toCertificateRequest(identityToken, publicKey, challenge);
        try {
          const resp = await this.fulcio.createSigningCertificate(request);
          const cert = resp.signedCertificateEmbeddedSct ? resp.signedCertificateEmbeddedSct : resp.signedCertificateDetachedSct;
          return cert.chain.certificates;
        } catch (err) {
          (0, error_1.internalError)(err, "CA_CREATE_SIGNING_CERTIFICATE_ERROR", "error creating signing certificate");
        }
      }
    };
    exports.CAClient = CAClient;
    function toCertificateRequest(identityToken, publicKey, challenge) {
      return {
        credentials: {
          oidcIdentityToken: identityToken
        },
        publicKeyRequest: {
          publicKey: {
            algorithm: "ECDSA",
            content: publicKey
          },
          proofOfPossession: challenge.toString("base64")
        }
      };
    }
  }
});

// node_modules/@sigstore/sign/dist/signer/fulcio/ephemeral.js
var require_ephemeral = __commonJS({
  "node_modules/@sigstore/sign/dist/signer/fulcio/ephemeral.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.EphemeralSigner = void 0;
    var crypto_1 = __require("crypto");
    var EC_KEYPAIR_TYPE = "ec";
    var P256_CURVE = "P-256";
    var EphemeralSigner = class {
      keypair;
      constructor() {
        this.keypair = (0, crypto_1.generateKeyPairSync)(EC_KEYPAIR_TYPE, {
          namedCurve: P256_CURVE
        });
      }
      async sign(data) {
        const signature = (0, crypto_1.sign)("sha256", data, this.keypair.privateKey);
        const publicKey = this.keypair.publicKey.export({ format: "pem", type: "spki" }).toString("ascii");
        return {
          signature,
          key: { $case: "publicKey", publicKey }
        };
      }
    };
    exports.EphemeralSigner = EphemeralSigner;
  }
});

// node_modules/@sigstore/sign/dist/signer/fulcio/index.js
var require_fulcio2 = __commonJS({
  "node_modules/@sigstore/sign/dist/signer/fulcio/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FulcioSigner = exports.DEFAULT_FULCIO_URL = void 0;
    var error_1 = require_error2();
    var util_1 = require_util();
    var ca_1 = require_ca();
    var ephemeral_1 = require_ephemeral();
    exports.DEFAULT_FULCIO_URL = "https://fulcio.sigstore.dev";
    var FulcioSigner = class {
      ca;
      identityProvider;
      keyHolder;
      constructor(options) {
        this.ca = new ca_1.CAClient({
          ...options,
          fulcioBaseURL: options.fulcioBaseURL || /* istanbul ignore next */
          exports.DEFAULT_FULCIO_URL
        });
        this.identityProvider = options.identityProvider;
        this.keyHolder = options.keyHolder || new ephemeral_1.EphemeralSigner();
      }
      async sign(data) {
        const identityToken = await this.getIdentityToken();
        let subject;
        try {
          subject = util_1.oidc.extractJWTSubject(identityToken);
        } catch (err) {
          throw new error_1.InternalError({
            code: "IDENTITY_TOKEN_PARSE_ERROR",
            message: `invalid identity token: ${identityToken}`,
            cause: err
          });
        }
        const challenge = await this.keyHolder.sign(Buffer.from(subject));
        if (challenge.key.$case !== "publicKey") {
          throw new error_1.InternalError({
            code: "CA_CREATE_SIGNING_CERTIFICATE_ERROR",
            message: "unexpected format for signing key"
          });
        }
        const certificates = await this.ca.createSigningCertificate(identityToken, challenge.key.publicKey, challenge.signature);
        const signature = await this.keyHolder.sign(data);
        return {
          signature: signature.signature,
          key: {
            $case: "x509Certificate",
            certificate: certificates[0]
          }
        };
      }
      async getIdentityToken() {
        try {
          return await this.identityProvider.getToken();
        } catch (err) {
          throw new error_1.InternalError({
            code: "IDENTITY_TOKEN_READ_ERROR",
            message: "error retrieving identity token",
            cause: err
          });
        }
      }
    };
    exports.FulcioSigner = FulcioSigner;
  }
});

// node_modules/@sigstore/sign/dist/signer/index.js
var require_signer = __commonJS({
  "node_modules/@sigstore/sign/dist/signer/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.FulcioSigner = exports.DEFAULT_FULCIO_URL = void 0;
    var fulcio_1 = require_fulcio2();
    Object.defineProperty(exports, "DEFAULT_FULCIO_URL", { enumerable: true, get: function() {
      return fulcio_1.DEFAULT_FULCIO_URL;
    } });
    Object.defineProperty(exports, "FulcioSigner", { enumerable: true, get: function() {
      return fulcio_1.FulcioSigner;
    } });
  }
});

// node_modules/@sigstore/sign/dist/external/rekor.js
var require_rekor = __commonJS({
  "node_modules/@sigstore/sign/dist/external/rekor.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Rekor = void 0;
    var fetch_1 = require_fetch();
    var Rekor = class {
      options;
      constructor(options) {
        this.options = options;
      }
      /**
       * Create a new entry in the Rekor log.
       * @param propsedEntry {ProposedEntry} Data to create a new entry
       * @returns {Promise<Entry>} The created entry
       */
      async createEntry(propsedEntry) {
        const { baseURL, timeout, retry } = this.options;
        const url = `${baseURL}/api/v1/log/entries`;
        const response = await (0, fetch_1.fetchWithRetry)(url, {
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json"
          },
          body: JSON.stringify(propsedEntry),
          timeout,
          retry
        });
        const data = await response.json();
        return entryFromResponse(data);
      }
      /**
       * Get an entry from the Rekor log.
       * @param uuid {string} The UUID of the entry to retrieve
       * @returns {Promise<Entry>} The retrieved entry
       */
      async getEntry(uuid) {
        const { baseURL, timeout, retry } = this.options;
        const url = `${baseURL}/api/v1/log/entries/${uuid}`;
        const response = await (0, fetch_1.fetchWithRetry)(url, {
          method: "GET",
          headers: {
            Accept: "application/json"
          },
          timeout,
          retry
        });
        const data = await response.json();
        return entryFromResponse(data);
      }
    };
    exports.Rekor = Rekor;
    function entryFromResponse(data) {
      const entries = Object.entries(data);
      if (entries.length != 1) {
        throw new Error("Received multiple entries in Rekor response");
      }
      const [uuid, entry] = entries[0];
      return {
        ...entry,
        uuid
      };
    }
  }
});

// node_modules/@sigstore/sign/dist/external/rekor-v2.js
var require_rekor_v2 = __commonJS({
  "node_modules/@sigstore/sign/dist/external/rekor-v2.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RekorV2 = void 0;
    var fetch_1 = require_fetch();
    var protobuf_specs_1 = require_dist();
    var v2_1 = require_v2();
    var RekorV2 = class {
      options;
      constructor(options) {
        this.options = options;
      }
      async createEntry(proposedEntry) {
        const { baseURL, timeout, retry } = this.options;
        const url = `${baseURL}/api/v2/log/entries`;
        const response = await (0, fetch_1.fetchWithRetry)(url, {
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json"
          },
          body: JSON.stringify(v2_1.CreateEntryRequest.toJSON(proposedEntry)),
          timeout,
          retry
        });
        return response.json().then((data) => protobuf_specs_1.TransparencyLogEntry.fromJSON(data));
      }
    };
    exports.RekorV2 = RekorV2;
  }
});

// node_modules/@sigstore/sign/dist/witness/tlog/client.js
var require_client = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/tlog/client.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TLogV2Client = exports.TLogClient = void 0;
    var error_1 = require_error2();
    var error_2 = require_error();
    var rekor_1 = require_rekor();
    var rekor_v2_1 = require_rekor_v2();
    var TLogClient = class {
      rekor;
      fetchOnConflict;
      constructor(options) {
        this.fetchOnConflict = options.fetchOnConflict ?? false;
        this.rekor = new rekor_1.Rekor({
          baseURL: options.rekorBaseURL,
          retry: options.retry,
          timeout: options.timeout
        });
      }
      async createEntry(proposedEntry) {
        let entry;
        try {
          entry = await this.rekor.createEntry(proposedEntry);
        } catch (err) {
          if (entryExistsError(err) && this.fetchOnConflict) {
            const uuid = err.location.split("/").pop() || "";
            try {
              entry = await this.rekor.getEntry(uuid);
            } catch (err2) {
              (0, error_1.internalError)(err2, "TLOG_FETCH_ENTRY_ERROR", "error fetching tlog entry");
            }
          } else {
            (0, error_1.internalError)(err, "TLOG_CREATE_ENTRY_ERROR", "error creating tlog entry");
          }
        }
        return entry;
      }
    };
    exports.TLogClient = TLogClient;
    function entryExistsError(value) {
      return value instanceof error_2.HTTPError && value.statusCode === 409 && value.location !== void 0;
    }
    var TLogV2Client = class {
      rekor;
      constructor(options) {
        this.rekor = new rekor_v2_1.RekorV2({
          baseURL: options.rekorBaseURL,
          retry: options.retry,
          timeout: options.timeout
        });
      }
      async createEntry(createEntryRequest) {
        let entry;
        try {
          entry = await this.rekor.createEntry(createEntryRequest);
        } catch (err) {
          (0, error_1.internalError)(err, "TLOG_CREATE_ENTRY_ERROR", "error creating tlog entry");
        }
        if (entry.logId === void 0 || entry.kindVersion === void 0) {
          (0, error_1.internalError)(new Error("invalid tlog entry"), "TLOG_CREATE_ENTRY_ERROR", "error creating tlog entry");
        }
        return {
          ...entry,
          logId: entry.logId,
          kindVersion: entry.kindVersion
        };
      }
    };
    exports.TLogV2Client = TLogV2Client;
  }
});

// node_modules/@sigstore/sign/dist/witness/tlog/entry.js
var require_entry = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/tlog/entry.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.toProposedEntry = toProposedEntry;
    exports.toCreateEntryRequest = toCreateEntryRequest;
    var bundle_1 = require_dist2();
    var protobuf_specs_1 = require_dist();
    var util_1 = require_util();
    var SHA256_ALGORITHM = "sha256";
    function toProposedEntry(content, publicKey, entryType = "dsse") {
      switch (content.$case) {
        case "dsseEnvelope":
          if (entryType === "intoto") {
            return toProposedIntotoEntry(content.dsseEnvelope, publicKey);
          }
          return toProposedDSSEEntry(content.dsseEnvelope, publicKey);
        case "messageSignature":
          return toProposedHashedRekordEntry(content.messageSignature, publicKey);
      }
    }
    function toProposedHashedRekordEntry(messageSignature, publicKey) {
      const hexDigest = messageSignature.messageDigest.digest.toString("hex");
      const b64Signature = messageSignature.signature.toString("base64");
      const b64Key = util_1.encoding.base64Encode(publicKey);
      return {
        apiVersion: "0.0.1",
        kind: "hashedrekord",
        spec: {
          data: {
            hash: {
              algorithm: SHA256_ALGORITHM,
              value: hexDigest
            }
          },
          signature: {
            content: b64Signature,
            publicKey: {
              content: b64Key
            }
          }
        }
      };
    }
    function toProposedDSSEEntry(envelope, publicKey) {
      const envelopeJSON = JSON.stringify((0, bundle_1.envelopeToJSON)(envelope));
      const encodedKey = util_1.encoding.base64Encode(publicKey);
      return {
        apiVersion: "0.0.1",
        kind: "dsse",
        spec: {
          proposedContent: {
            envelope: envelopeJSON,
            verifiers: [encodedKey]
          }
        }
      };
    }
    function toProposedIntotoEntry(envelope, publicKey) {
      const payloadHash = util_1.crypto.digest(SHA256_ALGORITHM, envelope.payload).toString("hex");
      const envelopeHash = calculateDSSEHash(envelope, publicKey);
      const payload = util_1.encoding.base64Encode(envelope.payload.toString("base64"));
      const sig = util_1.encoding.base64Encode(envelope.signatures[0].sig.toString("base64"));
      const keyid = envelope.signatures[0].keyid;
      const encodedKey = util_1.encoding.base64Encode(publicKey);
      const dsse = {
        payloadType: envelope.payloadType,
        payload,
        signatures: [{ sig, publicKey: encodedKey }]
      };
      if (keyid.length > 0) {
        dsse.signatures[0].keyid = keyid;
      }
      return {
        apiVersion: "0.0.2",
        kind: "intoto",
        spec: {
          content: {
            envelope: dsse,
            hash: { algorithm: SHA256_ALGORITHM, value: envelopeHash },
            payloadHash: { algorithm: SHA256_ALGORITHM, value: payloadHash }
          }
        }
      };
    }
    function calculateDSSEHash(envelope, publicKey) {
      const dsse = {
        payloadType: envelope.payloadType,
        payload: envelope.payload.toString("base64"),
        signatures: [
          { sig: envelope.signatures[0].sig.toString("base64"), publicKey }
        ]
      };
      if (envelope.signatures[0].keyid.length > 0) {
        dsse.signatures[0].keyid = envelope.signatures[0].keyid;
      }
      return util_1.crypto.digest(SHA256_ALGORITHM, util_1.json.canonicalize(dsse)).toString("hex");
    }
    function toCreateEntryRequest(content, publicKey) {
      switch (content.$case) {
        case "dsseEnvelope":
          return toCreateEntryRequestDSSE(content.dsseEnvelope, publicKey);
        case "messageSignature":
          return toCreateEntryRequestMessageSignature(content.messageSignature, publicKey);
      }
    }
    function toCreateEntryRequestDSSE(envelope, publicKey) {
      return {
        spec: {
          $case: "dsseRequestV002",
          dsseRequestV002: {
            envelope,
            verifiers: [
              {
                // TODO: We need to add support of passing the key details in the
                // signature bundle. For now we're hardcoding the key details here.
                keyDetails: protobuf_specs_1.PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
                verifier: {
                  $case: "x509Certificate",
                  x509Certificate: {
                    rawBytes: util_1.pem.toDER(publicKey)
                  }
                }
              }
            ]
          }
        }
      };
    }
    function toCreateEntryRequestMessageSignature(messageSignature, publicKey) {
      return {
        spec: {
          $case: "hashedRekordRequestV002",
          hashedRekordRequestV002: {
            digest: messageSignature.messageDigest.digest,
            signature: {
              content: messageSignature.signature,
              verifier: {
                // TODO: We need to add support of passing the key details in the
                // signature bundle. For now we're hardcoding the key details here.
                keyDetails: protobuf_specs_1.PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
                verifier: {
                  $case: "x509Certificate",
                  x509Certificate: {
                    rawBytes: util_1.pem.toDER(publicKey)
                  }
                }
              }
            }
          }
        }
      };
    }
  }
});

// node_modules/@sigstore/sign/dist/witness/tlog/index.js
var require_tlog = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/tlog/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RekorWitness = exports.DEFAULT_REKOR_URL = void 0;
    var util_1 = require_util();
    var client_1 = require_client();
    var entry_1 = require_entry();
    exports.DEFAULT_REKOR_URL = "https://rekor.sigstore.dev";
    var RekorWitness = class {
      tlogV1;
      tlogV2;
      entryType;
      majorApiVersion;
      constructor(options) {
        this.entryType = options.entryType;
        this.majorApiVersion = options.majorApiVersion || 1;
        this.tlogV1 = new client_1.TLogClient({
          ...options,
          rekorBaseURL: options.rekorBaseURL || /* istanbul ignore next */
          exports.DEFAULT_REKOR_URL
        });
        this.tlogV2 = new client_1.TLogV2Client({
          ...options,
          rekorBaseURL: options.rekorBaseURL || /* istanbul ignore next */
          exports.DEFAULT_REKOR_URL
        });
      }
      async testify(content, publicKey) {
        let tlogEntry;
        if (this.majorApiVersion === 2) {
          const request = (0, entry_1.toCreateEntryRequest)(content, publicKey);
          tlogEntry = await this.tlogV2.createEntry(request);
        } else {
          const proposedEntry = (0, entry_1.toProposedEntry)(content, publicKey, this.entryType);
          const entry = await this.tlogV1.createEntry(proposedEntry);
          tlogEntry = toTransparencyLogEntry(entry);
        }
        return { tlogEntries: [tlogEntry] };
      }
    };
    exports.RekorWitness = RekorWitness;
    function toTransparencyLogEntry(entry) {
      const logID = Buffer.from(entry.logID, "hex");
      const bodyJSON = util_1.encoding.base64Decode(entry.body);
      const entryBody = JSON.parse(bodyJSON);
      const promise = entry?.verification?.signedEntryTimestamp ? inclusionPromise(entry.verification.signedEntryTimestamp) : void 0;
      const proof = entry?.verification?.inclusionProof ? inclusionProof(entry.verification.inclusionProof) : void 0;
      const tlogEntry = {
        logIndex: entry.logIndex.toString(),
        logId: {
          keyId: logID
        },
        integratedTime: entry.integratedTime.toString(),
        kindVersion: {
          kind: entryBody.kind,
          version: entryBody.apiVersion
        },
        inclusionPromise: promise,
        inclusionProof: proof,
        canonicalizedBody: Buffer.from(entry.body, "base64")
      };
      return tlogEntry;
    }
    function inclusionPromise(promise) {
      return {
        signedEntryTimestamp: Buffer.from(promise, "base64")
      };
    }
    function inclusionProof(proof) {
      return {
        logIndex: proof.logIndex.toString(),
        treeSize: proof.treeSize.toString(),
        rootHash: Buffer.from(proof.rootHash, "hex"),
        hashes: proof.hashes.map((h) => Buffer.from(h, "hex")),
        checkpoint: {
          envelope: proof.checkpoint
        }
      };
    }
  }
});

// node_modules/@sigstore/sign/dist/external/tsa.js
var require_tsa = __commonJS({
  "node_modules/@sigstore/sign/dist/external/tsa.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TimestampAuthority = void 0;
    var fetch_1 = require_fetch();
    var TimestampAuthority = class {
      options;
      constructor(options) {
        this.options = options;
      }
      async createTimestamp(request) {
        const { baseURL, timeout, retry } = this.options;
        const url = new URL(baseURL).pathname === "/" ? `${baseURL}/api/v1/timestamp` : baseURL;
        const response = await (0, fetch_1.fetchWithRetry)(url, {
          headers: {
            "Content-Type": "application/json"
          },
          body: JSON.stringify(request),
          timeout,
          retry
        });
        return response.buffer();
      }
    };
    exports.TimestampAuthority = TimestampAuthority;
  }
});

// node_modules/@sigstore/sign/dist/witness/tsa/client.js
var require_client2 = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/tsa/client.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TSAClient = void 0;
    var error_1 = require_error2();
    var tsa_1 = require_tsa();
    var util_1 = require_util();
    var SHA256_ALGORITHM = "sha256";
    var TSAClient = class {
      tsa;
      constructor(options) {
        this.tsa = new tsa_1.TimestampAuthority({
          baseURL: options.tsaBaseURL,
          retry: options.retry,
          timeout: options.timeout
        });
      }
      async createTimestamp(signature) {
        const request = {
          artifactHash: util_1.crypto.digest(SHA256_ALGORITHM, signature).toString("base64"),
          hashAlgorithm: SHA256_ALGORITHM
        };
        try {
          return await this.tsa.createTimestamp(request);
        } catch (err) {
          (0, error_1.internalError)(err, "TSA_CREATE_TIMESTAMP_ERROR", "error creating timestamp");
        }
      }
    };
    exports.TSAClient = TSAClient;
  }
});

// node_modules/@sigstore/sign/dist/witness/tsa/index.js
var require_tsa2 = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/tsa/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TSAWitness = void 0;
    var client_1 = require_client2();
    var TSAWitness = class {
      tsa;
      constructor(options) {
        this.tsa = new client_1.TSAClient({
          tsaBaseURL: options.tsaBaseURL,
          retry: options.retry,
          timeout: options.timeout
        });
      }
      async testify(content) {
        const signature = extractSignature(content);
        const timestamp = await this.tsa.createTimestamp(signature);
        return {
          rfc3161Timestamps: [{ signedTimestamp: timestamp }]
        };
      }
    };
    exports.TSAWitness = TSAWitness;
    function extractSignature(content) {
      switch (content.$case) {
        case "dsseEnvelope":
          return content.dsseEnvelope.signatures[0].sig;
        case "messageSignature":
          return content.messageSignature.signature;
      }
    }
  }
});

// node_modules/@sigstore/sign/dist/witness/index.js
var require_witness = __commonJS({
  "node_modules/@sigstore/sign/dist/witness/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TSAWitness = exports.RekorWitness = exports.DEFAULT_REKOR_URL = void 0;
    var tlog_1 = require_tlog();
    Object.defineProperty(exports, "DEFAULT_REKOR_URL", { enumerable: true, get: function() {
      return tlog_1.DEFAULT_REKOR_URL;
    } });
    Object.defineProperty(exports, "RekorWitness", { enumerable: true, get: function() {
      return tlog_1.RekorWitness;
    } });
    var tsa_1 = require_tsa2();
    Object.defineProperty(exports, "TSAWitness", { enumerable: true, get: function() {
      return tsa_1.TSAWitness;
    } });
  }
});

// node_modules/@sigstore/sign/dist/config.js
var require_config = __commonJS({
  "node_modules/@sigstore/sign/dist/config.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.bundleBuilderFromSigningConfig = bundleBuilderFromSigningConfig;
    var protobuf_specs_1 = require_dist();
    var dsse_1 = require_dsse();
    var message_1 = require_message();
    var signer_1 = require_signer();
    var witness_1 = require_witness();
    var MAX_CA_API_VERSION = 1;
    var MAX_TLOG_API_VERSION = 2;
    var MAX_TSA_API_VERSION = 1;
    var DEFAULT_TIMEOUT = 5e3;
    var DEFAULT_REKORV2_TIMEOUT = 2e4;
    var DEFAULT_RETRY = { retries: 2 };
    function bundleBuilderFromSigningConfig(options) {
      const { signingConfig, identityProvider, bundleType } = options;
      const fetchOptions = options.fetchOptions || {
        timeout: DEFAULT_TIMEOUT,
        retry: DEFAULT_RETRY
      };
      const signer = fulcioSignerFromConfig(signingConfig, identityProvider, fetchOptions);
      const witnesses = witnessesFromConfig(signingConfig, fetchOptions);
      switch (bundleType) {
        case "messageSignature":
          return new message_1.MessageSignatureBundleBuilder({ signer, witnesses });
        case "dsseEnvelope":
          return new dsse_1.DSSEBundleBuilder({ signer, witnesses });
      }
    }
    function fulcioSignerFromConfig(signingConfig, identityProvider, fetchOptions) {
      const service = certAuthorityService(signingConfig);
      return new signer_1.FulcioSigner({
        fulcioBaseURL: service.url,
        identityProvider,
        timeout: fetchOptions.timeout,
        retry: fetchOptions.retry
      });
    }
    function witnessesFromConfig(signingConfig, fetchOptions) {
      const witnesses = [];
      if (signingConfig.rekorTlogConfig) {
        if (signingConfig.rekorTlogConfig.selector !== protobuf_specs_1.ServiceSelector.ANY) {
          throw new Error("Unsupported Rekor TLog selector in signing configuration");
        }
        const tlog = tlogService(signingConfig);
        witnesses.push(new witness_1.RekorWitness({
          rekorBaseURL: tlog.url,
          majorApiVersion: tlog.majorApiVersion,
          retry: fetchOptions.retry,
          timeout: (
            // Ensure Rekor V2 has at least a 20 second timeout
            tlog.majorApiVersion === 1 ? fetchOptions.timeout : Math.min(fetchOptions.timeout || /* istanbul ignore next */
            DEFAULT_TIMEOUT, DEFAULT_REKORV2_TIMEOUT)
          )
        }));
      }
      if (signingConfig.tsaConfig) {
        if (signingConfig.tsaConfig.selector !== protobuf_specs_1.ServiceSelector.ANY) {
          throw new Error("Unsupported TSA selector in signing configuration");
        }
        const tsa = tsaService(signingConfig);
        witnesses.push(new witness_1.TSAWitness({
          tsaBaseURL: tsa.url,
          retry: fetchOptions.retry,
          timeout: fetchOptions.timeout
        }));
      }
      return witnesses;
    }
    function certAuthorityService(signingConfig) {
      const compatibleCAs = filterServicesByMaxAPIVersion(signingConfig.caUrls, MAX_CA_API_VERSION);
      const sortedCAs = sortServicesByStartDate(compatibleCAs);
      if (sortedCAs.length === 0) {
        throw new Error("No valid CA services found in signing configuration");
      }
      return sortedCAs[0];
    }
    function tlogService(signingConfig) {
      const compatibleTLogs = filterServicesByMaxAPIVersion(signingConfig.rekorTlogUrls, MAX_TLOG_API_VERSION);
      const sortedTLogs = sortServicesByStartDate(compatibleTLogs);
      if (sortedTLogs.length === 0) {
        throw new Error("No valid TLogs found in signing configuration");
      }
      return sortedTLogs[0];
    }
    function tsaService(signingConfig) {
      const compatibleTSAs = filterServicesByMaxAPIVersion(signingConfig.tsaUrls, MAX_TSA_API_VERSION);
      const sortedTSAs = sortServicesByStartDate(compatibleTSAs);
      if (sortedTSAs.length === 0) {
        throw new Error("No valid TSAs found in signing configuration");
      }
      return sortedTSAs[0];
    }
    function sortServicesByStartDate(services) {
      const now = /* @__PURE__ */ new Date();
      const validServices = services.filter((service) => {
        if (!service.validFor?.end) {
          return true;
        }
        return service.validFor.end >= now;
      });
      return validServices.sort((a, b) => {
        const aStart = a.validFor?.start?.getTime() ?? 0;
        const bStart = b.validFor?.start?.getTime() ?? 0;
        return bStart - aStart;
      });
    }
    function filterServicesByMaxAPIVersion(services, apiVersion) {
      return services.filter((service) => {
        return service.majorApiVersion <= apiVersion;
      });
    }
  }
});

// node_modules/@sigstore/sign/dist/identity/ci.js
var require_ci = __commonJS({
  "node_modules/@sigstore/sign/dist/identity/ci.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CIContextProvider = void 0;
    var make_fetch_happen_1 = __importDefault(require_lib2());
    var providers = [getGHAToken, getEnv];
    var CIContextProvider = class {
      audience;
      /* istanbul ignore next */
      constructor(audience = "sigstore") {
        this.audience = audience;
      }
      // Invoke all registered ProviderFuncs and return the value of whichever one
      // resolves first.
      async getToken() {
        return Promise.any(providers.map((getToken) => getToken(this.audience))).catch(() => Promise.reject("CI: no tokens available"));
      }
    };
    exports.CIContextProvider = CIContextProvider;
    async function getGHAToken(audience) {
      if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        return Promise.reject("no token available");
      }
      const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL);
      url.searchParams.append("audience", audience);
      const response = await (0, make_fetch_happen_1.default)(url.href, {
        retry: 2,
        headers: {
          Accept: "application/json",
          Authorization: `Bearer ${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`
        }
      });
      return response.json().then((data) => data.value);
    }
    async function getEnv() {
      if (!process.env.SIGSTORE_ID_TOKEN) {
        return Promise.reject("no token available");
      }
      return process.env.SIGSTORE_ID_TOKEN;
    }
  }
});

// node_modules/@sigstore/sign/dist/identity/index.js
var require_identity = __commonJS({
  "node_modules/@sigstore/sign/dist/identity/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CIContextProvider = void 0;
    var ci_1 = require_ci();
    Object.defineProperty(exports, "CIContextProvider", { enumerable: true, get: function() {
      return ci_1.CIContextProvider;
    } });
  }
});

// node_modules/@sigstore/sign/dist/index.js
var require_dist4 = __commonJS({
  "node_modules/@sigstore/sign/dist/index.js"(exports) {
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TSAWitness = exports.RekorWitness = exports.DEFAULT_REKOR_URL = exports.FulcioSigner = exports.DEFAULT_FULCIO_URL = exports.CIContextProvider = exports.InternalError = exports.bundleBuilderFromSigningConfig = exports.MessageSignatureBundleBuilder = exports.DSSEBundleBuilder = void 0;
    var bundler_1 = require_bundler();
    Object.defineProperty(exports, "DSSEBundleBuilder", { enumerable: true, get: function() {
      return bundler_1.DSSEBundleBuilder;
    } });
    Object.defineProperty(exports, "MessageSignatureBundleBuilder", { enumerable: true, get: function() {
      return bundler_1.MessageSignatureBundleBuilder;
    } });
    var config_1 = require_config();
    Object.defineProperty(exports, "bundleBuilderFromSigningConfig", { enumerable: true, get: function() {
      return config_1.bundleBuilderFromSigningConfig;
    } });
    var error_1 = require_error2();
    Object.defineProperty(exports, "InternalError", { enumerable: true, get: function() {
      return error_1.InternalError;
    } });
    var identity_1 = require_identity();
    Object.defineProperty(exports, "CIContextProvider", { enumerable: true, get: function() {
      return identity_1.CIContextProvider;
    } });
    var signer_1 = require_signer();
    Object.defineProperty(exports, "DEFAULT_FULCIO_URL", { enumerable: true, get: function() {
      return signer_1.DEFAULT_FULCIO_URL;
    } });
    Object.defineProperty(exports, "FulcioSigner", { enumerable: true, get: function() {
      return signer_1.FulcioSigner;
    } });
    var witness_1 = require_witness();
    Object.defineProperty(exports, "DEFAULT_REKOR_URL", { enumerable: true, get: function() {
      return witness_1.DEFAULT_REKOR_URL;
    } });
    Object.defineProperty(exports, "RekorWitness", { enumerable: true, get: function() {
      return witness_1.RekorWitness;
    } });
    Object.defineProperty(exports, "TSAWitness", { enumerable: true, get: function() {
      return witness_1.TSAWitness;
    } });
  }
});

export {
  require_dist4 as require_dist
};
