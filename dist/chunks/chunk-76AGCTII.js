import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  require_dist
} from "./chunk-BQR56PF6.js";
import {
  git,
  gitHubFailureText,
  runGit
} from "./chunk-3DDHEWZZ.js";
import {
  HashPool,
  buildManifest,
  cargoPurl,
  condaPurl,
  golangPurl,
  hashDirectory,
  hashFiles,
  hashSettingsFor,
  manifestRef,
  normalizePypiName,
  npmPurl,
  pypiPurl,
  withoutCredentials
} from "./chunk-K5UFL2LG.js";
import {
  compareBytewise,
  compileGlob,
  expandGlob,
  hasGlobMagic
} from "./chunk-FBKVKE4J.js";
import {
  SchemaValidator,
  hashFile,
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  isMissingFile,
  readBoundedFile,
  readBoundedText
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-H3ACIWDX.js";

// node_modules/unbzip2-stream/lib/bit_iterator.js
var require_bit_iterator = __commonJS({
  "node_modules/unbzip2-stream/lib/bit_iterator.js"(exports, module) {
    var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
    module.exports = function bitIterator2(nextBuffer) {
      var bit = 0, byte = 0;
      var bytes = nextBuffer();
      var f = function(n) {
        if (n === null && bit != 0) {
          bit = 0;
          byte++;
          return;
        }
        var result = 0;
        while (n > 0) {
          if (byte >= bytes.length) {
            byte = 0;
            bytes = nextBuffer();
          }
          var left = 8 - bit;
          if (bit === 0 && n > 0)
            f.bytesRead++;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
      f.bytesRead = 0;
      return f;
    };
  }
});

// node_modules/unbzip2-stream/lib/bzip2.js
var require_bzip2 = __commonJS({
  "node_modules/unbzip2-stream/lib/bzip2.js"(exports, module) {
    function Bzip2Error(message2) {
      this.name = "Bzip2Error";
      this.message = message2;
      this.stack = new Error().stack;
    }
    Bzip2Error.prototype = new Error();
    var message = {
      Error: function(message2) {
        throw new Bzip2Error(message2);
      }
    };
    var bzip22 = {};
    bzip22.Bzip2Error = Bzip2Error;
    bzip22.crcTable = [
      0,
      79764919,
      159529838,
      222504665,
      319059676,
      398814059,
      445009330,
      507990021,
      638119352,
      583659535,
      797628118,
      726387553,
      890018660,
      835552979,
      1015980042,
      944750013,
      1276238704,
      1221641927,
      1167319070,
      1095957929,
      1595256236,
      1540665371,
      1452775106,
      1381403509,
      1780037320,
      1859660671,
      1671105958,
      1733955601,
      2031960084,
      2111593891,
      1889500026,
      1952343757,
      2552477408,
      2632100695,
      2443283854,
      2506133561,
      2334638140,
      2414271883,
      2191915858,
      2254759653,
      3190512472,
      3135915759,
      3081330742,
      3009969537,
      2905550212,
      2850959411,
      2762807018,
      2691435357,
      3560074640,
      3505614887,
      3719321342,
      3648080713,
      3342211916,
      3287746299,
      3467911202,
      3396681109,
      4063920168,
      4143685023,
      4223187782,
      4286162673,
      3779000052,
      3858754371,
      3904687514,
      3967668269,
      881225847,
      809987520,
      1023691545,
      969234094,
      662832811,
      591600412,
      771767749,
      717299826,
      311336399,
      374308984,
      453813921,
      533576470,
      25881363,
      88864420,
      134795389,
      214552010,
      2023205639,
      2086057648,
      1897238633,
      1976864222,
      1804852699,
      1867694188,
      1645340341,
      1724971778,
      1587496639,
      1516133128,
      1461550545,
      1406951526,
      1302016099,
      1230646740,
      1142491917,
      1087903418,
      2896545431,
      2825181984,
      2770861561,
      2716262478,
      3215044683,
      3143675388,
      3055782693,
      3001194130,
      2326604591,
      2389456536,
      2200899649,
      2280525302,
      2578013683,
      2640855108,
      2418763421,
      2498394922,
      3769900519,
      3832873040,
      3912640137,
      3992402750,
      4088425275,
      4151408268,
      4197601365,
      4277358050,
      3334271071,
      3263032808,
      3476998961,
      3422541446,
      3585640067,
      3514407732,
      3694837229,
      3640369242,
      1762451694,
      1842216281,
      1619975040,
      1682949687,
      2047383090,
      2127137669,
      1938468188,
      2001449195,
      1325665622,
      1271206113,
      1183200824,
      1111960463,
      1543535498,
      1489069629,
      1434599652,
      1363369299,
      622672798,
      568075817,
      748617968,
      677256519,
      907627842,
      853037301,
      1067152940,
      995781531,
      51762726,
      131386257,
      177728840,
      240578815,
      269590778,
      349224269,
      429104020,
      491947555,
      4046411278,
      4126034873,
      4172115296,
      4234965207,
      3794477266,
      3874110821,
      3953728444,
      4016571915,
      3609705398,
      3555108353,
      3735388376,
      3664026991,
      3290680682,
      3236090077,
      3449943556,
      3378572211,
      3174993278,
      3120533705,
      3032266256,
      2961025959,
      2923101090,
      2868635157,
      2813903052,
      2742672763,
      2604032198,
      2683796849,
      2461293480,
      2524268063,
      2284983834,
      2364738477,
      2175806836,
      2238787779,
      1569362073,
      1498123566,
      1409854455,
      1355396672,
      1317987909,
      1246755826,
      1192025387,
      1137557660,
      2072149281,
      2135122070,
      1912620623,
      1992383480,
      1753615357,
      1816598090,
      1627664531,
      1707420964,
      295390185,
      358241886,
      404320391,
      483945776,
      43990325,
      106832002,
      186451547,
      266083308,
      932423249,
      861060070,
      1041341759,
      986742920,
      613929101,
      542559546,
      756411363,
      701822548,
      3316196985,
      3244833742,
      3425377559,
      3370778784,
      3601682597,
      3530312978,
      3744426955,
      3689838204,
      3819031489,
      3881883254,
      3928223919,
      4007849240,
      4037393693,
      4100235434,
      4180117107,
      4259748804,
      2310601993,
      2373574846,
      2151335527,
      2231098320,
      2596047829,
      2659030626,
      2470359227,
      2550115596,
      2947551409,
      2876312838,
      2788305887,
      2733848168,
      3165939309,
      3094707162,
      3040238851,
      2985771188
    ];
    bzip22.array = function(bytes) {
      var bit = 0, byte = 0;
      var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
      return function(n) {
        var result = 0;
        while (n > 0) {
          var left = 8 - bit;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
    };
    bzip22.simple = function(srcbuffer, stream) {
      var bits = bzip22.array(srcbuffer);
      var size = bzip22.header(bits);
      var ret = false;
      var bufsize = 1e5 * size;
      var buf = new Int32Array(bufsize);
      do {
        ret = bzip22.decompress(bits, stream, buf, bufsize);
      } while (!ret);
    };
    bzip22.header = function(bits) {
      this.byteCount = new Int32Array(256);
      this.symToByte = new Uint8Array(256);
      this.mtfSymbol = new Int32Array(256);
      this.selectors = new Uint8Array(32768);
      if (bits(8 * 3) != 4348520) message.Error("No magic number found");
      var i = bits(8) - 48;
      if (i < 1 || i > 9) message.Error("Not a BZIP archive");
      return i;
    };
    bzip22.decompress = function(bits, stream, buf, bufsize, streamCRC) {
      var MAX_HUFCODE_BITS = 20;
      var MAX_SYMBOLS = 258;
      var SYMBOL_RUNA = 0;
      var SYMBOL_RUNB = 1;
      var GROUP_SIZE = 50;
      var crc = 0 ^ -1;
      for (var h = "", i = 0; i < 6; i++) h += bits(8).toString(16);
      if (h == "177245385090") {
        var finalCRC = bits(32) | 0;
        if (finalCRC !== streamCRC) message.Error("Error in bzip2: crc32 do not match");
        bits(null);
        return null;
      }
      if (h != "314159265359") message.Error("eek not valid bzip data");
      var crcblock = bits(32) | 0;
      if (bits(1)) message.Error("unsupported obsolete version");
      var origPtr = bits(24);
      if (origPtr > bufsize) message.Error("Initial position larger than buffer size");
      var t = bits(16);
      var symTotal = 0;
      for (i = 0; i < 16; i++) {
        if (t & 1 << 15 - i) {
          var k = bits(16);
          for (j = 0; j < 16; j++) {
            if (k & 1 << 15 - j) {
              this.symToByte[symTotal++] = 16 * i + j;
            }
          }
        }
      }
      var groupCount = bits(3);
      if (groupCount < 2 || groupCount > 6) message.Error("another error");
      var nSelectors = bits(15);
      if (nSelectors == 0) message.Error("meh");
      for (var i = 0; i < groupCount; i++) this.mtfSymbol[i] = i;
      for (var i = 0; i < nSelectors; i++) {
        for (var j = 0; bits(1); j++) if (j >= groupCount) message.Error("whoops another error");
        var uc = this.mtfSymbol[j];
        for (var k = j - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        this.selectors[i] = uc;
      }
      var symCount = symTotal + 2;
      var groups = [];
      var length = new Uint8Array(MAX_SYMBOLS), temp = new Uint16Array(MAX_HUFCODE_BITS + 1);
      var hufGroup;
      for (var j = 0; j < groupCount; j++) {
        t = bits(5);
        for (var i = 0; i < symCount; i++) {
          while (true) {
            if (t < 1 || t > MAX_HUFCODE_BITS) message.Error("I gave up a while ago on writing error messages");
            if (!bits(1)) break;
            if (!bits(1)) t++;
            else t--;
          }
          length[i] = t;
        }
        var minLen, maxLen;
        minLen = maxLen = length[0];
        for (var i = 1; i < symCount; i++) {
          if (length[i] > maxLen) maxLen = length[i];
          else if (length[i] < minLen) minLen = length[i];
        }
        hufGroup = groups[j] = {};
        hufGroup.permute = new Int32Array(MAX_SYMBOLS);
        hufGroup.limit = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.base = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.minLen = minLen;
        hufGroup.maxLen = maxLen;
        var base = hufGroup.base;
        var limit = hufGroup.limit;
        var pp = 0;
        for (var i = minLen; i <= maxLen; i++)
          for (var t = 0; t < symCount; t++)
            if (length[t] == i) hufGroup.permute[pp++] = t;
        for (i = minLen; i <= maxLen; i++) temp[i] = limit[i] = 0;
        for (i = 0; i < symCount; i++) temp[length[i]]++;
        pp = t = 0;
        for (i = minLen; i < maxLen; i++) {
          pp += temp[i];
          limit[i] = pp - 1;
          pp <<= 1;
          base[i + 1] = pp - (t += temp[i]);
        }
        limit[maxLen] = pp + temp[maxLen] - 1;
        base[minLen] = 0;
      }
      for (var i = 0; i < 256; i++) {
        this.mtfSymbol[i] = i;
        this.byteCount[i] = 0;
      }
      var runPos, count, symCount, selector;
      runPos = count = symCount = selector = 0;
      while (true) {
        if (!symCount--) {
          symCount = GROUP_SIZE - 1;
          if (selector >= nSelectors) message.Error("meow i'm a kitty, that's an error");
          hufGroup = groups[this.selectors[selector++]];
          base = hufGroup.base;
          limit = hufGroup.limit;
        }
        i = hufGroup.minLen;
        j = bits(i);
        while (true) {
          if (i > hufGroup.maxLen) message.Error("rawr i'm a dinosaur");
          if (j <= limit[i]) break;
          i++;
          j = j << 1 | bits(1);
        }
        j -= base[i];
        if (j < 0 || j >= MAX_SYMBOLS) message.Error("moo i'm a cow");
        var nextSym = hufGroup.permute[j];
        if (nextSym == SYMBOL_RUNA || nextSym == SYMBOL_RUNB) {
          if (!runPos) {
            runPos = 1;
            t = 0;
          }
          if (nextSym == SYMBOL_RUNA) t += runPos;
          else t += 2 * runPos;
          runPos <<= 1;
          continue;
        }
        if (runPos) {
          runPos = 0;
          if (count + t > bufsize) message.Error("Boom.");
          uc = this.symToByte[this.mtfSymbol[0]];
          this.byteCount[uc] += t;
          while (t--) buf[count++] = uc;
        }
        if (nextSym > symTotal) break;
        if (count >= bufsize) message.Error("I can't think of anything. Error");
        i = nextSym - 1;
        uc = this.mtfSymbol[i];
        for (var k = i - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        uc = this.symToByte[uc];
        this.byteCount[uc]++;
        buf[count++] = uc;
      }
      if (origPtr < 0 || origPtr >= count) message.Error("I'm a monkey and I'm throwing something at someone, namely you");
      var j = 0;
      for (var i = 0; i < 256; i++) {
        k = j + this.byteCount[i];
        this.byteCount[i] = j;
        j = k;
      }
      for (var i = 0; i < count; i++) {
        uc = buf[i] & 255;
        buf[this.byteCount[uc]] |= i << 8;
        this.byteCount[uc]++;
      }
      var pos = 0, current = 0, run = 0;
      if (count) {
        pos = buf[origPtr];
        current = pos & 255;
        pos >>= 8;
        run = -1;
      }
      count = count;
      var copies, previous, outbyte;
      while (count) {
        count--;
        previous = current;
        pos = buf[pos];
        current = pos & 255;
        pos >>= 8;
        if (run++ == 3) {
          copies = current;
          outbyte = previous;
          current = -1;
        } else {
          copies = 1;
          outbyte = current;
        }
        while (copies--) {
          crc = (crc << 8 ^ this.crcTable[(crc >> 24 ^ outbyte) & 255]) & 4294967295;
          stream(outbyte);
        }
        if (current != previous) run = 0;
      }
      crc = (crc ^ -1) >>> 0;
      if ((crc | 0) != (crcblock | 0)) message.Error("Error in bzip2: crc32 do not match");
      streamCRC = (crc ^ (streamCRC << 1 | streamCRC >>> 31)) & 4294967295;
      return streamCRC;
    };
    module.exports = bzip22;
  }
});

// node_modules/xz-decompress/dist/package/xz-decompress.js
var require_xz_decompress = __commonJS({
  "node_modules/xz-decompress/dist/package/xz-decompress.js"(exports, module) {
    (function webpackUniversalModuleDefinition(root, factory) {
      if (typeof exports === "object" && typeof module === "object")
        module.exports = factory(__require("stream/web"));
      else if (typeof define === "function" && define.amd)
        define(["stream/web"], factory);
      else if (typeof exports === "object")
        exports["xz-decompress"] = factory(__require("stream/web"));
      else
        root["xz-decompress"] = factory(root["stream/web"]);
    })(exports, (__WEBPACK_EXTERNAL_MODULE__2__) => {
      return (
        /******/
        (() => {
          "use strict";
          var __webpack_modules__ = [
            ,
            /* 1 */
            /***/
            ((module2) => {
              module2.exports = "data:application/wasm;base64,AGFzbQEAAAABOApgAX8Bf2ABfwBgAABgA39/fwF/YAABf2ACf38AYAN/f34BfmACf38Bf2AEf39/fwF/YAN/f38AAyEgAAABAgMDAwMEAQUAAgMCBgcIBwUDAAMHAQcABwcBAwkFAwEAAgYIAX8BQfCgBAsHTgUGbWVtb3J5AgAOY3JlYXRlX2NvbnRleHQACA9kZXN0cm95X2NvbnRleHQACQxzdXBwbHlfaW5wdXQACg9nZXRfbmV4dF9vdXRwdXQACwqQYCDfAgEFf0EAIQECQCAAQQdqIgJBEEkNAEEBIQEgAkEDdiIDQQJGDQBBAiEBIAJBIEkNAEEDIQEgA0EERg0AQQQhASACQTBJDQBBBSEBIANBBkYNAEEGIQEgAkHIAEkNAEEHIQEgAkHYAEkNAEEIIQEgAkGIAUkNAEEJIQEgAkGIAkkNACAAEIGAgIAAIgBBCGpBACAAGw8LAkACQCABQQJ0QcCIgIAAaiIEKAIAIgANAEEAIQACQAJAQQAoAuSIgIAAIgJFDQBBACACKAIANgLkiICAAAwBC0EAEIGAgIAAIgJFDQILIAJBgIB8cSIAIAJBCHZB/wFxIgJyIAE6AAAgACACQQh0ckGAAmohAEEAIQJBACABQQJ0QYCIgIAAaigCACIDayEFIAMhAQNAIAAgBWoiACACNgIAIAAhAiABIANqIgFBgQJJDQALIAQgADYCAAsgBCAAKAIANgIACyAAC/QHAQh/QQAoArCIgIAAIQECQAJAAkACQAJAQQAtALSIgIAARQ0AQQBBADoAtIiAgAAgAUUNAUGwiICAACECA0ACQAJAIAFBCGoiAyABKAIEIgRqIgVBCHZB/wFxIgYNACABIQIMAQsCQANAIAVBgIB8cSAGai0AAEH+AUcNAUGwiICAACEGA0AgBiIHKAIAIgYgBUcNAAsgByAFKAIANgIAIAEgBCAFKAIEakEIaiIENgIEIAcgAiACIAVGGyECIAMgBGoiBUEIdkH/AXEiBg0ACwsgAigCACECCyACKAIAIgENAAtBACgCsIiAgAAhAQsgAUUNACAAQYcCakGAfnEhCEF/IQJBsIiAgAAhBEEAIQNBsIiAgAAhBgNAIAYhBwJAIAEiBigCBCIFIABJDQAgBSACTw0AIAUhAiAHIQQgBiEDIAVBCGogCEcNACAHIQQgBSECIAYhAwwECyAGKAIAIgENAAsgAw0CDAELQbCIgIAAIQQLPwBBEHQhASAAQYgCaiEHQQAhAwJAAkBBACgCuIiAgAAiAkUNAEEAIQUgASEGDAELQQAgAUHwoISAAEH//wNqQYCAfHEiBmsiAjYCuIiAgAAgAiEFCwJAIAcgBU0NACACQQF2IgIgByAFayIHIAIgB0sbQf//A2oiB0EQdkAAQX9GDQJBAEEAKAK4iICAACAHQYCAfHEiA2o2AriIgIAACyAGRQ0BIAZB/wE6AAEgBkEAKAKwiICAADYCgAIgBkGEAmogAyAFakGAgHxxQfh9aiICNgIAIAZBgAJqIQMLIANBgIB8cSIGIANBCHZB/wFxckH/AToAACAEIAMoAgA2AgACQCACIABrQYB+cSIFDQAgAw8LIAMhAQJAIAYgBUF/cyADQQhqIgQgAmoiB2pBgIB8cUYNACAEQf//A3EhBQJAIABB9/0DSw0AIAYgBEEIdkH/AXFqQf4BOgAAIANBACgCsIiAgAA2AgAgA0GAgAQgBWsiBTYCBEEAIAM2ArCIgIAAEIOAgIAAIAZBhIIEaiACIAVrQfh9aiIFNgIAIAZBgYAEakH/AToAACAGQYCCBGohASAFIABrQYB+cSEFDAELIAIgBWogACAFakH//3tqQYCAfHFrQYCAeGohBSADIQELIAEgASgCBCAFazYCBCAFQfgBaiEGIAcgBWtBCHZB/wFxIQUCQANAIAYiB0GAfmohBiAFIgQNAUEBIQUgB0H4AUcNAAsLAkAgB0H4AUYNACACIANqIAZrQYCAfHEiBSAEakH+AToAACAFIARBCHRqIgVBACgCsIiAgAA2AgAgBSAGNgIEQQAgBTYCsIiAgAAQg4CAgAALIAEPC0EAC3wBAn8CQCAARQ0AAkAgAEGAgHxxIABBCHZB/wFxciIBLQAAIgJB/wFHDQAgAEF4aiIAQQAoArCIgIAANgIAQQAgADYCsIiAgAAgAUH+AToAAEEAQQE6ALSIgIAADwsgACACQQJ0QcCIgIAAaiICKAIANgIAIAIgADYCAAsLawECfwJAQQAoArCIgIAAIgAoAgRB/wFLDQAgAEGAgHxxIgEgAEEIdkH/AXEiAHJBCToAAEEAQQAoArCIgIAAKAIANgKwiICAACABIABBCHRyIgBBACgC5IiAgAA2AgBBACAANgLkiICAAAsLTgECfwJAIAAgAUYNACACRQ0AA0ACQCAALQAAIgMgAS0AACIERg0AQQFBfyADIARLGw8LIAFBAWohASAAQQFqIQAgAkF/aiICDQALC0EAC3gBAX8CQAJAIAAgAU8NACACRQ0BIAAhAwNAIAMgAS0AADoAACABQQFqIQEgA0EBaiEDIAJBf2oiAg0ADAILCyAAIAFNDQAgAkUNACABQX9qIQEgAEF/aiEDA0AgAyACaiABIAJqLQAAOgAAIAJBf2oiAg0ACwsgAAssAQF/AkAgAkUNACAAIQMDQCADIAE6AAAgA0EBaiEDIAJBf2oiAg0ACwsgAAt/AQF/AkACQCABIAByIAJyQQNxRQ0AIAJFDQEgACEDA0AgAyABLQAAOgAAIAFBAWohASADQQFqIQMgAkF/aiICDQAMAgsLIAJBBEkNACACQQJ2IQIgACEDA0AgAyABKAIANgIAIAFBBGohASADQQRqIQMgAkF/aiICDQALCyAAC4gBAQJ/AkBBAC0A6IiAgAANAEEAQQE6AOiIgIAAEIyAgIAAEI6AgIAAC0GggAgQgICAgAAiAEGAgAQ2AgBBAkGAgIAgEJeAgIAAIQEgAEEUakKAgICAgIDAADcCACAAQRBqIABBoIAEajYCACAAQQhqQgA3AgAgACAAQSBqNgIEIAAgATYCHCAACxUAIAAoAhwQmICAgAAgABCCgICAAAsWACAAQQxqIAE2AgAgAEEIakEANgIACxsAIAAoAhwgAEEEaiAAQQxqKAIARRCWgICAAAtUAQN/QQAhAANAQQghASAAIQIDQEEAIAJBAXFrQaCG4u1+cSACQQF2cyECIAFBf2oiAQ0ACyAAQQJ0QfCIgIAAaiACNgIAIABBAWoiAEGAAkcNAAsLTgACQCABRQ0AIAJBf3MhAgNAIAJB/wFxIAAtAABzQQJ0QfCIgIAAaigCACACQQh2cyECIABBAWohACABQX9qIgENAAsgAkF/cyECCyACC10DAX4BfwF+QgAhAANAQQghASAAIQIDQEIAIAJCAYN9QsKenLzd8pW2SYMgAkIBiIUhAiABQX9qIgENAAsgAKdBA3RB8JCAgABqIAI3AwAgAEIBfCIAQoACUg0ACwtPAAJAIAFFDQAgAkJ/hSECA0AgAkL/AYMgADEAAIWnQQN0QfCQgIAAaikDACACQgiIhSECIABBAWohACABQX9qIgENAAsgAkJ/hSECCyACC8oQAgx/An4CQAJAIAAoAiRFDQAgACgCACECDAELQQAhAiAAQQA6ACggAEIANwMAIABCADcDGCAAQcgAakEAQeQAEIaAgIAAGiAAQawBakEMNgIACyAAIAEoAgQiAzYCECAAQeAAaiEEIABByABqIQUgAEG2AWohBiAAQbABaiEHIABBqAFqIQggASgCECEJAkACQAJAAkADQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQCACDgoBAgAEBQYHCAkKDwsgASgCACEKIAAoAqgBIQIgACgCrAEhCyABKAIEIQwgASgCCCENDAILIAcgACgCqAEiDGogASgCACABKAIEIgJqIAEoAgggAmsiAiAAKAKsASAMayIMIAIgDEkbIgIQh4CAgAAaIAEgASgCBCACajYCBEEAIQwgAEEAIAAoAqgBIAJqIgIgAiAAKAKsASILRhs2AqgBIAIgC0cNESAAQQE2AgACQCAHQaiIgIAAQQYQhICAgABFDQBBBSEMDBILIAZBAkEAEI2AgIAAIAAoALgBRw0QQQYhDCAGLQAADREgACAALQC3ASICNgIgIAJBBEsNEUEBIAJ0QRNxRQ0RCyABKAIEIgwgASgCCCINRg0OAkAgASgCACIKIAxqLQAAIgsNACAAIAw2AhAgASAMQQFqNgIEQQYhAgwMC0EAIQIgAEEANgKoASAAQQI2AgAgACALQQJ0QQRqIgs2AqwBIAAgCzYCQAsgByACaiAKIAxqIA0gDGsiDCALIAJrIgIgDCACSRsiAhCHgICAABogASABKAIEIAJqNgIEQQAhDCAAQQAgACgCqAEgAmoiAiACIAAoAqwBIgtGGzYCqAEgAiALRw0PIAAgAkF8aiICNgKsAUEHIQwgByACQQAQjYCAgAAgByAAKAKsASICaigAAEcNDyAAQQI2AqgBIAAtALEBIgtBP3ENDAJAAkAgC0HAAHFFDQAgACAHIAggAhCRgICAAEEBRw0RIAAgACkDCDcDMCAAKAKsASECIAAtALEBIQsMAQsgAEJ/NwMwC0J/IQ4CQCALwEF/Sg0AIAAgByAIIAIQkYCAgABBAUcNECAAKAKsASECIAApAwghDgsgACAONwM4IAIgACgCqAEiC2tBAkkNDyAAIAtBAWoiCjYCqAEgCCALakEIai0AAEEhRw0MIAAgC0ECaiINNgKoASAIIApqQQhqLQAAQQFHDQwgAiANRg0PIAAgC0EDajYCqAEgACgCsAkgCCANakEIai0AABCcgICAACIMDQ8gACgCrAEiAiAAKAKoASIMIAIgDEsbIQ0CQANAIA0gDEYNASAAIAxBAWoiAjYCqAEgACAMaiELIAIhDCALQbABai0AAA0ODAALCyAFQgA3AwAgAEEANgKoASAAQQM2AgAgBUEIakIANwMACyAAIAEoAgQ2AhAgACABKAIQNgIUIAAoArAJIAEQmYCAgAAhDCAAIAApA0ggASgCBCAAKAIQa618Ig43A0ggACAAKQNQIAEoAhAgACgCFCICayILrXwiDzcDUCAOIAApAzBWDQ0gDyAAKQM4Vg0NAkACQAJAAkAgACgCIEF/ag4EAAMDAQMLIAEoAgwgAmogCyAAKAIYEI2AgIAArSEODAELIAEoAgwgAmogCyAAKQMYEI+AgIAAIQ4LIAAgDjcDGAsgDEEBRw0OAkAgACkDMCIOQn9RDQAgDiAFKQMAUg0OCwJAIAApAzgiDkJ/UQ0AQQchDCAOIAApA1BSDQ8LIAAgACkDSCAANQJAfCAAKQNgfCIPNwNgQgQhDgJAAkACQCAAKAIgQX9qDgQBAgIAAgtCCCEOCyAEIA4gD3w3AwALIAAgACkDaCAAKQNQfDcDaCAAIARBGCAAKAJwEI2AgIAANgJwIABBBDYCACAAIAApA1hCAXw3A1gLAkAgBSkDACIOQgODUA0AIA5CAXwhDiABKAIEIQwgASgCCCELA0AgCyAMRg0NIAEgDEEBaiICNgIEIAEoAgAgDGotAAANDiAFIA43AwAgDkIDgyEPIA5CAXwhDiACIQwgD0IAUg0ACwsgAEEFNgIAC0EBIQIgACgCIEF/ag4EBgcHBQcLIAAgARCSgICAACIMQQFHDQsgAEEHNgIAC0EAIAAoAhBrIQUgAEGAAWopAwAhDiABKAIEIQwCQANAIA4gBSAMaq18QgODUA0BAkAgDCABKAIIRw0AIAAgARCTgICAAAwLCyABIAxBAWoiAjYCBCABKAIAIAxqIQsgAiEMIAstAAANCwwACwsgACABEJOAgIAAQQchDCAEIABBkAFqQRgQhICAgAANCiAAQQg2AgALIAAgAUEgEJSAgIAAIgxBAUcNCSAAQQk2AgBBDCELIABBDDYCrAEMAQsgACgCrAEhCwsgByAAKAKoASIMaiABKAIAIAEoAgQiAmogASgCCCACayICIAsgDGsiDCACIAxJGyICEIeAgIAAGiABIAEoAgQgAmo2AgRBACEMIABBACAAKAKoASACaiICIAIgACgCrAEiC0YbNgKoASACIAtHDQcgABCVgICAACEMDAcLQQEhAiAAIAFBwAAQlICAgAAiDEEBRw0GDAELQQEhAiAAIAFBIBCUgICAACIMQQFHDQULIAAgAjYCAAwACwtBBiEMDAILQQAhDAwBC0EHIQwLAkACQCAAKAIkDQACQAJAIAwOAgADAQtBB0EIIAEoAgQgASgCCEYbIQwLIAEgCTYCECABIAM2AgQgDA8LAkAgDA0AIAMgASgCBEcNACAJIAEoAhBHDQAgAC0AKCEBIABBAToAKCABQQN0DwsgAEEAOgAoCyAMC6YBAQN/AkAgACgCBCIEDQAgAEIANwMICyACKAIAIgUgAyAFIANLGyEGA0ACQCAGIAVHDQBBAA8LIAEgBWotAAAhAyACIAVBAWoiBTYCACAAIANB/wBxrSAErYYgACkDCIQ3AwgCQAJAIAPAIgNBAEgNAAJAIAMNAEEHIQMgBA0CCyAAQQA2AgRBAQ8LQQchAyAAIARBB2oiBDYCBCAEQT9HDQELCyADC6ECAgN/AX4gAEGQAWohAiABQQRqIQMDQAJAIAAgASgCACADIAEoAggQkYCAgAAiBEEBRg0AIABBgAFqIgMgAykDACABKAIEIAAoAhAiA2siAq18NwMAIAAgAyABKAIAaiACIAAoAhgQjYCAgACtNwMYIAQPCwJAAkACQAJAAkAgACgCeA4DAAIBAwsgACAAKQMIIgU3A4gBAkAgBSAAKQNYUQ0AQQcPCyAAQQE2AngMAwsgACAAKQOYASAAKQMIfDcDmAEgACACQRggACgCoAEQjYCAgAA2AqABIABBATYCeCAAIAApA4gBQn98IgU3A4gBDAILIABBAjYCeCAAIAApA5ABIAApAwh8NwOQAQsgACkDiAEhBQsgBUIAUg0AC0EBC0ABAn8gAEGAAWoiAiACKQMAIAEoAgQgACgCECICayIDrXw3AwAgACACIAEoAgBqIAMgACgCGBCNgICAAK03AxgLfAEEfyABKAIEIQMgASgCCCEEA0ACQCAEIANHDQBBAA8LIAEgA0EBaiIFNgIEAkAgASgCACADai0AACAAKQMYIAAoAgQiA62Ip0H/AXFGDQBBBw8LIAAgA0EIaiIGNgIEIAUhAyAGIAJJDQALIABBADYCBCAAQgA3AxhBAQtvAQF/QQchAQJAIABBugFqLwAAQdm0AUcNACAAQbQBakEGQQAQjYCAgAAgAEGwAWooAABHDQAgAEGAAWopAwBCAoggADUAtAFSDQAgAEG4AWotAAANAEEBQQcgACgCICAAQbkBai0AAEYbIQELIAELwAIBA38CQAJAAkAgACgCJA0AIABBADoAKCAAQQA2AgBBASECDAELAkAgACgCAEEKRw0AQQAhAwwCC0ECIQMMAQtBASEDCwJAAkADQAJAAkACQAJAIAMOAwABAwMLIAEoAgQiAyABKAIIIgRGDQQgASgCACEFAkADQCAFIANqLQAADQEgASADQQFqIgM2AgQgACAAKAIEQQFqQQNxNgIEIAQgA0YNBgwACwsCQCAAKAIERQ0AQQcPCyAAKAIkRQ0BIABBADoAKCAAQQA2AgBBASEDDAMLIABCADcDGCAAQQA2AgQgAEHIAGpBAEHkABCGgICAABogAEGsAWpBDDYCAAtBAiEDDAELIAAgARCQgICAACIDQQFHDQIgAEEKNgIAQQAhAwwACwsCQCACDQBBAA8LQQdBASAAKAIEGyEDCyADC3UBAX8CQEG4CRCAgICAACICRQ0AIAIgADYCJCACIAAgARCbgICAACIANgKwCQJAIABFDQAgAkEAOgAoIAJCADcDACACQgA3AxggAkHIAGpBAEHkABCGgICAABogAkGsAWpBDDYCACACDwsgAhCCgICAAAtBAAseAAJAIABFDQAgACgCsAkQnYCAgAAgABCCgICAAAsL3RABCn8gAEHo3QFqIQIgAEHUAGohAyAAQRxqIgRBCGohBQJAAkADQCAAKAJAIQYCQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkAgASgCBCIHIAEoAghJDQAgBkEHRg0BDBELIAYOCQECAwQFBgcACQ4LIAAoAkwhBgwHC0EBIQYgASAHQQFqNgIEIAEoAgAgB2otAAAiB0UNCAJAAkAgB0HfAUsNACAHQQFHDQELIABBgAI7AVACQCAAKAI8DQAgACABKAIMIAEoAhAiBmo2AhggACABKAIUIAZrNgIsCyAEQgA3AgAgBUIANwIADAoLIAAtAFBFDQkMDQsgASAHQQFqNgIEIAEoAgAgB2otAAAhByAAQQI2AkAgACAHQQh0IAAoAkhqNgJIDAsLIAEgB0EBajYCBCABKAIAIAdqLQAAIQcgAEEDNgJAIAAgByAAKAJIakEBajYCSAwKCyABIAdBAWo2AgQgASgCACAHai0AACEHIABBBDYCQCAAIAdBCHQ2AkwMCQsgASAHQQFqNgIEIAEoAgAgB2otAAAhByAAIAAoAkQ2AkAgACAHIAAoAkxqQQFqNgJMDAgLIAEgB0EBajYCBEEHIQYgASgCACAHai0AACIHQeABSw0DQQAhCAJAAkAgB0EtTw0AQQAhCQwBCyAHQVNqIgcgB0H/AXFBLW4iCUEtbGshByAJQQFqIQkLIABBfyAJdEF/czYCdAJAIAdB/wFxQQlJDQAgB0F3aiIHIAdB/wFxQQluIghBCWxrIQcgCEEBaiEICyAAIAg2AnAgACAHQf8BcSIHNgJsIAggB2pBBEsNAyADQgA3AgAgA0EIakIANwIAIANBEGpBADYCACAAQX8gCHRBf3M2AnBB+AAhBwNAIAAgB2pBgAg7AQAgB0ECaiIHQeTdAUcNAAsgAEEGNgJAIABBBTYCCCAAQv////8PNwIACyAAKAJMIgpBBUkNBwJAIAAoAggiB0UNACAHQX9qIQYgASgCBCEHIAEoAgghCQNAIAkgB0YNCiABIAdBAWoiCDYCBCABKAIAIAdqLQAAIQcgACAGNgIIIAAgByAAKAIEQQh0cjYCBCAIIQcgBkF/aiIGQX9HDQALCyAAQQc2AkAgACAKQXtqIgY2AkwLIAAgACgCICIHIAEoAhQgASgCEGsiCCAAKAJIIgkgCCAJSRsiCGogACgCLCIJIAkgB2sgCEsbNgIoIAEoAggiCiABKAIEIghrIQcCQAJAAkAgACgC5N0BIgkNACAGDQFBACEGCyACIAlqIAEoAgAgCGpBKiAJayIIIAYgCWsiBiAIIAZJGyIGIAcgBiAHSRsiBxCHgICAABoCQAJAIAAoAuTdASIIIAdqIgYgACgCTEcNACACIAhqIAdqQQBBPyAGaxCGgICAABogACgC5N0BIAdqIQYMAQsCQCAGQRRLDQAgACAGNgLk3QEgASABKAIEIAdqNgIEDAMLIAZBa2ohBgsgAEEANgIQIAAgAjYCDCAAIAY2AhRBByEGIAAQmoCAgABFDQMgACgCECIIIAAoAuTdASIJIAdqSw0DIAAgACgCTCAIayIGNgJMAkAgCCAJTw0AIAAgCSAIayIHNgLk3QEgAiACIAhqIAcQhYCAgAAaDAILIABBADYC5N0BIAEgASgCBCAIIAlraiIINgIEIAEoAggiCiAIayEHCwJAIAdBFUkNACAAIAg2AhAgACABKAIANgIMIAAgCkFraiAIIAZqIAcgBkEVakkbNgIUQQchBiAAEJqAgIAARQ0DIAAoAkwiByAAKAIQIgggASgCBGsiCUkNAyABIAg2AgQgACAHIAlrIgY2AkwgASgCCCAIayIHQRRLDQELIAIgASgCACAIaiAHIAYgByAGSRsiBxCHgICAABogACAHNgLk3QEgASABKAIEIAdqNgIECyAAKAIgIgYgACgCHCIIayEHAkAgACgCPEUNAAJAIAYgACgCLEcNACAAQQA2AiALIAEoAgwgASgCEGogACgCGCAIaiAHEIeAgIAAGiAAKAIgIQYLIAAgBjYCHCABIAEoAhAgB2oiCDYCECAAIAAoAkgiBiAHazYCSAJAIAYgB0cNAEEHIQYgACgCTA0CIAAoAmgNAiAAKAIEDQIgAEEANgJADAQLQQAhBiAIIAEoAhRGDQEgASgCBCABKAIIRw0FIAAoAuTdASAAKAJMTw0FDAELAkADQCAAKAJMIghFDQFBACEGIAEoAggiCSAHTQ0CIAEoAhQiCiABKAIQIgtNDQIgACAIIAkgB2siBiAKIAtrIgkgBiAJSRsiBiAAKAIsIAAoAiAiCWsiCiAGIApJGyIGIAggBiAISRsiBms2AkwgCSAAKAIYaiABKAIAIAdqIAYQhYCAgAAaIAAgACgCICAGaiIHNgIgAkAgACgCJCAHTw0AIAAgBzYCJAsCQCAAKAI8RQ0AAkAgByAAKAIsRw0AIABBADYCIAsgASgCDCABKAIQaiABKAIAIAEoAgRqIAYQhYCAgAAaIAAoAiAhBwsgACAHNgIcIAEgASgCECAGajYCECABIAEoAgQgBmoiBzYCBAwACwsgAEEANgJADAQLIAYPCyAHwEF/Sg0BIABBATYCQCAAIAdBEHRBgID8AHE2AkgCQCAHQcABSQ0AIABBBTYCRCAAQQA6AFEMAwsgAC0AUQ0DIABBBjYCRCAHQaABSQ0CIANCADcCACADQRBqQQA2AgAgA0EIakIANwIAQfgAIQcDQCAAIAdqQYAIOwEAIAdBAmoiB0Hk3QFHDQALCyAAQQU2AgggAEL/////DzcCAAwBCyAHQQJLDQEgAEKDgICAgAE3AkAMAAsLQQcPC0EAC5wYARR/IABBGGohAQJAIABBIGooAgAiAiAAQShqKAIAIgNPDQAgAEHoAGoiBCgCAEUNACABIAQgACgCVBCegICAABogACgCKCEDIAAoAiAhAgsCQCACIANPDQAgAEHYC2ohBSAAQbwNaiEGIABB3A1qIQcgAEHoAGohCCAAQeAVaiEJIABB1ABqIQoDQCAAKAIQIgsgACgCFEsNASAAIAAoAmQiDEEFdGogACgCdCACcSINQQF0aiIOQfgAaiEPAkACQCAAKAIAIgNBgICACEkNACAAKAIEIRAMAQsgACADQQh0IgM2AgAgACALQQFqIgQ2AhAgACAAKAIEQQh0IAAoAgwgC2otAAByIhA2AgQgBCELCwJAAkAgECADQQt2IA8vAQAiEWwiBE8NACAAIAQ2AgAgDyARQYAQIBFrQQV2ajsBACACQX9qIQMCQCACDQAgACgCLCADaiEDCwJAAkAgACgCJCIRDQBBACEDDAELIAEoAgAgA2otAAAhAwsgACAAKAJwIAJxIAAoAmwiD3QgA0EIIA9rdmpBgAxsakHkHWohDgJAAkAgDEEGSw0AQQEhAwNAIA4gA0EBdCIDaiEQAkACQCAAKAIAIgRBgICACEkNACAAKAIEIQwMAQsgACAEQQh0IgQ2AgAgACAAKAIQIg9BAWo2AhAgACAAKAIEQQh0IA8gACgCDGotAAByIgw2AgQLAkACQCAMIARBC3YgEC8BACIRbCIPSQ0AIAAgDCAPazYCBCAEIA9rIQ8gA0EBciEDIBEgEUEFdmshBAwBCyARQYAQIBFrQQV2aiEECyAAIA82AgAgECAEOwEAIANBgAJJDQALIAAoAiAhAgwBCyACIAAoAlQiD0F/c2ohAwJAIAIgD0sNACAAKAIsIANqIQMLAkACQCARDQBBACESDAELIAEoAgAgA2otAAAhEgtBASEDQYACIQ8DQCAOIBJBAXQiEiAPcSITIA9qIANqQQF0aiERAkACQCAEQf///wdNDQAgBCENDAELIAAgBEEIdCINNgIAIAAgC0EBaiIENgIQIAAgEEEIdCAAKAIMIAtqLQAAciIQNgIEIAQhCwsCQAJAIBAgDUELdiARLwEAIgxsIgRPIhQNACAMQYAQIAxrQQV2aiEMDAELIAAgECAEayIQNgIEIA0gBGshBCAMIAxBBXZrIQxBACEPCyAAIAQ2AgAgESAMOwEAIA8gE3MhDyADQQF0IBRyIgNBgAJJDQALCyAAIAJBAWo2AiAgACgCGCACaiADOgAAAkAgACgCJCAAKAIgIgJPDQAgACACNgIkC0EAIQMCQCAAKAJkIgRBBEkNAAJAIARBCUsNACAEQX1qIQMMAQsgBEF6aiEDCyAAIAM2AmQMAQsgACADIARrIgM2AgAgACAQIARrIgQ2AgQgDyARIBFBBXZrOwEAIAAgDEEBdGoiEkH4A2ohDwJAAkAgA0H///8HTQ0AIAshEwwBCyAAIANBCHQiAzYCACAAIAtBAWoiEzYCECAAIARBCHQgACgCDCALai0AAHIiBDYCBAsCQAJAIAQgA0ELdiAPLwEAIhBsIhFJDQAgACADIBFrIgw2AgAgACAEIBFrIgM2AgQgDyAQIBBBBXZrOwEAIBJBkARqIQ8CQAJAIAxB////B00NACATIREMAQsgACAMQQh0Igw2AgAgACATQQFqIhE2AhAgACADQQh0IAAoAgwgE2otAAByIgM2AgQLAkACQCADIAxBC3YgDy8BACIQbCIETw0AIAAgBDYCACAPIBBBgBAgEGtBBXZqOwEAIA5B2ARqIQ8CQCAEQf///wdLDQAgACAEQQh0IgQ2AgAgACARQQFqNgIQIAAgA0EIdCAAKAIMIBFqLQAAciIDNgIECwJAIAMgBEELdiAPLwEAIhBsIhFJDQAgACAEIBFrNgIAIAAgAyARazYCBCAPIBAgEEEFdms7AQAMAgsgACARNgIAIA8gEEGAECAQa0EFdmo7AQAgAEEBNgJoIABBCUELIAAoAmRBB0kbNgJkDAMLIAAgDCAEayIMNgIAIAAgAyAEayIDNgIEIA8gECAQQQV2azsBACASQagEaiEEAkACQCAMQf///wdNDQAgESEODAELIAAgDEEIdCIMNgIAIAAgEUEBaiIONgIQIAAgA0EIdCAAKAIMIBFqLQAAciIDNgIECwJAAkAgAyAMQQt2IAQvAQAiD2wiEE8NACAAIBA2AgAgBCAPQYAQIA9rQQV2ajsBACAAKAJYIQMMAQsgACAMIBBrIhE2AgAgACADIBBrIgM2AgQgBCAPIA9BBXZrOwEAIBJBwARqIQ8CQCARQf///wdLDQAgACARQQh0IhE2AgAgACAOQQFqNgIQIAAgA0EIdCAAKAIMIA5qLQAAciIDNgIECwJAAkAgAyARQQt2IA8vAQAiEGwiBE8NACAQQYAQIBBrQQV2aiEQIAAoAlwhAwwBCyAAIAMgBGs2AgQgACgCYCEDIAAgACgCXDYCYCARIARrIQQgECAQQQV2ayEQCyAAIAQ2AgAgDyAQOwEAIAAgACgCWDYCXAsgACAAKAJUNgJYIAAgAzYCVAsgAEEIQQsgACgCZEEHSRs2AmQgACAJIA0Qn4CAgAAMAQsgACARNgIAIA8gEEGAECAQa0EFdmo7AQAgACAAKAJcNgJgIAAgACkCVDcCWCAAQQdBCiAAKAJkQQdJGzYCZCAAIAcgDRCfgICAACAKIAAoAmgiA0F+akEDIANBBkkbQQd0akGEB2ohDUEBIQMDQCANIANBAXQiA2ohEAJAAkAgACgCACIEQYCAgAhJDQAgACgCBCEMDAELIAAgBEEIdCIENgIAIAAgACgCECIPQQFqNgIQIAAgACgCBEEIdCAPIAAoAgxqLQAAciIMNgIECwJAAkAgDCAEQQt2IBAvAQAiEWwiD0kNACAAIAwgD2s2AgQgBCAPayEPIANBAXIhAyARIBFBBXZrIQQMAQsgEUGAECARa0EFdmohBAsgACAPNgIAIBAgBDsBACADQcAASQ0ACwJAIANBQGoiBEEDSw0AIAAgBDYCVAwBCyAAIANBAXFBAnIiDzYCVCAEQQF2IRACQCAEQQ1LDQAgACAPIBBBf2oiDnQiBDYCVEEBIQ8gBSAEQQF0akHAACADa0EBdGpBfmohEkEAIQwDQCASIA9BAXQiD2ohEAJAAkAgACgCACIDQYCAgAhJDQAgACgCBCENDAELIAAgA0EIdCIDNgIAIAAgACgCECIEQQFqNgIQIAAgACgCBEEIdCAEIAAoAgxqLQAAciINNgIECwJAAkAgDSADQQt2IBAvAQAiEWwiBEkNACAAIA0gBGs2AgQgACAAKAJUQQEgDHRqNgJUIAMgBGshBCAPQQFyIQ8gESARQQV2ayEDDAELIBFBgBAgEWtBBXZqIQMLIAAgBDYCACAQIAM7AQAgDiAMQQFqIgxHDQAMAgsLIBBBe2ohECAAKAIEIQQgACgCACEDA0ACQCADQf///wdLDQAgACADQQh0IgM2AgAgACAAKAIQIhFBAWo2AhAgBEEIdCARIAAoAgxqLQAAciEECyAAIANBAXYiAzYCACAAIAQgA2siBEEfdSIRIA9BAXRqQQFqIg82AlQgACARIANxIARqIgQ2AgQgEEF/aiIQDQALIAAgD0EEdDYCVEEAIQxBASEPA0AgBiAPQQF0Ig9qIRACQAJAIAAoAgAiA0GAgIAISQ0AIAAoAgQhDQwBCyAAIANBCHQiAzYCACAAIAAoAhAiBEEBajYCECAAIAAoAgRBCHQgBCAAKAIMai0AAHIiDTYCBAsCQAJAIA0gA0ELdiAQLwEAIhFsIgRJDQAgACANIARrNgIEIAAgACgCVEEBIAx0ajYCVCADIARrIQQgD0EBciEPIBEgEUEFdmshAwwBCyARQYAQIBFrQQV2aiEDCyAAIAQ2AgAgECADOwEAIAxBAWoiDEEERw0ACwsCQCABIAggACgCVBCegICAAA0AQQAPCyAAKAIgIQILIAIgACgCKEkNAAsLQQEhAwJAIAAoAgAiBEH///8HSw0AIAAgBEEIdDYCAEEBIQMgACAAKAIQIgRBAWo2AhAgACAAKAIEQQh0IAQgACgCDGotAAByNgIECyADC3ABAX8CQEGo3gEQgICAgAAiAkUNACACQTRqIAE2AgAgAkE8aiAANgIAAkACQAJAIABBf2oOAgABAgsgAiABEICAgIAAIgA2AhggAA0BIAIQgoCAgAAMAgsgAkEANgIYIAJBOGpBADYCAAsgAg8LQQAL0gEBAn9BBiECAkAgAUEnSw0AIABBMGogAUEBcUECciABQQF2QQtqdCIBNgIAAkACQCAAQTxqKAIAIgNFDQBBBCECIAEgAEE0aigCAEsNAiAAQSxqIAE2AgAgA0ECRw0AIABBOGoiAygCACABTw0AIAAgATYCOCAAKAIYEIKAgIAAIAAgACgCMBCAgICAACIBNgIYIAENAEEDIQIMAQtBACECIABBADYCQCAAQdAAakEBOgAAIABB6ABqQQA2AgAgAEHk3QFqIQMLIANBADYCAAsgAgsjAAJAIABBPGooAgBFDQAgACgCGBCCgICAAAsgABCCgICAAAvHAQEDf0EAIQMCQCAAKAIMIAJNDQAgACgCGCACTQ0AIAEgASgCACIDIAAoAhAgACgCCCIEayIFIAMgBSADSRsiBWs2AgAgBCACQX9zaiEDAkAgBCACSw0AIAAoAhQgA2ohAwsDQCAAKAIAIgIgA2otAAAhASAAIAAoAggiBEEBajYCCCACIARqIAE6AABBACADQQFqIgMgAyAAKAIURhshAyAFQX9qIgUNAAtBASEDIAAoAgwgACgCCCIFTw0AIAAgBTYCDAsgAwvoBAEGfwJAAkAgACgCACIDQYCAgAhJDQAgACgCBCEEDAELIAAgA0EIdCIDNgIAIAAgACgCECIFQQFqNgIQIAAgACgCBEEIdCAFIAAoAgxqLQAAciIENgIECwJAAkAgBCADQQt2IAEvAQAiBWwiBk8NACAAIAY2AgAgASAFQYAQIAVrQQV2ajsBACABIAJBBHRqQQRqIQdBCCEIQQIhAQwBCyAAIAMgBmsiAzYCACAAIAQgBmsiBDYCBCABIAUgBUEFdms7AQACQCADQf///wdLDQAgACADQQh0IgM2AgAgACAAKAIQIgVBAWo2AhAgACAEQQh0IAUgACgCDGotAAByIgQ2AgQLAkAgBCADQQt2IAEvAQIiBWwiBk8NACAAIAY2AgAgASAFQYAQIAVrQQV2ajsBAiABIAJBBHRqQYQCaiEHQQghCEEKIQEMAQsgACADIAZrNgIAIAAgBCAGazYCBCABIAUgBUEFdms7AQIgAUGEBGohB0GAAiEIQRIhAQsgAEHoAGogATYCAEEBIQEDQCAHIAFBAXQiAWohBAJAAkAgACgCACIDQYCAgAhJDQAgACgCBCECDAELIAAgA0EIdCIDNgIAIAAgACgCECIFQQFqNgIQIAAgACgCBEEIdCAFIAAoAgxqLQAAciICNgIECwJAAkAgAiADQQt2IAQvAQAiBmwiBUkNACAAIAIgBWs2AgQgAyAFayEFIAFBAXIhASAGIAZBBXZrIQMMAQsgBkGAECAGa0EFdmohAwsgACAFNgIAIAQgAzsBACABIAhJDQALIABB6ABqIgAgASAIayAAKAIAajYCAAsLNQEAQYAICy4IAAAAEAAAABgAAAAgAAAAKAAAADAAAABAAAAAUAAAAIAAAAAAAQAA/Td6WFoA";
            }),
            /* 2 */
            /***/
            ((module2) => {
              module2.exports = __WEBPACK_EXTERNAL_MODULE__2__;
            })
            /******/
          ];
          var __webpack_module_cache__ = {};
          function __webpack_require__(moduleId) {
            var cachedModule = __webpack_module_cache__[moduleId];
            if (cachedModule !== void 0) {
              return cachedModule.exports;
            }
            var module2 = __webpack_module_cache__[moduleId] = {
              /******/
              // no module.id needed
              /******/
              // no module.loaded needed
              /******/
              exports: {}
              /******/
            };
            __webpack_modules__[moduleId](module2, module2.exports, __webpack_require__);
            return module2.exports;
          }
          (() => {
            __webpack_require__.d = (exports2, definition) => {
              for (var key in definition) {
                if (__webpack_require__.o(definition, key) && !__webpack_require__.o(exports2, key)) {
                  Object.defineProperty(exports2, key, { enumerable: true, get: definition[key] });
                }
              }
            };
          })();
          (() => {
            __webpack_require__.o = (obj, prop) => Object.prototype.hasOwnProperty.call(obj, prop);
          })();
          (() => {
            __webpack_require__.r = (exports2) => {
              if (typeof Symbol !== "undefined" && Symbol.toStringTag) {
                Object.defineProperty(exports2, Symbol.toStringTag, { value: "Module" });
              }
              Object.defineProperty(exports2, "__esModule", { value: true });
            };
          })();
          var __webpack_exports__ = {};
          (() => {
            __webpack_require__.r(__webpack_exports__);
            __webpack_require__.d(__webpack_exports__, {
              /* harmony export */
              XzReadableStream: () => (
                /* binding */
                XzReadableStream
              )
              /* harmony export */
            });
            var _dist_native_xz_decompress_wasm__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1);
            const ReadableStream2 = globalThis.ReadableStream || __webpack_require__(2).ReadableStream;
            const XZ_OK = 0;
            const XZ_STREAM_END = 1;
            class XzContext {
              constructor(moduleInstance) {
                this.exports = moduleInstance.exports;
                this.memory = this.exports.memory;
                this.ptr = this.exports.create_context();
                this._refresh();
                this.bufSize = this.mem32[0];
                this.inStart = this.mem32[1] - this.ptr;
                this.inEnd = this.inStart + this.bufSize;
                this.outStart = this.mem32[4] - this.ptr;
              }
              supplyInput(sourceDataUint8Array) {
                this._refresh();
                const inBuffer = this.mem8.subarray(this.inStart, this.inEnd);
                inBuffer.set(sourceDataUint8Array, 0);
                this.exports.supply_input(this.ptr, sourceDataUint8Array.byteLength);
                this._refresh();
              }
              getNextOutput() {
                const result = this.exports.get_next_output(this.ptr);
                this._refresh();
                if (result !== XZ_OK && result !== XZ_STREAM_END) {
                  throw new Error(`get_next_output failed with error code ${result}`);
                }
                const outChunk = this.mem8.slice(this.outStart, this.outStart + /* outPos */
                this.mem32[5]);
                return { outChunk, finished: result === XZ_STREAM_END };
              }
              needsMoreInput() {
                return (
                  /* inPos */
                  this.mem32[2] === /* inSize */
                  this.mem32[3]
                );
              }
              outputBufferIsFull() {
                return (
                  /* outPos */
                  this.mem32[5] === this.bufSize
                );
              }
              resetOutputBuffer() {
                this.outPos = this.mem32[5] = 0;
              }
              dispose() {
                this.exports.destroy_context(this.ptr);
                this.exports = null;
              }
              _refresh() {
                if (this.memory.buffer !== this.mem8?.buffer) {
                  this.mem8 = new Uint8Array(this.memory.buffer, this.ptr);
                  this.mem32 = new Uint32Array(this.memory.buffer, this.ptr);
                }
              }
            }
            class ContextMutex {
              constructor() {
                this.locked = false;
                this.waitQueue = [];
              }
              async acquire() {
                if (!this.locked) {
                  this.locked = true;
                  return;
                }
                return new Promise((resolve2) => {
                  this.waitQueue.push(resolve2);
                });
              }
              release() {
                if (this.waitQueue.length > 0) {
                  const next = this.waitQueue.shift();
                  next();
                } else {
                  this.locked = false;
                }
              }
            }
            class XzReadableStream extends ReadableStream2 {
              static _moduleInstancePromise;
              static _moduleInstance;
              static _contextMutex = new ContextMutex();
              static async _getModuleInstance() {
                const base64Wasm = _dist_native_xz_decompress_wasm__WEBPACK_IMPORTED_MODULE_0__.replace("data:application/wasm;base64,", "");
                const wasmBytes = Uint8Array.from(atob(base64Wasm), (c) => c.charCodeAt(0)).buffer;
                const wasmOptions = {};
                const module2 = await WebAssembly.instantiate(wasmBytes, wasmOptions);
                XzReadableStream._moduleInstance = module2.instance;
              }
              constructor(compressedStream) {
                let xzContext;
                let unconsumedInput = null;
                const compressedReader = compressedStream.getReader();
                super({
                  async start(controller) {
                    await XzReadableStream._contextMutex.acquire();
                    try {
                      if (!XzReadableStream._moduleInstance) {
                        await (XzReadableStream._moduleInstancePromise || (XzReadableStream._moduleInstancePromise = XzReadableStream._getModuleInstance()));
                      }
                      xzContext = new XzContext(XzReadableStream._moduleInstance);
                    } catch (error) {
                      XzReadableStream._contextMutex.release();
                      throw error;
                    }
                  },
                  async pull(controller) {
                    try {
                      if (xzContext.needsMoreInput()) {
                        if (unconsumedInput === null || unconsumedInput.byteLength === 0) {
                          const { done, value } = await compressedReader.read();
                          if (!done) {
                            unconsumedInput = value;
                          }
                        }
                        const nextInputLength = Math.min(xzContext.bufSize, unconsumedInput.byteLength);
                        xzContext.supplyInput(unconsumedInput.subarray(0, nextInputLength));
                        unconsumedInput = unconsumedInput.subarray(nextInputLength);
                      }
                      const nextOutputResult = xzContext.getNextOutput();
                      controller.enqueue(nextOutputResult.outChunk);
                      xzContext.resetOutputBuffer();
                      if (nextOutputResult.finished) {
                        xzContext.dispose();
                        XzReadableStream._contextMutex.release();
                        controller.close();
                      }
                    } catch (error) {
                      if (xzContext) {
                        xzContext.dispose();
                      }
                      XzReadableStream._contextMutex.release();
                      throw error;
                    }
                  },
                  cancel() {
                    try {
                      if (xzContext) {
                        xzContext.dispose();
                      }
                      return compressedReader.cancel();
                    } finally {
                      XzReadableStream._contextMutex.release();
                    }
                  }
                });
              }
            }
          })();
          return __webpack_exports__;
        })()
      );
    });
  }
});

// src/config/load.ts
var import_yaml = __toESM(require_dist(), 1);

// schema/config-v1.schema.json
var config_v1_schema_default = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://model-ledger.dev/config/v1/schema.json",
  title: "model-ledger.yml: what a repository records, so the command line and the Action stay short",
  type: "object",
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    ledger: { type: "string", minLength: 1 },
    store: { type: "string", minLength: 1 },
    models: { type: "array", items: { type: "string", minLength: 1 } },
    datasets: {
      type: "array",
      items: {
        anyOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            additionalProperties: false,
            properties: {
              name: { type: "string", minLength: 1 },
              path: { type: "string", minLength: 1 },
              glob: { type: "string", minLength: 1 },
              uri: { type: "string", minLength: 1 },
              sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
              size: { type: "integer", minimum: 0 },
              files: { type: "integer", minimum: 0 },
              license: { type: "string" },
              source: { type: "string" },
              split: { type: "string" },
              rows: { type: "integer", minimum: 0 },
              schema: { type: "string" },
              "personal-data": { type: "boolean" },
              "intended-use": { type: "string" },
              description: { type: "object" },
              scan: {
                description: "Scan the dataset's files by content for pickles and other code, as models are (default false).",
                type: "boolean"
              }
            }
          }
        ]
      }
    },
    training: { type: "string", minLength: 1 },
    lockfiles: { type: "array", items: { type: "string", minLength: 1 } },
    dependencies: {
      anyOf: [
        { enum: ["strict", "best-effort"] },
        {
          type: "object",
          additionalProperties: false,
          properties: {
            mode: { enum: ["strict", "best-effort"] },
            skip: { $ref: "#/$defs/folders" },
            include: { $ref: "#/$defs/folders" }
          }
        }
      ]
    },
    policy: { type: "string", minLength: 1 },
    env: { type: "array", items: { type: "string", minLength: 1 } }
  },
  $defs: {
    folders: {
      type: "array",
      items: {
        type: "string",
        minLength: 1,
        pattern: "^(?!/)(?!(?:.*/)?\\.\\.(?:/|$))[^\\\\*?]+$"
      }
    }
  }
};

// src/config/load.ts
var DEFAULT_CONFIG_FILE = "model-ledger.yml";
var MAX_CONFIG_BYTES = 1024 * 1024;
var MAX_ALIASES = 20;
var MAX_NESTING = 32;
function nestingDepth(value, limit) {
  let deepest = 0;
  const stack = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop();
    if (typeof item !== "object" || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
var DESCRIPTIVE = [
  ["license", "license"],
  ["source", "source"],
  ["split", "split"],
  ["rows", "rows"],
  ["schema", "schema"],
  ["personal-data", "personalData"],
  ["intended-use", "intendedUse"]
];
var validator = new SchemaValidator(config_v1_schema_default);
var dependenciesValidator = new SchemaValidator({
  ...config_v1_schema_default.properties.dependencies.anyOf[1],
  $defs: config_v1_schema_default.$defs
});
function firstIssue(value) {
  const [issue] = validator.validate(value, 1);
  const dependencies = value?.["dependencies"];
  if (issue?.path === "dependencies" && typeof dependencies === "object" && dependencies !== null) {
    const [inner] = dependenciesValidator.validate(dependencies, 1);
    if (inner) {
      const path = inner.path === "(root)" ? "dependencies" : `dependencies.${inner.path}`;
      const message = inner.message.startsWith("must match ^") ? "must be a folder name or a repository-relative folder path (no `..`, no leading `/`, no glob characters)" : inner.message.replaceAll(inner.path, path);
      return { path, message };
    }
  }
  if (issue?.path === "dependencies") {
    return {
      path: issue.path,
      message: "must be strict, best-effort, or a mapping of mode, skip and include"
    };
  }
  return issue;
}
async function loadConfig(file, display, required) {
  let text;
  try {
    text = await readBoundedText(file, MAX_CONFIG_BYTES, display);
  } catch (error) {
    if (!required && isMissingFile(error)) return {};
    const why = describeError(error).replace(`${display}: `, "").replace(/ — .*$/, "");
    throw new LedgerError("BAD_INPUT", `cannot read the config file: ${why}`, {
      file: display,
      cause: error,
      fix: "check the path given with --config (model-ledger.yml by default)"
    });
  }
  const lines = new import_yaml.LineCounter();
  const document = (0, import_yaml.parseDocument)(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) {
    const line = syntax.linePos?.[0].line;
    throw new LedgerError(
      "BAD_INPUT",
      // `yaml` reports running out of stack on nesting as RESOURCE_EXHAUSTION.
      syntax.code === "RESOURCE_EXHAUSTION" ? "nests too deeply to be a config" : `is not valid YAML (${syntax.code})`,
      {
        file: display,
        ...line === void 0 ? {} : { field: `line ${line}` },
        cause: syntax
      }
    );
  }
  let value;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    throw new LedgerError("BAD_INPUT", `cannot be read: ${describeError(error)}`, {
      file: display,
      cause: error,
      fix: "write the values out instead of repeating them through YAML aliases (*name)"
    });
  }
  if (nestingDepth(value, MAX_NESTING) > MAX_NESTING) {
    throw new LedgerError("BAD_INPUT", `nests deeper than ${MAX_NESTING} levels`, {
      file: display,
      fix: "see the config format in the README; no field of it nests that deep"
    });
  }
  const issue = firstIssue(value);
  if (issue) {
    const line = lineOf(document.contents, issue.path, lines);
    throw new LedgerError("BAD_INPUT", `${issue.path} ${issue.message}`, {
      file: display,
      ...line === void 0 ? {} : { field: `line ${line}` },
      fix: "see the config format in the README"
    });
  }
  return toConfig(value);
}
function toConfig(raw) {
  const config = { ...raw };
  delete config.version;
  if (config.datasets) config.datasets = config.datasets.map(toDatasetSpec);
  const dependencies = raw["dependencies"];
  if (typeof dependencies === "object" && dependencies !== null) {
    const { mode, skip, include } = dependencies;
    delete config.dependencies;
    if (mode !== void 0) config.dependencies = mode;
    if (skip !== void 0 || include !== void 0) {
      config.lockfileSearch = {
        ...skip === void 0 ? {} : { skip },
        ...include === void 0 ? {} : { include }
      };
    }
  }
  return config;
}
function toDatasetSpec(entry) {
  if (typeof entry === "string") return entry;
  const description = { ...entry.description ?? {} };
  for (const [key, field2] of DESCRIPTIVE) {
    const value = entry[key];
    if (value !== void 0) description[field2] = value;
  }
  return {
    ...entry.name === void 0 ? {} : { name: entry.name },
    ...entry.path === void 0 ? {} : { path: entry.path },
    ...entry.glob === void 0 ? {} : { glob: entry.glob },
    ...entry.uri === void 0 ? {} : { uri: entry.uri },
    ...entry.sha256 === void 0 ? {} : { sha256: entry.sha256 },
    ...entry.size === void 0 ? {} : { size: entry.size },
    ...entry.files === void 0 ? {} : { files: entry.files },
    ...Object.keys(description).length > 0 ? { description } : {},
    ...entry.scan === void 0 ? {} : { scan: entry.scan }
  };
}
function lineOf(root, path, lines) {
  const steps = path.replace(/\[(\d+)\]/g, ".$1").split(".").filter((step) => step !== "" && step !== "(root)");
  let node = root;
  let offset = node?.range?.[0];
  for (const step of steps) {
    if ((0, import_yaml.isMap)(node)) {
      const pair = node.items.find((item) => item.key?.value === step);
      if (!pair) break;
      offset = pair.key?.range?.[0] ?? offset;
      node = pair.value;
    } else if ((0, import_yaml.isSeq)(node)) {
      node = node.items[Number(step)];
      offset = node?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset === void 0 ? void 0 : lines.linePos(offset).line;
}

// src/collect/dataset-uri.ts
var COMMIT = /^[0-9a-f]{40}$/;
var REPO_TYPES = { datasets: "dataset", spaces: "space", models: "model" };
function isUri(text) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}
function describeUri(uri, field2) {
  if (!isUri(uri)) {
    throw new LedgerError("BAD_INPUT", `"${uri}" is not a URI`, {
      field: field2,
      fix: "write a URI such as hf://datasets/OWNER/NAME@REVISION or s3://bucket/path"
    });
  }
  const scheme = uri.slice(0, uri.indexOf(":")).toLowerCase();
  const hf = huggingFace(uri);
  if (hf) {
    const reference = {
      repoType: hf.repoType,
      repoId: hf.repoId,
      pinned: hf.revision !== void 0 && COMMIT.test(hf.revision)
    };
    if (hf.revision !== void 0) reference["revision"] = hf.revision;
    if (hf.path) reference["path"] = hf.path;
    const result = { uri, lineage: { huggingface: reference }, defaultName: hf.repoId };
    if (!reference["pinned"]) {
      result.moving = hf.revision === void 0 ? `no revision: it names whatever the repository's main branch holds when read \u2014 pin a commit (@<40-hex sha>)` : `revision "${hf.revision}" is a branch or tag that can move \u2014 pin a commit (@<40-hex sha>)`;
    }
    return result;
  }
  const tail = uri.replace(/[?#].*$/, "").replace(/\/+$/, "").split("/").pop() ?? "";
  return { uri, lineage: { uri: { scheme } }, defaultName: tail || uri };
}
function huggingFace(uri) {
  const hf = /^hf:\/\/(.+)$/i.exec(uri);
  if (hf) {
    let segments2 = hf[1].split("/").filter(Boolean);
    let repoType2 = "model";
    if (segments2[0] !== void 0 && REPO_TYPES[segments2[0]]) {
      repoType2 = REPO_TYPES[segments2[0]];
      segments2 = segments2.slice(1);
    }
    const idLength = segments2[0]?.includes("@") || segments2.length === 1 ? 1 : 2;
    const idSegments2 = segments2.slice(0, idLength);
    if (idSegments2.length === 0) return null;
    const last = idSegments2[idSegments2.length - 1];
    const at = last.indexOf("@");
    let revision2;
    if (at !== -1) {
      revision2 = decodeURIComponent(last.slice(at + 1));
      idSegments2[idSegments2.length - 1] = last.slice(0, at);
    }
    const path2 = segments2.slice(idLength).join("/");
    return {
      repoType: repoType2,
      repoId: idSegments2.join("/"),
      ...revision2 ? { revision: revision2 } : {},
      ...path2 ? { path: path2 } : {}
    };
  }
  const web = /^https?:\/\/(?:www\.)?huggingface\.co\/(.+?)\/?(?:[?#].*)?$/i.exec(uri);
  if (!web) return null;
  let segments = web[1].split("/").filter(Boolean);
  let repoType = "model";
  if (segments[0] !== void 0 && REPO_TYPES[segments[0]]) {
    repoType = REPO_TYPES[segments[0]];
    segments = segments.slice(1);
  }
  if (segments.length < 1) return null;
  const marker = segments.findIndex(
    (segment) => segment === "tree" || segment === "blob" || segment === "resolve" || segment === "commit"
  );
  const idSegments = marker === -1 ? segments.slice(0, 2) : segments.slice(0, marker);
  const revision = marker === -1 ? void 0 : segments[marker + 1];
  const path = marker === -1 ? "" : segments.slice(marker + 2).join("/");
  return {
    repoType,
    repoId: idSegments.join("/"),
    ...revision ? { revision: decodeURIComponent(revision) } : {},
    ...path ? { path } : {}
  };
}

// src/lockfiles/packages.ts
var MAX_OCCURRENCES = 16;
function makePackage(fields) {
  const pkg = {
    purl: fields.purl,
    name: fields.name,
    version: fields.version,
    ecosystem: fields.ecosystem
  };
  if (fields.integrity !== void 0 && fields.integrity !== "") pkg.integrity = fields.integrity;
  if (fields.direct !== void 0) pkg.direct = fields.direct;
  if (fields.dev !== void 0) pkg.dev = fields.dev;
  if (fields.from !== void 0) pkg.occurrences = [{ from: fields.from, dev: fields.dev }];
  return pkg;
}
function joinDigests(digests2) {
  const unique = [...new Set(digests2)].filter((digest) => digest !== "").sort();
  return unique.length > 0 ? unique.join(" ") : void 0;
}
function mergeDev(a, b) {
  if (a === false || b === false) return false;
  if (a === void 0 || b === void 0) return void 0;
  return true;
}
function mergeDirect(a, b) {
  if (a === true || b === true) return true;
  if (a === void 0 || b === void 0) return void 0;
  return false;
}
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function settle(pkg, occurrences) {
  const { occurrences: _drop, occurrencesOmitted: _omitted, ...rest } = pkg;
  const flags = new Set(occurrences.map((occurrence) => occurrence.dev));
  if (flags.size < 2) return rest;
  const kept = occurrences.slice(0, MAX_OCCURRENCES).map(({ from, dev }) => dev === void 0 ? { from } : { from, dev });
  const out = { ...rest, occurrences: kept };
  if (occurrences.length > kept.length) out.occurrencesOmitted = occurrences.length - kept.length;
  return out;
}
function finishPackages(packages, notes = []) {
  const byKey = /* @__PURE__ */ new Map();
  for (const pkg of packages) {
    const key = `${pkg.purl}
${pkg.integrity ?? ""}`;
    const seen = byKey.get(key);
    if (seen === void 0) {
      byKey.set(key, { pkg, occurrences: [...pkg.occurrences ?? []] });
    } else {
      seen.pkg = makePackage({
        ...seen.pkg,
        direct: mergeDirect(seen.pkg.direct, pkg.direct),
        dev: mergeDev(seen.pkg.dev, pkg.dev)
      });
      seen.occurrences.push(...pkg.occurrences ?? []);
    }
  }
  const sorted = [...byKey.values()].map(({ pkg, occurrences }) => settle(pkg, occurrences)).sort((a, b) => compare(a.purl, b.purl) || compare(a.integrity ?? "", b.integrity ?? ""));
  return { packages: sorted, notes: [...new Set(notes)] };
}

// src/lockfiles/text.ts
import { isUtf8 } from "node:buffer";
var MAX_LINE_BYTES = 1024 * 1024;
var MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;
var LF = 10;
function lockfileError(file, line, message, fix = "regenerate the lockfile with its package manager, or fix it by hand", cause) {
  return new LedgerError("LOCKFILE", message, { file, field: `line ${line}`, fix, cause });
}
function decodeLockfile(bytes, file) {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 255 && b1 === 254 || b0 === 254 && b1 === 255) {
    throw lockfileError(
      file,
      1,
      "is UTF-16 encoded (it starts with a UTF-16 byte order mark); lockfiles are UTF-8",
      "save the file as UTF-8 (for example with `iconv -f UTF-16 -t UTF-8`)"
    );
  }
  checkLineLengths(bytes, file);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw lockfileError(
      file,
      lineAtByte(bytes, nul),
      "contains a NUL byte; lockfiles are UTF-8 text (is this file UTF-16 or binary?)",
      "save the file as UTF-8 text, or point model-ledger at the right file"
    );
  }
  if (!isUtf8(bytes)) {
    throw lockfileError(
      file,
      lineAtByte(bytes, firstInvalidUtf8(bytes)),
      "is not valid UTF-8",
      "save the file as UTF-8 (lockfiles written by package managers always are)"
    );
  }
  const start = b0 === 239 && b1 === 187 && bytes[2] === 191 ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString("utf8");
}
function checkLineLengths(bytes, file) {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    const end = bytes.indexOf(LF, start);
    const stop = end === -1 ? bytes.length : end;
    if (stop - start > MAX_LINE_BYTES) {
      throw lockfileError(
        file,
        line,
        `has a line of ${stop - start} bytes, longer than the ${MAX_LINE_BYTES}-byte limit; package managers never write such lines`,
        "check that this is the lockfile your package manager wrote, and regenerate it"
      );
    }
    if (end === -1) return;
    start = end + 1;
    line += 1;
  }
}
function lineAtByte(bytes, offset) {
  let line = 1;
  let at = bytes.indexOf(LF);
  while (at !== -1 && at < offset) {
    line += 1;
    at = bytes.indexOf(LF, at + 1);
  }
  return line;
}
function firstInvalidUtf8(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need;
    let min;
    if (b < 128) {
      i += 1;
      continue;
    } else if (b >= 194 && b <= 223) {
      need = 1;
      min = 128;
    } else if (b >= 224 && b <= 239) {
      need = 2;
      min = 2048;
    } else if (b >= 240 && b <= 244) {
      need = 3;
      min = 65536;
    } else {
      return i;
    }
    let code = b & 63 >> need;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === void 0 || (c & 192) !== 128) return i;
      code = code << 6 | c & 63;
    }
    if (code < min || code > 1114111 || code >= 55296 && code <= 57343) return i;
    i += need + 1;
  }
  return bytes.length;
}
function splitLines(text) {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (line.endsWith("\r")) lines[i] = line.slice(0, -1);
  }
  return lines;
}
function lineAtOffset(text, offset) {
  let line = 1;
  let at = text.indexOf("\n");
  while (at !== -1 && at < offset) {
    line += 1;
    at = text.indexOf("\n", at + 1);
  }
  return line;
}
function lineOf2(text, needle) {
  const at = text.indexOf(needle);
  return at === -1 ? 1 : lineAtOffset(text, at);
}

// src/lockfiles/toml.ts
var MAX_DEPTH = 64;
var BARE_KEY = /[A-Za-z0-9_-]/;
var VALUE_CHAR = /[A-Za-z0-9_:.+-]/;
var INTEGER = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
var PREFIXED_INTEGER = /^(?:0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)$/;
var FLOAT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[eE][+-]?[0-9](?:_?[0-9])*)$/;
var SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;
var DATE_TIME = /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
function newTable() {
  return /* @__PURE__ */ Object.create(null);
}
function isTable(value) {
  return typeof value === "object" && !Array.isArray(value);
}
function parseToml(text, file) {
  return new Parser(text, file).document();
}
var Parser = class {
  constructor(text, file) {
    this.text = text;
    this.file = file;
    this.current = this.root;
    this.openedAt.set(this.root, 0);
  }
  text;
  file;
  pos = 0;
  root = newTable();
  current;
  openedAt = /* @__PURE__ */ new WeakMap();
  /** Tables given their own `[header]`: a second header for the same table is an error. */
  headed = /* @__PURE__ */ new WeakSet();
  /** Inline tables and static arrays are complete as written: nothing may be added to them. */
  sealed = /* @__PURE__ */ new WeakSet();
  /** Arrays made by `[[header]]`. */
  tableArrays = /* @__PURE__ */ new WeakSet();
  document() {
    for (; ; ) {
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      if (this.text[this.pos] === "[") this.header();
      else this.keyValue(this.current);
      this.endOfLine();
    }
    const openedAt = this.openedAt;
    const text = this.text;
    return {
      root: this.root,
      lineOf: (table) => lineAtOffset(text, openedAt.get(table) ?? 0)
    };
  }
  fail(message, at = this.pos) {
    return lockfileError(this.file, lineAtOffset(this.text, at), `is not valid TOML: ${message}`);
  }
  peek(offset = 0) {
    return this.text[this.pos + offset] ?? "";
  }
  /** Spaces and tabs. */
  skipSpace() {
    while (this.peek() === " " || this.peek() === "	") this.pos += 1;
  }
  skipComment() {
    if (this.peek() !== "#") return;
    while (this.pos < this.text.length && this.peek() !== "\n") {
      const code = this.text.charCodeAt(this.pos);
      if (code < 32 && code !== 9 && code !== 13 || code === 127) {
        throw this.fail("control character in a comment");
      }
      this.pos += 1;
    }
  }
  /** Consumes a newline (`\n` or `\r\n`) if one is next. */
  newline() {
    if (this.peek() === "\n") {
      this.pos += 1;
      return true;
    }
    if (this.peek() === "\r" && this.peek(1) === "\n") {
      this.pos += 2;
      return true;
    }
    return false;
  }
  /** Whitespace, comments and newlines between statements or array items. */
  skipBlank() {
    for (; ; ) {
      this.skipSpace();
      this.skipComment();
      if (!this.newline()) return;
    }
  }
  endOfLine() {
    this.skipSpace();
    this.skipComment();
    if (this.pos < this.text.length && !this.newline()) {
      throw this.fail(`unexpected ${JSON.stringify(this.peek())} after a value (one key = value per line)`);
    }
  }
  header() {
    const start = this.pos;
    const isArray = this.peek(1) === "[";
    this.pos += isArray ? 2 : 1;
    this.skipSpace();
    const keys = this.key();
    this.skipSpace();
    if (isArray ? this.text.startsWith("]]", this.pos) : this.peek() === "]") {
      this.pos += isArray ? 2 : 1;
    } else {
      throw this.fail(`expected "${isArray ? "]]" : "]"}" to close the table header`);
    }
    let table = this.root;
    for (const key of keys.slice(0, -1)) table = this.descend(table, key, start);
    const last = keys[keys.length - 1] ?? "";
    const existing = table[last];
    if (isArray) {
      let array;
      if (existing === void 0) {
        array = [];
        this.tableArrays.add(array);
        table[last] = array;
      } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
        array = existing;
      } else {
        throw this.fail(`[[${keys.join(".")}]] names a key that is already defined as something else`, start);
      }
      const element = newTable();
      this.openedAt.set(element, start);
      array.push(element);
      this.current = element;
      return;
    }
    if (existing === void 0) {
      const created = newTable();
      this.openedAt.set(created, start);
      table[last] = created;
      this.headed.add(created);
      this.current = created;
    } else if (isTable(existing) && !this.headed.has(existing) && !this.sealed.has(existing)) {
      this.headed.add(existing);
      this.openedAt.set(existing, start);
      this.current = existing;
    } else {
      throw this.fail(`table [${keys.join(".")}] is defined twice`, start);
    }
  }
  /** Steps into a sub-table for a header or dotted key, creating it if absent. */
  descend(table, key, at) {
    const value = table[key];
    if (value === void 0) {
      const created = newTable();
      this.openedAt.set(created, at);
      table[key] = created;
      return created;
    }
    if (Array.isArray(value) && this.tableArrays.has(value)) {
      const last = value[value.length - 1];
      if (isTable(last)) return last;
    }
    if (isTable(value) && !this.sealed.has(value)) return value;
    throw this.fail(`key "${key}" is already defined as a value, not a table`, at);
  }
  keyValue(table) {
    const start = this.pos;
    const keys = this.key();
    this.skipSpace();
    if (this.peek() !== "=") throw this.fail('expected "=" after a key');
    this.pos += 1;
    this.skipSpace();
    let target = table;
    for (const key of keys.slice(0, -1)) target = this.descend(target, key, start);
    const last = keys[keys.length - 1] ?? "";
    if (target[last] !== void 0) throw this.fail(`key "${keys.join(".")}" is defined twice`, start);
    target[last] = this.value(0);
  }
  /** A dotted key: bare or quoted segments separated by dots. */
  key() {
    const keys = [];
    for (; ; ) {
      this.skipSpace();
      const c = this.peek();
      if (c === '"') {
        if (this.text.startsWith('"""', this.pos)) throw this.fail("a key cannot be a multi-line string");
        keys.push(this.basicString());
      } else if (c === "'") {
        if (this.text.startsWith("'''", this.pos)) throw this.fail("a key cannot be a multi-line string");
        keys.push(this.literalString());
      } else {
        const start = this.pos;
        while (BARE_KEY.test(this.peek())) this.pos += 1;
        if (this.pos === start)
          throw this.fail(
            c === "" ? "unexpected end of file, expected a key" : `unexpected ${JSON.stringify(c)}, expected a key`
          );
        keys.push(this.text.slice(start, this.pos));
      }
      this.skipSpace();
      if (this.peek() !== ".") return keys;
      this.pos += 1;
    }
  }
  value(depth) {
    if (depth > MAX_DEPTH) throw this.fail(`arrays and inline tables nest more than ${MAX_DEPTH} deep`);
    const c = this.peek();
    if (c === '"')
      return this.text.startsWith('"""', this.pos) ? this.multilineBasicString() : this.basicString();
    if (c === "'")
      return this.text.startsWith("'''", this.pos) ? this.multilineLiteralString() : this.literalString();
    if (c === "[") return this.array(depth);
    if (c === "{") return this.inlineTable(depth);
    return this.scalar();
  }
  scalar() {
    const start = this.pos;
    while (VALUE_CHAR.test(this.peek())) this.pos += 1;
    if (/^\d{4}-\d{2}-\d{2}$/.test(this.text.slice(start, this.pos)) && this.peek() === " " && /\d/.test(this.peek(1))) {
      this.pos += 1;
      while (VALUE_CHAR.test(this.peek())) this.pos += 1;
    }
    const token = this.text.slice(start, this.pos);
    if (token === "true") return true;
    if (token === "false") return false;
    if (INTEGER.test(token)) return Number(token.replaceAll("_", ""));
    if (PREFIXED_INTEGER.test(token)) return Number(token.replaceAll("_", ""));
    if (FLOAT.test(token)) return Number(token.replaceAll("_", ""));
    if (SPECIAL_FLOAT.test(token))
      return token.endsWith("nan") ? Number.NaN : token.startsWith("-") ? -Infinity : Infinity;
    if (DATE_TIME.test(token)) return token;
    if (token === "") {
      const c = this.peek();
      throw this.fail(
        c === "" || c === "\n" || c === "\r" ? "a key has no value" : `unexpected ${JSON.stringify(c)}, expected a value`
      );
    }
    throw this.fail(`${JSON.stringify(token)} is not a TOML value (strings need quotes)`, start);
  }
  array(depth) {
    const array = [];
    this.delimited("[", "]", "an array", () => {
      array.push(this.value(depth + 1));
    });
    this.sealed.add(array);
    return array;
  }
  /** `{ a = 1, b.c = "x" }`; like TOML 1.1, newlines and a trailing comma are accepted. */
  inlineTable(depth) {
    const table = newTable();
    this.openedAt.set(table, this.pos);
    this.delimited("{", "}", "an inline table", () => {
      const start = this.pos;
      const keys = this.key();
      this.skipSpace();
      if (this.peek() !== "=") throw this.fail('expected "=" after a key');
      this.pos += 1;
      this.skipSpace();
      let target = table;
      for (const key of keys.slice(0, -1)) target = this.descend(target, key, start);
      const last = keys[keys.length - 1] ?? "";
      if (target[last] !== void 0) throw this.fail(`key "${keys.join(".")}" is defined twice`, start);
      target[last] = this.value(depth + 1);
    });
    this.sealed.add(table);
    return table;
  }
  /**
   * Items separated by commas between `open` (at the current position) and `close`; blank lines,
   * comments and a trailing comma are allowed. `what` names the construct in errors.
   */
  delimited(open2, close, what, item) {
    const start = this.pos;
    const unterminated = `unterminated ${what.replace(/^an? /, "")} (no "${close}" closes the "${open2}" on this line)`;
    this.pos += 1;
    for (; ; ) {
      this.skipBlank();
      if (this.peek() === close) break;
      if (this.pos >= this.text.length) throw this.fail(unterminated, start);
      item();
      this.skipBlank();
      if (this.peek() === ",") {
        this.pos += 1;
        continue;
      }
      if (this.peek() === close) break;
      if (this.pos >= this.text.length) throw this.fail(unterminated, start);
      throw this.fail(`expected "," or "${close}" in ${what}`);
    }
    this.pos += 1;
  }
  checkStringChar(code, multiline) {
    if (code < 32 && code !== 9 && !(multiline && (code === 10 || code === 13)) || code === 127) {
      throw this.fail(
        code === 10 ? 'unterminated string (a "..." string ends on its line)' : "control character in a string"
      );
    }
  }
  basicString() {
    const start = this.pos;
    this.pos += 1;
    let out = "";
    for (; ; ) {
      if (this.pos >= this.text.length) throw this.fail("unterminated string", start);
      const c = this.text[this.pos] ?? "";
      if (c === '"') {
        this.pos += 1;
        return out;
      }
      if (c === "\\") {
        out += this.escape();
        continue;
      }
      this.checkStringChar(c.charCodeAt(0), false);
      out += c;
      this.pos += 1;
    }
  }
  multilineBasicString() {
    const start = this.pos;
    this.pos += 3;
    this.newline();
    let out = "";
    for (; ; ) {
      if (this.pos >= this.text.length) throw this.fail('unterminated """ string', start);
      const c = this.text[this.pos] ?? "";
      if (c === '"' && this.text.startsWith('"""', this.pos)) {
        let quotes = 3;
        while (quotes < 5 && this.peek(quotes) === '"') quotes += 1;
        out += '"'.repeat(quotes - 3);
        this.pos += quotes;
        return out;
      }
      if (c === "\\") {
        let look = this.pos + 1;
        while (this.text[look] === " " || this.text[look] === "	") look += 1;
        if (this.text[look] === "\n" || this.text[look] === "\r" && this.text[look + 1] === "\n") {
          this.pos = look;
          while (/[ \t\r\n]/.test(this.peek())) this.pos += 1;
          continue;
        }
        out += this.escape();
        continue;
      }
      this.checkStringChar(c.charCodeAt(0), true);
      out += c;
      this.pos += 1;
    }
  }
  literalString() {
    const start = this.pos;
    this.pos += 1;
    const end = this.text.indexOf("'", this.pos);
    const newline = this.text.indexOf("\n", this.pos);
    if (end === -1 || newline !== -1 && newline < end) throw this.fail("unterminated string", start);
    const value = this.text.slice(this.pos, end);
    for (let i = 0; i < value.length; i += 1) this.checkStringChar(value.charCodeAt(i), false);
    this.pos = end + 1;
    return value;
  }
  multilineLiteralString() {
    const start = this.pos;
    this.pos += 3;
    this.newline();
    const end = this.text.indexOf("'''", this.pos);
    if (end === -1) throw this.fail("unterminated ''' string", start);
    let quotes = 3;
    while (quotes < 5 && this.text[end + quotes] === "'") quotes += 1;
    const value = this.text.slice(this.pos, end) + "'".repeat(quotes - 3);
    for (let i = 0; i < value.length; i += 1) this.checkStringChar(value.charCodeAt(i), true);
    this.pos = end + quotes;
    return value;
  }
  escape() {
    const at = this.pos;
    const c = this.peek(1);
    this.pos += 2;
    switch (c) {
      case "b":
        return "\b";
      case "t":
        return "	";
      case "n":
        return "\n";
      case "f":
        return "\f";
      case "r":
        return "\r";
      case "e":
        return "\x1B";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "x":
        return this.codePoint(2, at);
      case "u":
        return this.codePoint(4, at);
      case "U":
        return this.codePoint(8, at);
      default:
        throw this.fail(`invalid escape "\\${c}" in a string`, at);
    }
  }
  codePoint(digits, at) {
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex))
      throw this.fail("invalid unicode escape in a string", at);
    const code = Number.parseInt(hex, 16);
    if (code > 1114111 || code >= 55296 && code <= 57343)
      throw this.fail("invalid unicode escape in a string", at);
    this.pos += digits;
    return String.fromCodePoint(code);
  }
};
var TomlReader = class {
  constructor(file, doc) {
    this.file = file;
    this.doc = doc;
  }
  file;
  doc;
  fail(table, message) {
    return lockfileError(this.file, this.doc.lineOf(table), message);
  }
  string(table, key, what) {
    const value = table[key];
    if (typeof value !== "string") throw this.fail(table, `${what} has no string "${key}"`);
    return value;
  }
  optionalString(table, key, what) {
    const value = table[key];
    if (value === void 0) return void 0;
    if (typeof value !== "string") throw this.fail(table, `${what}: "${key}" must be a string`);
    return value;
  }
  optionalTable(table, key, what) {
    const value = table[key];
    if (value === void 0) return void 0;
    if (!isTable(value)) throw this.fail(table, `${what}: "${key}" must be a table`);
    return value;
  }
  /** An array whose every element is a table (`[[package]]` or `[{...}, {...}]`), or absent. */
  tables(table, key, what) {
    const value = table[key];
    if (value === void 0) return [];
    if (!Array.isArray(value) || !value.every((item) => isTable(item))) {
      throw this.fail(table, `${what}: "${key}" must be a list of tables`);
    }
    return value;
  }
  /** An array whose every element is a string, or absent. */
  strings(table, key, what) {
    const value = table[key];
    if (value === void 0) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw this.fail(table, `${what}: "${key}" must be a list of strings`);
    }
    return value;
  }
};

// src/lockfiles/cargo.ts
var cargoParser = {
  kind: "cargo",
  matches: (path) => /(^|\/)Cargo\.lock$/.test(path),
  parse: async (input) => parseCargoLockfile(input)
};
var CRATES_IO = [
  "registry+https://github.com/rust-lang/crates.io-index",
  "sparse+https://index.crates.io/"
];
function parseCargoLockfile({ path, text }) {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const crates = read.tables(doc.root, "package", "the lockfile").map((table) => {
    const name = read.string(table, "name", "[[package]]");
    return {
      table,
      name,
      version: read.string(table, "version", `package ${name}`),
      source: read.optionalString(table, "source", `package ${name}`)
    };
  });
  const metadata = read.optionalTable(doc.root, "metadata", "the lockfile") ?? {};
  const byName = /* @__PURE__ */ new Map();
  for (const crate of crates) byName.set(crate.name, [...byName.get(crate.name) ?? [], crate]);
  const direct = /* @__PURE__ */ new Set();
  const members = crates.filter((crate) => crate.source === void 0);
  for (const member of members) {
    for (const entry of read.strings(member.table, "dependencies", `package ${member.name}`)) {
      const [name = "", version] = entry.split(" ");
      for (const crate of byName.get(name) ?? []) {
        if (version === void 0 || crate.version === version) direct.add(crate);
      }
    }
  }
  const out = [];
  for (const crate of crates) {
    if (crate.source === void 0) continue;
    const what = `package ${crate.name}`;
    const checksum = read.optionalString(crate.table, "checksum", what) ?? read.optionalString(
      metadata,
      `checksum ${crate.name} ${crate.version} (${crate.source})`,
      "[metadata]"
    );
    out.push(
      makePackage({
        purl: cargoPurl(crate.name, crate.version, sourceQualifiers(crate.source)),
        name: crate.name,
        version: crate.version,
        ecosystem: "cargo",
        integrity: checksum === void 0 ? void 0 : `sha256:${checksum}`,
        direct: members.length > 0 ? direct.has(crate) : void 0
      })
    );
  }
  return finishPackages(out);
}
function sourceQualifiers(source) {
  if (CRATES_IO.includes(source)) return {};
  if (source.startsWith("git+")) {
    const [location = "", commit] = source.split("#");
    return { vcs_url: `${withoutCredentials(location.replace(/\?.*$/, ""))}${commit ? `@${commit}` : ""}` };
  }
  const registry = /^(?:registry|sparse)\+(.+)$/.exec(source)?.[1];
  return registry === void 0 ? {} : { repository_url: withoutCredentials(registry) };
}

// src/lockfiles/json.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function parseJsonLockfile(text, file) {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw lockfileError(
      file,
      syntaxErrorLine(text, error.message),
      `is not valid JSON (${error.message})`,
      void 0,
      error
    );
  }
}
function syntaxErrorLine(text, message) {
  const end = text.trimEnd().length;
  const position = /\bposition (\d+)\b/.exec(message);
  if (position?.[1] !== void 0)
    return lineAtOffset(text, Math.min(Number(position[1]), Math.max(end - 1, 0)));
  const line = /\bline (\d+)\b/.exec(message);
  return line?.[1] !== void 0 ? Number(line[1]) : lineAtOffset(text, end);
}
function jsonKeyLine(text, key) {
  return lineOf2(text, `${JSON.stringify(key)}:`);
}
var JsonFields = class {
  constructor(file, text, key, value) {
    this.file = file;
    this.text = text;
    this.key = key;
    this.value = value;
  }
  file;
  text;
  key;
  value;
  line() {
    return this.key === "" ? 1 : jsonKeyLine(this.text, this.key);
  }
  fail(message) {
    return lockfileError(this.file, this.line(), message);
  }
  optionalString(member) {
    const value = this.value[member];
    if (value === void 0) return void 0;
    if (typeof value !== "string") throw this.fail(`${this.describe()}: "${member}" must be a string`);
    return value;
  }
  optionalBoolean(member) {
    const value = this.value[member];
    if (value === void 0) return void 0;
    if (typeof value !== "boolean") throw this.fail(`${this.describe()}: "${member}" must be true or false`);
    return value;
  }
  optionalStringArray(member) {
    const value = this.value[member];
    if (value === void 0) return void 0;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      throw this.fail(`${this.describe()}: "${member}" must be a list of strings`);
    }
    return value;
  }
  /** A member that is an object (of anything) or absent. */
  optionalObject(member) {
    const value = this.value[member];
    if (value === void 0) return void 0;
    if (!isRecord(value)) throw this.fail(`${this.describe()}: "${member}" must be an object`);
    return value;
  }
  /** Names of an object member's keys, for dependency maps (`{"lodash": "^4"}`). */
  keysOf(member) {
    return Object.keys(this.optionalObject(member) ?? {});
  }
  describe() {
    return this.key === "" ? "the top level" : `entry "${this.key}"`;
  }
};

// src/lockfiles/requirements.ts
import { posix } from "node:path";
var requirementsParser = {
  kind: "pip",
  matches: isRequirementsPath,
  parse: parseRequirementsFile
};
function isRequirementsPath(path) {
  const parts = path.split("/");
  const base = parts[parts.length - 1] ?? "";
  if (/^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i.test(base)) return true;
  return parts.length >= 2 && parts[parts.length - 2] === "requirements" && /\.txt$/i.test(base);
}
var MAX_INCLUDED_FILES = 256;
async function parseRequirementsFile(input) {
  const session = new Session(input.readInclude);
  const result = await session.file(input, [input.path]);
  return session.finish(result);
}
async function parsePipLines(source, lines) {
  const session = new Session(source.readInclude);
  const result = await session.lines(source.path, lines, [source.path]);
  return session.finish(result);
}
function logicalLines(text) {
  const physical = splitLines(text);
  const out = [];
  const continues = (line) => /\\\s*$/.test(line) && !/^\s*#/.test(line);
  for (let i = 0; i < physical.length; i += 1) {
    const start = i;
    const parts = [];
    let current = physical[i] ?? "";
    while (continues(current) && i + 1 < physical.length) {
      parts.push(current.replace(/\\\s*$/, " "));
      i += 1;
      current = physical[i] ?? "";
    }
    parts.push(continues(current) ? current.replace(/\\\s*$/, "") : current);
    out.push({ text: parts.join(""), line: start + 1 });
  }
  return out;
}
var Session = class {
  constructor(readInclude) {
    this.readInclude = readInclude;
  }
  readInclude;
  done = /* @__PURE__ */ new Map();
  async file(source, stack) {
    return this.lines(source.path, logicalLines(source.text), stack);
  }
  async lines(path, lines, stack) {
    const result = { requirements: [], constraints: [], notes: [], annotated: false };
    let viaTarget;
    for (const { text, line } of lines) {
      const trimmed = text.trim();
      if (trimmed.startsWith("#")) {
        const via = /^#\s*via\b\s*(.*)$/.exec(trimmed);
        if (via !== null && viaTarget !== void 0) {
          result.annotated = true;
          viaTarget.via = via[1] ? [via[1].trim()] : [];
        } else if (viaTarget?.via !== void 0 && /^#\s{2,}\S/.test(trimmed)) {
          viaTarget.via.push(trimmed.slice(1).trim());
        } else {
          viaTarget = void 0;
        }
        continue;
      }
      viaTarget = void 0;
      const content = trimmed.replace(/(^|\s)#.*$/, "").trim();
      if (content === "") continue;
      if (content.startsWith("-")) {
        await this.option(path, line, content, stack, result);
        continue;
      }
      const requirement = readRequirement(path, line, content, result.notes);
      if (requirement !== void 0) {
        result.requirements.push(requirement);
        viaTarget = requirement;
      }
    }
    return result;
  }
  async option(path, line, content, stack, result) {
    const match = /^(-[rce]|--requirement|--constraint|--editable)(?:\s*=\s*|\s+|(?<=^-[rce]))(.+)$/.exec(
      content
    );
    if (match === null) return;
    const flag = match[1] ?? "";
    const argument = (match[2] ?? "").trim();
    if (flag === "-e" || flag === "--editable") {
      const requirement = readRequirement(path, line, argument, result.notes);
      if (requirement !== void 0) result.requirements.push(requirement);
      return;
    }
    const included = await this.include(path, line, argument, stack);
    result.notes.push(...included.notes);
    result.annotated ||= included.annotated;
    if (flag === "-c" || flag === "--constraint") {
      result.constraints.push(...included.requirements, ...included.constraints);
    } else {
      result.requirements.push(...included.requirements);
      result.constraints.push(...included.constraints);
    }
  }
  async include(path, line, target, stack) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      throw lockfileError(
        path,
        line,
        `includes ${withoutCredentials(target)}, a URL; model-ledger reads only files in the repository`,
        "vendor the file into the repository and include it by path"
      );
    }
    const resolved = posix.normalize(posix.join(posix.dirname(path), target.replaceAll("\\", "/")));
    if (posix.isAbsolute(target) || resolved === ".." || resolved.startsWith("../")) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, which is outside the repository`,
        "include files by a path inside the repository"
      );
    }
    if (stack.includes(resolved)) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, which makes an include cycle: ${[...stack, resolved].join(" \u2192 ")}`,
        "remove one of the -r/-c lines that form the cycle"
      );
    }
    const seen = this.done.get(resolved);
    if (seen !== void 0) return seen;
    if (this.readInclude === void 0) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, but included files cannot be read here`,
        "pass the included file as well, or inline its requirements"
      );
    }
    if (this.done.size >= MAX_INCLUDED_FILES) {
      throw lockfileError(
        path,
        line,
        `includes more than ${MAX_INCLUDED_FILES} files`,
        "merge the requirements files"
      );
    }
    let source;
    try {
      source = await this.readInclude(resolved);
    } catch (error) {
      throw lockfileError(
        path,
        line,
        `cannot read the included file ${target}: ${describeError(error)}`,
        "fix the path in the -r/-c line, or add the file",
        error
      );
    }
    const result = await this.file(source, [...stack, resolved]);
    this.done.set(resolved, result);
    return result;
  }
  finish(result) {
    const pins = /* @__PURE__ */ new Map();
    for (const constraint of result.constraints) {
      if (constraint.pinned) pins.set(normalizePypiName(constraint.name), constraint);
    }
    const out = result.requirements.map((requirement) => {
      let { version, hashes } = requirement;
      const pin = requirement.pinned || requirement.fromUrl ? void 0 : pins.get(normalizePypiName(requirement.name));
      if (pin !== void 0) {
        version = pin.version;
        if (hashes.length === 0) hashes = pin.hashes;
      }
      return makePackage({
        purl: pypiPurl(requirement.name, version, requirement.qualifiers),
        name: requirement.name,
        version,
        ecosystem: "pypi",
        integrity: joinDigests(hashes),
        direct: result.annotated && requirement.via !== void 0 ? isDirectVia(requirement.via) : void 0
      });
    });
    return finishPackages(out, result.notes);
  }
};
function isDirectVia(via) {
  return via.some(
    (source) => source.startsWith("-r ") || /\((?:pyproject\.toml|setup\.cfg|setup\.py)\)$/.test(source)
  );
}
var NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
var WHOLE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
var VCS = /^(?:git|hg|svn|bzr)\+/i;
var URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|file:|\.{0,2}\/|\.$|[A-Za-z]:[\\/])/i;
function urlQualifiers(url) {
  const clean = withoutCredentials(url.replace(/#.*$/, ""));
  if (VCS.test(clean)) return { vcs_url: clean };
  if (/^https?:\/\//i.test(clean)) return { download_url: clean };
  return {};
}
function fileNameOf(location) {
  const path = location.replace(/[?#].*$/, "");
  const last = path.slice(path.replace(/\\/g, "/").lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
var SDIST = /\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/i;
var VERSION_LIKE = /^v?\d[A-Za-z0-9.!+_]*$/;
function archiveNameVersion(fileName, declared) {
  if (/\.whl$/i.test(fileName)) {
    const fields = fileName.slice(0, -".whl".length).split("-");
    if (fields.length !== 5 && fields.length !== 6) return void 0;
    const [name2 = "", version2 = ""] = fields;
    if (!WHOLE_NAME.test(name2) || !VERSION_LIKE.test(version2)) return void 0;
    return { name: normalizePypiName(name2), version: version2 };
  }
  const sdist = SDIST.exec(fileName);
  if (sdist === null) return void 0;
  const stem = fileName.slice(0, sdist.index);
  let split;
  if (declared !== void 0) {
    const cut = [...stem.matchAll(/-/g)].map((match) => match.index).find((at) => normalizePypiName(stem.slice(0, at)) === normalizePypiName(declared));
    if (cut === void 0) return void 0;
    split = cut;
  } else {
    split = stem.indexOf("-");
    if (split === -1 || stem.indexOf("-", split + 1) !== -1) return void 0;
  }
  const name = stem.slice(0, split);
  const version = stem.slice(split + 1);
  if (!WHOLE_NAME.test(name) || !VERSION_LIKE.test(version)) return void 0;
  return { name: normalizePypiName(name), version };
}
function fragmentHashes(url) {
  const fragment = url.split("#")[1] ?? "";
  return fragment.split("&").map((part) => /^(md5|sha1|sha224|sha256|sha384|sha512)=([0-9a-f]+)$/i.exec(part)).filter((match) => match !== null).map((match) => `${(match[1] ?? "").toLowerCase()}:${(match[2] ?? "").toLowerCase()}`);
}
function splitOptions(path, line, content) {
  const at = content.search(/\s--?[A-Za-z]/);
  if (at === -1) return { spec: content, hashes: [] };
  const hashes = [];
  const options = content.slice(at).trim();
  const hashOption = /--hash(?:\s*=\s*|\s+)(\S+)/g;
  for (const match of options.matchAll(hashOption)) {
    const digest = match[1] ?? "";
    if (!/^[a-z0-9]+:[0-9a-f]+$/i.test(digest)) {
      throw lockfileError(
        path,
        line,
        `has a malformed --hash value ${JSON.stringify(digest)} (expected algorithm:hex)`
      );
    }
    hashes.push(digest);
  }
  return { spec: content.slice(0, at).trim(), hashes };
}
function readRequirement(path, line, content, notes) {
  if (content === "@EXPLICIT") {
    throw lockfileError(
      path,
      line,
      "is a conda explicit lockfile (@EXPLICIT), not a pip requirements file",
      "name it conda-<platform>.lock or spec-file.txt so it is read as one"
    );
  }
  const { spec, hashes } = splitOptions(path, line, content);
  const direct = /^([^\s@[;]+)\s*(?:\[[^\]]*\])?\s*@\s*(\S+)(?:\s+;.*)?$/.exec(spec);
  if (direct !== null && WHOLE_NAME.test(direct[1] ?? "") && URL_LIKE.test(direct[2] ?? "")) {
    const url = direct[2] ?? "";
    const name2 = direct[1] ?? "";
    const archive = VCS.test(url) ? void 0 : archiveNameVersion(fileNameOf(url), name2);
    if (archive !== void 0 && archive.name !== normalizePypiName(name2)) {
      notes.push(
        `${path}: line ${line}: ${name2} names the archive ${fileNameOf(url)}, which is another package; recorded without a version`
      );
    }
    return {
      name: name2,
      version: archive !== void 0 && archive.name === normalizePypiName(name2) ? archive.version : "",
      hashes: [...hashes, ...fragmentHashes(url)],
      qualifiers: urlQualifiers(url),
      pinned: false,
      fromUrl: true
    };
  }
  if (VCS.test(spec) || URL_LIKE.test(spec)) {
    const location = spec.replace(/\s+;.*$/, "");
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(location)?.[1];
    const archive = VCS.test(location) ? void 0 : archiveNameVersion(fileNameOf(location), egg);
    if (egg === void 0 && archive !== void 0) {
      return {
        name: archive.name,
        version: archive.version,
        hashes: [...hashes, ...fragmentHashes(location)],
        qualifiers: urlQualifiers(location),
        pinned: false,
        fromUrl: true
      };
    }
    if (egg === void 0) {
      notes.push(
        `${path}: line ${line}: "${withoutCredentials(location)}" names no package (no #egg=NAME); not recorded`
      );
      return void 0;
    }
    return {
      name: egg,
      version: archive !== void 0 && archive.name === normalizePypiName(egg) ? archive.version : "",
      hashes: [...hashes, ...fragmentHashes(location)],
      qualifiers: urlQualifiers(location),
      pinned: false,
      fromUrl: true
    };
  }
  const name = NAME.exec(spec)?.[1];
  if (name === void 0)
    throw lockfileError(path, line, `cannot read ${JSON.stringify(spec.slice(0, 80))} as a requirement`);
  let rest = spec.slice(name.length).trimStart();
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1)
      throw lockfileError(path, line, `has an unclosed extras list in ${JSON.stringify(spec.slice(0, 80))}`);
    rest = rest.slice(close + 1).trimStart();
  }
  const semicolon = rest.indexOf(";");
  let specifiers = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
  if (specifiers.startsWith("(") && specifiers.endsWith(")")) specifiers = specifiers.slice(1, -1).trim();
  let version = "";
  if (specifiers !== "") {
    for (const clause of specifiers.split(",")) {
      const match = /^\s*(===|==|~=|!=|<=|>=|<|>)\s*([A-Za-z0-9._*+!-]+)\s*$/.exec(clause);
      if (match === null) {
        throw lockfileError(
          path,
          line,
          `cannot read ${JSON.stringify(spec.slice(0, 80))} as a requirement (bad version specifier ${JSON.stringify(clause.trim())})`
        );
      }
      const operator = match[1] ?? "";
      const value = match[2] ?? "";
      if ((operator === "==" || operator === "===") && !value.includes("*")) version = value;
    }
  }
  return { name, version, hashes, qualifiers: {}, pinned: version !== "", fromUrl: false };
}

// src/lockfiles/yaml.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/lockfiles/yaml-subset.ts
var OutsideSubset = class extends Error {
};
function outside() {
  throw new OutsideSubset();
}
var INDICATOR = /^[&*!|>%@`?]/;
function parseYamlSubset(text) {
  try {
    return new Reader(text).documents();
  } catch (error) {
    if (error instanceof OutsideSubset) return void 0;
    return void 0;
  }
}
var Reader = class {
  /** Indentation and content (comment-only and blank lines have content ''). */
  indents = [];
  contents = [];
  pos = 0;
  end = 0;
  constructor(text) {
    let start = 0;
    while (start <= text.length) {
      let stop = text.indexOf("\n", start);
      if (stop === -1) stop = text.length;
      let line = text.slice(start, stop);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent += 1;
      const rest = line.slice(indent);
      if (rest.startsWith("	")) outside();
      this.indents.push(indent);
      this.contents.push(rest.startsWith("#") ? "" : rest);
      start = stop + 1;
    }
  }
  documents() {
    const starts = [];
    for (let i = 0; i < this.contents.length; i += 1) {
      const content = this.contents[i] ?? "";
      if (this.indents[i] === 0 && (content === "---" || content.startsWith("--- "))) {
        if (content !== "---") outside();
        starts.push(i);
      }
      if (this.indents[i] === 0 && (content === "..." || content.startsWith("%"))) outside();
    }
    const bounds = [];
    let from = 0;
    for (const at of starts) {
      bounds.push([from, at]);
      from = at + 1;
    }
    bounds.push([from, this.contents.length]);
    const first = bounds[0];
    if (first !== void 0 && this.isBlank(first[0], first[1])) {
      if (starts.length === 0) return [null];
      bounds.shift();
    }
    return bounds.map(([start, stop]) => this.document(start, stop));
  }
  isBlank(start, stop) {
    for (let i = start; i < stop; i += 1) if (this.contents[i] !== "") return false;
    return true;
  }
  document(start, stop) {
    this.pos = start;
    this.end = stop;
    this.skipBlank();
    if (this.pos >= this.end) return "";
    if (this.indents[this.pos] !== 0) outside();
    const value = this.block(-1);
    this.skipBlank();
    if (this.pos < this.end) outside();
    return value;
  }
  skipBlank() {
    while (this.pos < this.end && this.contents[this.pos] === "") this.pos += 1;
  }
  /** The block node starting at the current line, which must be indented more than `parent`. */
  block(parent) {
    this.skipBlank();
    if (this.pos >= this.end) return "";
    const indent = this.indents[this.pos] ?? 0;
    if (indent <= parent) return "";
    const content = this.contents[this.pos] ?? "";
    if (isSequenceItem(content)) return this.sequence(indent);
    if (keyEnd(content) !== void 0) return this.mapping(indent);
    return outside();
  }
  sequence(indent) {
    const out = [];
    for (; ; ) {
      this.skipBlank();
      if (this.pos >= this.end) break;
      const at = this.indents[this.pos] ?? 0;
      const content = this.contents[this.pos] ?? "";
      if (at < indent || at === indent && !isSequenceItem(content)) break;
      if (at > indent) outside();
      let rest = content.slice(1);
      let column = indent + 1;
      while (rest.startsWith(" ")) {
        rest = rest.slice(1);
        column += 1;
      }
      if (rest === "" || rest.startsWith("#")) {
        this.pos += 1;
        out.push(this.block(indent));
        continue;
      }
      if (isSequenceItem(rest) || keyEnd(rest) !== void 0) {
        this.indents[this.pos] = column;
        this.contents[this.pos] = rest;
        out.push(this.block(indent));
        continue;
      }
      out.push(this.inlineValue(rest));
      this.pos += 1;
      this.noContinuation(indent);
    }
    return out;
  }
  mapping(indent) {
    const out = {};
    const seen = /* @__PURE__ */ new Set();
    for (; ; ) {
      this.skipBlank();
      if (this.pos >= this.end) break;
      const at = this.indents[this.pos] ?? 0;
      const content = this.contents[this.pos] ?? "";
      if (at < indent) break;
      if (at > indent || isSequenceItem(content)) outside();
      const split = keyEnd(content);
      if (split === void 0) outside();
      const key = readKey(content.slice(0, split.keyEnd));
      if (seen.has(key) || key === "__proto__" || key === "<<") outside();
      seen.add(key);
      const rest = content.slice(split.valueStart).trim();
      this.pos += 1;
      if (rest === "" || rest.startsWith("#")) {
        this.skipBlank();
        const next = this.pos < this.end ? this.indents[this.pos] ?? 0 : -1;
        if (next > indent) {
          out[key] = this.block(indent);
        } else if (next === indent && isSequenceItem(this.contents[this.pos] ?? "")) {
          out[key] = this.sequence(indent);
        } else {
          out[key] = "";
        }
        continue;
      }
      out[key] = this.inlineValue(rest);
      this.noContinuation(indent);
    }
    return out;
  }
  /** A line more indented than its scalar's node continues the scalar: multi-line, not ours. */
  noContinuation(indent) {
    this.skipBlank();
    if (this.pos < this.end && (this.indents[this.pos] ?? 0) > indent) outside();
  }
  /** A value on the same line as its key or dash: a one-line scalar or flow collection. */
  inlineValue(text) {
    const c = text[0];
    if (c === "{" || c === "[") {
      const flow = new Flow(text);
      const value = flow.value();
      flow.end();
      return value;
    }
    if (c === "'" || c === '"') {
      const { value, next } = quoted(text, 0);
      const rest = text.slice(next).trim();
      if (rest !== "" && !rest.startsWith("#")) outside();
      return value;
    }
    return plainBlockScalar(text);
  }
};
function isSequenceItem(content) {
  return content === "-" || content.startsWith("- ");
}
function keyEnd(content) {
  const c = content[0];
  if (c === "'" || c === '"') {
    let next;
    try {
      next = quoted(content, 0).next;
    } catch (error) {
      if (error instanceof OutsideSubset) return void 0;
      throw error;
    }
    let i = next;
    while (content[i] === " ") i += 1;
    if (content[i] !== ":") return void 0;
    if (i + 1 < content.length && content[i + 1] !== " ") return void 0;
    return { keyEnd: next, valueStart: i + 1 };
  }
  if (c === "{" || c === "[" || c === "#" || c === void 0) return void 0;
  for (let i = 0; i < content.length; i += 1) {
    const ch = content[i];
    if (ch === "#" && content[i - 1] === " ") return void 0;
    if (ch === ":" && (i + 1 === content.length || content[i + 1] === " ")) {
      return { keyEnd: i, valueStart: i + 1 };
    }
  }
  return void 0;
}
function readKey(text) {
  const c = text[0];
  if (c === "'" || c === '"') return quoted(text, 0).value;
  const key = text.trimEnd();
  if (key === "" || /^[&*!|>%@`?,[\]{}#'"-]/.test(key) || key.includes(" #") || key.includes("	")) outside();
  return key;
}
function plainBlockScalar(text) {
  let end = text.length;
  const comment = text.indexOf(" #");
  if (comment !== -1) end = comment;
  const value = text.slice(0, end).trim();
  if (value === "") return "";
  if (INDICATOR.test(value) || /^[,[\]{}#]/.test(value)) outside();
  if (/^[-:?](?: |$)/.test(value)) outside();
  if (value.includes(": ") || value.endsWith(":") || value.includes("	")) outside();
  return value;
}
var ESCAPES = {
  "\\": "\\",
  '"': '"',
  "/": "/",
  n: "\n",
  t: "	",
  r: "\r",
  "0": "\0",
  " ": " "
};
function quoted(text, start) {
  const quote = text[start];
  let out = "";
  let i = start + 1;
  if (quote === "'") {
    for (; ; ) {
      const close = text.indexOf("'", i);
      if (close === -1) outside();
      out += text.slice(i, close);
      if (text[close + 1] === "'") {
        out += "'";
        i = close + 2;
        continue;
      }
      return { value: out, next: close + 1 };
    }
  }
  for (; ; ) {
    let j = i;
    while (j < text.length && text[j] !== '"' && text[j] !== "\\") j += 1;
    if (j >= text.length) outside();
    out += text.slice(i, j);
    if (text[j] === '"') return { value: out, next: j + 1 };
    const e = text[j + 1] ?? "";
    const simple = ESCAPES[e];
    if (simple !== void 0) {
      out += simple;
      i = j + 2;
    } else if (e === "u" || e === "x") {
      const digits = e === "u" ? 4 : 2;
      const hex = text.slice(j + 2, j + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) outside();
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i = j + 2 + digits;
    } else {
      outside();
    }
  }
}
var Flow = class {
  constructor(text) {
    this.text = text;
  }
  text;
  i = 0;
  depth = 0;
  end() {
    this.space();
    if (this.i < this.text.length && this.text[this.i] !== "#") outside();
    if (this.i < this.text.length && this.text[this.i - 1] !== " ") outside();
  }
  space() {
    while (this.text[this.i] === " ") this.i += 1;
  }
  value() {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.map();
    if (c === "[") return this.seq();
    if (c === "'" || c === '"') {
      const { value, next } = quoted(this.text, this.i);
      this.i = next;
      return value;
    }
    return this.plain();
  }
  plain() {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === "," || c === "]" || c === "}" || c === "[" || c === "{") break;
      if (c === ":" && [" ", ",", "]", "}", void 0].includes(this.text[this.i + 1])) break;
      if (c === "#" && this.text[this.i - 1] === " ") outside();
      this.i += 1;
    }
    const value = this.text.slice(start, this.i).trim();
    if (value === "" || INDICATOR.test(value) || /^[-:?](?: |$)/.test(value)) outside();
    return value;
  }
  map() {
    this.enter();
    this.i += 1;
    const out = {};
    const seen = /* @__PURE__ */ new Set();
    for (; ; ) {
      this.space();
      if (this.text[this.i] === "}") {
        this.i += 1;
        break;
      }
      const key = this.value();
      if (typeof key !== "string" || seen.has(key) || key === "__proto__" || key === "<<") outside();
      seen.add(key);
      this.space();
      if (this.text[this.i] !== ":") outside();
      this.i += 1;
      this.space();
      const c = this.text[this.i];
      out[key] = c === "," || c === "}" ? "" : this.value();
      this.space();
      if (this.text[this.i] === ",") this.i += 1;
      else if (this.text[this.i] !== "}") outside();
    }
    this.depth -= 1;
    return out;
  }
  seq() {
    this.enter();
    this.i += 1;
    const out = [];
    for (; ; ) {
      this.space();
      if (this.text[this.i] === "]") {
        this.i += 1;
        break;
      }
      out.push(this.value());
      this.space();
      if (this.text[this.i] === ",") this.i += 1;
      else if (this.text[this.i] !== "]") outside();
    }
    this.depth -= 1;
    return out;
  }
  enter() {
    this.depth += 1;
    if (this.depth > 16) outside();
  }
};

// src/lockfiles/yaml.ts
var MAX_ALIAS_COUNT = 20;
var MAX_FLOW_DEPTH = 64;
var MAX_INDENT = 256;
var MAX_DOCUMENTS = 8;
var OPTIONS = {
  schema: "failsafe",
  // The `yaml` package checks key uniqueness by scanning the map for every key, which is
  // quadratic in a map's size (a 50k-package lockfile took 45 s); checkUniqueKeys does it with a Set.
  uniqueKeys: false,
  logLevel: "error",
  // Pretty errors quote the source around the error; on hostile input that costs more than the file.
  prettyErrors: false
};
function parseYamlLockfile(text, file) {
  const docs = parseYamlDocuments(text, file, 1);
  return docs[0];
}
function parseYamlDocuments(text, file, max = MAX_DOCUMENTS) {
  checkFlowDepth(text, file);
  checkIndent(text, file);
  const subset = parseYamlSubset(text);
  if (subset !== void 0 && subset.length <= max) return subset;
  try {
    const docs = (0, import_yaml2.parseAllDocuments)(text, OPTIONS);
    if ("empty" in docs) return [null];
    const extra = docs[max];
    if (extra !== void 0) {
      throw lockfileError(
        file,
        lineAtOffset(text, extra.range[0]),
        max === 1 ? "holds more than one YAML document (a `---` line starts another)" : `holds more than ${max} YAML documents`
      );
    }
    return docs.map((doc) => {
      const error = doc.errors[0];
      if (error !== void 0) throw error;
      checkUniqueKeys(doc, text, file);
      return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    });
  } catch (error) {
    if (error instanceof import_yaml2.YAMLParseError) {
      throw lockfileError(
        file,
        lineAtOffset(text, error.pos[0]),
        `is not valid YAML (${error.message})`,
        void 0,
        error
      );
    }
    if (error instanceof ReferenceError) {
      throw lockfileError(
        file,
        firstAliasLine(text),
        `uses YAML aliases that expand too far (more than ${MAX_ALIAS_COUNT}); this looks like an alias bomb`,
        "use the lockfile your package manager wrote; they contain no aliases",
        error
      );
    }
    if (error instanceof RangeError) {
      throw lockfileError(file, 1, `nests too deeply to read (${error.message})`, void 0, error);
    }
    throw error;
  }
}
function checkUniqueKeys(doc, text, file) {
  const stack = [doc.contents];
  for (let node = stack.pop(); node !== void 0; node = stack.pop()) {
    if ((0, import_yaml2.isSeq)(node)) {
      for (const item of node.items) stack.push(item);
    } else if ((0, import_yaml2.isMap)(node)) {
      const seen = /* @__PURE__ */ new Set();
      for (const { key, value } of node.items) {
        if ((0, import_yaml2.isScalar)(key)) {
          const name = String(key.value);
          if (seen.has(name)) {
            throw lockfileError(
              file,
              lineAtOffset(text, key.range?.[0] ?? 0),
              `repeats the key ${JSON.stringify(name.slice(0, 80))} in one mapping`
            );
          }
          seen.add(name);
        }
        stack.push(value);
      }
    }
  }
}
function checkIndent(text, file) {
  const deep = new RegExp(`^ {${MAX_INDENT + 1}}`, "m").exec(text);
  if (deep !== null) {
    throw lockfileError(
      file,
      lineAtOffset(text, deep.index),
      `is indented more than ${MAX_INDENT} columns`,
      "use the lockfile your package manager wrote; they nest a few levels"
    );
  }
}
function checkFlowDepth(text, file) {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) {
        throw lockfileError(
          file,
          lineAtOffset(text, i),
          `nests YAML flow collections more than ${MAX_FLOW_DEPTH} deep`,
          "use the lockfile your package manager wrote; they nest one or two levels"
        );
      }
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth -= 1;
    }
  }
}
function firstAliasLine(text) {
  const lines = splitLines(text);
  const index = lines.findIndex((line) => /(^|[\s,[{])\*[^\s,\]}]/.test(line));
  return index === -1 ? 1 : index + 1;
}

// src/lockfiles/conda.ts
var condaEnvironmentParser = {
  kind: "conda",
  matches: (path) => /(^|\/)environment(?:[-_.][\w.-]*)?\.ya?ml$/.test(path),
  parse: parseCondaEnvironment
};
var condaExplicitParser = {
  kind: "conda-explicit",
  matches: (path) => /(^|\/)(?:conda-[\w.-]+\.lock|spec-file\.txt|[\w.-]*explicit[\w.-]*\.txt)$/.test(path),
  parse: async (input) => parseCondaExplicit(input)
};
var Locator = class {
  constructor(text) {
    this.text = text;
  }
  text;
  offset = 0;
  line = 1;
  /** The line of the next occurrence of `needle` (the first, when none follows the last match). */
  lineOf(needle) {
    let at = this.text.indexOf(needle, this.offset);
    if (at === -1) {
      at = this.text.indexOf(needle);
      if (at === -1) return this.line;
      this.offset = 0;
      this.line = 1;
    }
    this.line += countNewlines(this.text, this.offset, at);
    this.offset = at;
    const found = this.line;
    this.line += countNewlines(this.text, at, at + needle.length);
    this.offset = at + needle.length;
    return found;
  }
};
function countNewlines(text, from, to) {
  let count = 0;
  for (let at = text.indexOf("\n", from); at !== -1 && at < to; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}
function readMatchSpec(spec) {
  const match = /^(?:([^\s:]+)::)?([A-Za-z0-9_][A-Za-z0-9_.+-]*)\s*(.*)$/.exec(spec.trim());
  if (match === null) return void 0;
  const [, channel, name = "", rest = ""] = match;
  let version = "";
  let build;
  if (rest.startsWith("==")) {
    version = rest.slice(2).trim();
  } else if (rest.startsWith("=")) {
    [version = "", build] = rest.slice(1).trim().split("=");
  } else if (rest !== "" && /^[A-Za-z0-9]/.test(rest)) {
    [version = "", build] = rest.split(/\s+/);
  } else if (rest !== "" && !/^(?:[<>!~]|\[)/.test(rest)) {
    return void 0;
  }
  if (/[*<>!|,~\s[\]]/.test(version)) return { name, version: "", channel };
  return { name, version, channel, build };
}
var TEMPLATE_LINE = /^(?!\s*#).*(?:\{\{.*\}\}|\{%.*%\})/m;
async function parseCondaEnvironment({ path, text, readInclude }) {
  const template = TEMPLATE_LINE.exec(text);
  if (template !== null) {
    return {
      packages: [],
      notes: [],
      notALockfile: `line ${lineAtOffset(text, template.index)} is a template line (\`{{ }}\` or \`{% %}\`)`
    };
  }
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc)) {
    return { packages: [], notes: [], notALockfile: "it is not a YAML mapping with `dependencies:`" };
  }
  if (!("dependencies" in doc)) {
    return { packages: [], notes: [], notALockfile: "it has no `dependencies:` list" };
  }
  const dependencies = doc["dependencies"] ?? [];
  const locate = new Locator(text);
  const dependenciesLine = locate.lineOf("dependencies");
  if (dependencies === "") return finishPackages([]);
  if (!Array.isArray(dependencies))
    throw lockfileError(path, dependenciesLine, "`dependencies` must be a list");
  const out = [];
  const notes = [];
  for (const item of dependencies) {
    if (typeof item === "string") {
      const line = locate.lineOf(item);
      const spec = readMatchSpec(item);
      if (spec === void 0)
        throw lockfileError(
          path,
          line,
          `cannot read ${JSON.stringify(item.slice(0, 80))} as a conda package spec`
        );
      out.push(
        makePackage({
          purl: condaPurl(spec.name, spec.version, { build: spec.build, channel: spec.channel }),
          name: spec.name,
          version: spec.version,
          ecosystem: "conda"
        })
      );
      continue;
    }
    if (isRecord(item) && Object.keys(item).length === 1 && Array.isArray(item["pip"])) {
      const pipLine = locate.lineOf("pip");
      const lines = item["pip"].map((entry) => {
        if (typeof entry !== "string")
          throw lockfileError(path, pipLine, "the `pip:` list must hold requirement strings");
        return { text: entry, line: locate.lineOf(entry) };
      });
      const pip = await parsePipLines({ path, readInclude }, lines);
      out.push(...pip.packages);
      notes.push(...pip.notes);
      continue;
    }
    const first = isRecord(item) ? Object.keys(item)[0] : void 0;
    throw lockfileError(
      path,
      locate.lineOf(first ?? "-"),
      "`dependencies` items must be package specs or a `pip:` list"
    );
  }
  return finishPackages(out, notes);
}
var ARCHIVE = /^(.+)-([^-]+)-([^-]+)\.(tar\.bz2|conda)$/;
function channelOf(url, dirs) {
  if (url.hostname === "conda.anaconda.org" || url.hostname === "repo.anaconda.com") {
    const start = dirs[0] === "t" ? 2 : 0;
    const channel = dirs.slice(start).filter((dir) => dir !== "pkgs");
    return channel.join("/");
  }
  return `${url.protocol}//${url.host}/${dirs.join("/")}`;
}
function digestOf(fragment) {
  if (fragment === "") return void 0;
  if (/^[0-9a-f]{32}$/i.test(fragment)) return `md5:${fragment.toLowerCase()}`;
  if (/^[0-9a-f]{64}$/i.test(fragment)) return `sha256:${fragment.toLowerCase()}`;
  if (/^(?:md5|sha256):[0-9a-f]+$/i.test(fragment)) return fragment.toLowerCase();
  return void 0;
}
function decodePathSegment(path, line, segment) {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw lockfileError(
      path,
      line,
      `has a malformed percent-escape in ${JSON.stringify(segment.slice(0, 80))}`,
      void 0,
      error
    );
  }
}
function condaPackageAt(path, line, location) {
  let url;
  try {
    url = new URL(location);
  } catch (error) {
    throw lockfileError(
      path,
      line,
      `cannot read ${JSON.stringify(location.slice(0, 80))} as a package URL`,
      void 0,
      error
    );
  }
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  const file = decodePathSegment(path, line, segments.pop() ?? "");
  const subdir = segments.pop();
  const archive = ARCHIVE.exec(file);
  if (archive === null || subdir === void 0) {
    throw lockfileError(
      path,
      line,
      `${JSON.stringify(file)} is not a conda package file name (name-version-build.conda or .tar.bz2)`
    );
  }
  const [, name = "", version = "", build = "", type = ""] = archive;
  return {
    name,
    version,
    purl: condaPurl(name, version, { build, channel: channelOf(url, segments), subdir, type })
  };
}
function parseCondaExplicit({ path, text }) {
  if (!/^\s*@EXPLICIT\s*$/m.test(text)) {
    return { packages: [], notes: [], notALockfile: "it has no @EXPLICIT line" };
  }
  const out = [];
  let explicit = false;
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    if (trimmed === "@EXPLICIT") {
      explicit = true;
      return;
    }
    if (!explicit)
      throw lockfileError(
        path,
        line,
        "has content before the @EXPLICIT line; is it a conda explicit lock file?"
      );
    const hash = trimmed.indexOf("#");
    const location = hash === -1 ? trimmed : trimmed.slice(0, hash);
    const fragment = hash === -1 ? "" : trimmed.slice(hash + 1);
    const { name, version, purl } = condaPackageAt(path, line, location);
    const digest = digestOf(fragment);
    if (fragment !== "" && digest === void 0) {
      throw lockfileError(
        path,
        line,
        `has an unreadable digest #${fragment.slice(0, 80)} (expected an md5 or sha256 hex digest)`
      );
    }
    out.push(makePackage({ purl, name, version, ecosystem: "conda", integrity: digest }));
  });
  return finishPackages(out);
}

// src/lockfiles/conda-lock.ts
var condaLockParser = {
  kind: "conda-lock",
  matches: (path) => /(^|\/)(?:[\w.-]+[.-])?conda-lock\.ya?ml$/.test(path),
  parse: async (input) => parseCondaLock(input)
};
var HEX = /^[0-9a-f]+$/i;
function parseCondaLock({ path, text }) {
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc) || doc["version"] === void 0 || !Array.isArray(doc["package"])) {
    throw lockfileError(
      path,
      1,
      "has no `version` and `package` list; is it a conda-lock.yml written by conda-lock?",
      "regenerate it with `conda-lock lock`"
    );
  }
  if (doc["version"] !== "1") {
    throw lockfileError(
      path,
      lineOf2(text, "version:"),
      `has version ${JSON.stringify(doc["version"])}; model-ledger reads conda-lock's version 1 format`,
      "regenerate it with conda-lock 2 or later (`conda-lock lock`)"
    );
  }
  const out = [];
  doc["package"].forEach((item, index) => {
    const where = `package ${index + 1}`;
    const fail = (needle, message) => lockfileError(path, lineOf2(text, needle), `${where}: ${message}`);
    if (!isRecord(item)) throw fail("package:", "must be a mapping");
    const field2 = (member) => {
      const value = item[member];
      if (typeof value !== "string" || value === "")
        throw fail(
          typeof item["name"] === "string" ? `name: ${item["name"]}` : "package:",
          `needs a "${member}"`
        );
      return value;
    };
    const name = field2("name");
    const version = field2("version");
    const manager = field2("manager");
    const url = field2("url");
    const line = lineOf2(text, url);
    const integrity = joinDigests(digests(item, (message) => fail(url, message)));
    const category = typeof item["category"] === "string" ? item["category"] : void 0;
    const dev = category === "main" ? false : category === "dev" ? true : void 0;
    if (manager === "conda") {
      const pkg = condaPackageAt(path, line, url);
      out.push(makePackage({ ...pkg, ecosystem: "conda", integrity, dev, from: field2("platform") }));
    } else if (manager === "pip") {
      out.push(
        makePackage({
          purl: pypiPurl(name, version),
          name,
          version,
          ecosystem: "pypi",
          integrity,
          dev,
          from: field2("platform")
        })
      );
    } else {
      throw fail(withoutCredentials(url), `has manager ${JSON.stringify(manager)}; expected conda or pip`);
    }
  });
  return finishPackages(out);
}
function digests(item, fail) {
  const hash = item["hash"];
  if (hash === void 0) return [];
  if (!isRecord(hash)) throw fail('"hash" must be a mapping of algorithm to hex digest');
  const out = [];
  for (const [algorithm, value] of Object.entries(hash)) {
    if (typeof value !== "string" || !HEX.test(value)) throw fail(`hash.${algorithm} must be a hex digest`);
    out.push(`${algorithm.toLowerCase()}:${value.toLowerCase()}`);
  }
  return out;
}

// src/lockfiles/gosum.ts
import { posix as posix2 } from "node:path";
var goSumParser = {
  kind: "go",
  matches: (path) => /(^|\/)go\.sum$/.test(path),
  parse: parseGoModules
};
function readGoSum({ path, text }) {
  const modules = /* @__PURE__ */ new Map();
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    const fields = line.split(/\s+/);
    const [module = "", rawVersion = "", hash = ""] = fields;
    if (fields.length !== 3 || !/^v\d/.test(rawVersion) || !/^h\d+:[A-Za-z0-9+/]+=*$/.test(hash)) {
      throw lockfileError(
        path,
        index + 1,
        `cannot read ${JSON.stringify(line.slice(0, 80))} as \`module version h1:hash\``,
        "regenerate it with `go mod tidy`"
      );
    }
    const isGoMod = rawVersion.endsWith("/go.mod");
    const version = isGoMod ? rawVersion.slice(0, -"/go.mod".length) : rawVersion;
    const key = `${module}@${version}`;
    const entry = modules.get(key) ?? { module, version };
    if (!isGoMod) entry.hash = hash;
    modules.set(key, entry);
  });
  return modules;
}
function tokens(text) {
  const out = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    out.push(match[1] !== void 0 ? match[1].replace(/\\(.)/g, "$1") : match[2] ?? match[3] ?? "");
  }
  return out;
}
function splitComment(line) {
  let quote = "";
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? "";
    if (quote !== "") {
      if (c === "\\" && quote === '"') i += 1;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "`") {
      quote = c;
    } else if (c === "/" && line[i + 1] === "/") {
      return { content: line.slice(0, i), comment: line.slice(i + 2).trim() };
    }
  }
  return { content: line, comment: "" };
}
function parseGoMod({ path, text }) {
  const requires = [];
  const replaces = [];
  let block;
  const fail = (line, what, content) => lockfileError(
    path,
    line,
    `cannot read ${JSON.stringify(content.trim().slice(0, 80))} as a ${what} line`,
    "fix it with `go mod tidy`"
  );
  const directive = (verb, args, line, content, comment) => {
    if (verb === "require") {
      const [module, version] = args;
      if (args.length !== 2 || module === void 0 || version === void 0 || !/^v\d/.test(version))
        throw fail(line, "require", content);
      requires.push({ module, version, indirect: /^indirect\b/.test(comment), line });
    } else if (verb === "replace") {
      const arrow = args.indexOf("=>");
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow === -1 || left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2)
        throw fail(line, "replace", content);
      const [module = "", version] = left;
      const [target = "", targetVersion] = right;
      replaces.push({ module, version, target, targetVersion });
    }
  };
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const { content, comment } = splitComment(raw);
    const words = tokens(content);
    if (words.length === 0) return;
    if (block !== void 0) {
      if (words.length === 1 && words[0] === ")") {
        block = void 0;
        return;
      }
      directive(block, words, line, content, comment);
      return;
    }
    const [verb = "", ...args] = words;
    if (args.length === 1 && args[0] === "(") {
      block = verb;
      return;
    }
    if (args.length === 2 && args[0] === "(" && args[1] === ")" || args.length === 1 && args[0] === "()")
      return;
    directive(verb, args, line, content, comment);
  });
  if (block !== void 0)
    throw lockfileError(path, splitLines(text).length, `has a ${block} block that is never closed`);
  return { requires, replaces };
}
function isLocalPath(target) {
  return /^(?:\.\.?(?:\/|\\|$)|\/|[A-Za-z]:[\\/])/.test(target);
}
async function readGoMod(input) {
  const goModPath = posix2.join(posix2.dirname(input.path), "go.mod");
  if (input.readInclude === void 0) return { missing: "go.mod cannot be read here" };
  try {
    return { source: await input.readInclude(goModPath) };
  } catch (error) {
    if (error instanceof LedgerError && error.code === "BAD_INPUT")
      return { missing: error.message.split(" \u2014 ")[0] ?? error.message };
    throw lockfileError(input.path, 1, `cannot read ${goModPath}: ${describeError(error)}`, void 0, error);
  }
}
async function parseGoModules(input) {
  const sums = readGoSum(input);
  const goMod = await readGoMod(input);
  if (goMod.source === void 0) return fromGoSumOnly(input.path, sums, goMod.missing ?? "");
  const { requires, replaces } = parseGoMod(goMod.source);
  const notes = [];
  const out = [];
  const used = /* @__PURE__ */ new Set();
  for (const requirement of requires) {
    const replacement = replaces.find((r) => r.module === requirement.module && r.version === requirement.version) ?? replaces.find((r) => r.module === requirement.module && r.version === void 0);
    let module = requirement.module;
    let version = requirement.version;
    if (replacement !== void 0) {
      if (replacement.targetVersion === void 0 || isLocalPath(replacement.target)) {
        notes.push(
          `${goMod.source.path}: line ${requirement.line}: ${requirement.module} ${requirement.version} is replaced by the folder ${replacement.target}; not recorded as a package`
        );
        continue;
      }
      module = replacement.target;
      version = replacement.targetVersion;
    }
    const key = `${module}@${version}`;
    used.add(key);
    out.push(
      makePackage({
        purl: golangPurl(module, version),
        name: module,
        version,
        ecosystem: "golang",
        integrity: sums.get(key)?.hash,
        direct: !requirement.indirect
      })
    );
  }
  const unselected = [...sums.keys()].filter((key) => !used.has(key)).length;
  if (unselected > 0) {
    notes.push(
      `${input.path}: ${unselected} module version${unselected === 1 ? "" : "s"} in go.sum that ${goMod.source.path} does not select ${unselected === 1 ? "is" : "are"} not recorded`
    );
  }
  return finishPackages(out, notes);
}
function fromGoSumOnly(path, sums, missing) {
  const out = [];
  for (const { module, version, hash } of sums.values()) {
    if (hash === void 0) continue;
    out.push(
      makePackage({
        purl: golangPurl(module, version),
        name: module,
        version,
        ecosystem: "golang",
        integrity: hash
      })
    );
  }
  return finishPackages(out, [
    `${path}: read without go.mod (${missing}): every module go.sum has a hash for is recorded, which may include versions the build does not select`
  ]);
}

// src/lockfiles/npm.ts
var NODE_MODULES = "node_modules/";
var npmParser = {
  kind: "npm",
  matches: (path) => /(^|\/)(package-lock|npm-shrinkwrap)\.json$/.test(path),
  parse: async (input) => parseNpmLockfile(input)
};
function parseNpmLockfile({ path, text }) {
  const doc = parseJsonLockfile(text, path);
  if (!isRecord(doc))
    throw lockfileError(path, 1, 'is not a JSON object; a package-lock.json starts with "{"');
  const root = new JsonFields(path, text, "", doc);
  const version = doc["lockfileVersion"];
  const line = () => jsonKeyLine(text, "lockfileVersion");
  if (version === void 0) {
    throw lockfileError(path, 1, 'has no "lockfileVersion"; is it a package-lock.json written by npm?');
  }
  if (version !== 1 && version !== 2 && version !== 3) {
    throw lockfileError(
      path,
      line(),
      `has lockfileVersion ${JSON.stringify(version)}; model-ledger reads versions 1, 2 and 3`,
      "regenerate it with npm 7 or later (`npm install --package-lock-only`)"
    );
  }
  if (version === 1) return finishPackages(fromDependencies(path, text, root));
  const packages = root.optionalObject("packages");
  if (packages === void 0) {
    throw lockfileError(path, line(), `has lockfileVersion ${version} but no "packages" object`);
  }
  return finishPackages(fromPackages(path, text, packages));
}
function nameFromInstallPath(installPath) {
  const at = installPath.lastIndexOf(NODE_MODULES);
  return installPath.slice(at + NODE_MODULES.length);
}
function fromPackages(path, text, packages) {
  const projects = /* @__PURE__ */ new Map();
  for (const [installPath, value] of Object.entries(packages)) {
    if (installPath.includes(NODE_MODULES)) continue;
    if (!isRecord(value))
      throw lockfileError(path, jsonKeyLine(text, installPath), `entry "${installPath}" must be an object`);
    const entry = new JsonFields(path, text, installPath, value);
    const declared = /* @__PURE__ */ new Set();
    for (const member of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
      for (const name of entry.keysOf(member)) declared.add(name);
    }
    projects.set(installPath, declared);
  }
  const out = [];
  for (const [installPath, value] of Object.entries(packages)) {
    const at = installPath.lastIndexOf(NODE_MODULES);
    if (at === -1) continue;
    if (!isRecord(value))
      throw lockfileError(path, jsonKeyLine(text, installPath), `entry "${installPath}" must be an object`);
    const entry = new JsonFields(path, text, installPath, value);
    if (entry.optionalBoolean("link") === true) continue;
    const installedAs = nameFromInstallPath(installPath);
    if (installedAs === "")
      throw entry.fail(`entry "${installPath}" has no package name after node_modules/`);
    const name = entry.optionalString("name") ?? installedAs;
    const version = entry.optionalString("version") ?? "";
    const parent = at === 0 ? "" : installPath.slice(0, at - 1);
    const declared = projects.get(parent);
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: "npm",
        integrity: entry.optionalString("integrity"),
        // Without a root entry (`""`) nothing says what the project declared.
        direct: projects.size === 0 ? void 0 : declared !== void 0 && declared.has(installedAs),
        dev: entry.optionalBoolean("dev") === true,
        from: installPath
      })
    );
  }
  return out;
}
function fromDependencies(path, text, root) {
  const out = [];
  const stack = [{ holder: root, at: "" }];
  for (let top = stack.pop(); top !== void 0; top = stack.pop()) {
    const { holder, at } = top;
    const dependencies = holder.optionalObject("dependencies");
    if (dependencies === void 0) continue;
    for (const [name, value] of Object.entries(dependencies)) {
      if (!isRecord(value))
        throw lockfileError(path, jsonKeyLine(text, name), `dependency "${name}" must be an object`);
      const entry = new JsonFields(path, text, name, value);
      const { name: realName, version } = unalias(name, entry.optionalString("version") ?? "");
      out.push(
        makePackage({
          purl: npmPurl(realName, version),
          name: realName,
          version,
          ecosystem: "npm",
          integrity: entry.optionalString("integrity"),
          dev: entry.optionalBoolean("dev") === true,
          from: `${at}dependencies.${name}`
        })
      );
      stack.push({ holder: entry, at: `${at}dependencies.${name}.` });
    }
  }
  return out;
}
function unalias(name, version) {
  if (!version.startsWith("npm:")) return { name, version };
  const spec = version.slice("npm:".length);
  const at = spec.lastIndexOf("@");
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name, version };
}

// src/lockfiles/pipfile.ts
var pipfileParser = {
  kind: "pipenv",
  matches: (path) => /(^|\/)Pipfile\.lock$/.test(path),
  parse: async (input) => parsePipfileLock(input)
};
function parsePipfileLock({ path, text }) {
  const doc = parseJsonLockfile(text, path);
  if (!isRecord(doc) || !isRecord(doc["_meta"])) {
    throw lockfileError(path, 1, 'has no "_meta" object; is it a Pipfile.lock written by pipenv?');
  }
  const root = new JsonFields(path, text, "", doc);
  const out = [];
  const notes = [];
  for (const section of ["default", "develop"]) {
    const packages = root.optionalObject(section) ?? {};
    for (const [name, value] of Object.entries(packages)) {
      if (!isRecord(value))
        throw lockfileError(path, jsonKeyLine(text, name), `${section}.${name} must be an object`);
      const entry = new JsonFields(path, text, name, value);
      const pinned = entry.optionalString("version");
      const version = pinned === void 0 ? "" : pinned.replace(/^===?/, "");
      const git2 = entry.optionalString("git");
      const file = entry.optionalString("file");
      const qualifiers = {};
      if (git2 !== void 0) {
        const ref = entry.optionalString("ref");
        qualifiers["vcs_url"] = `git+${withoutCredentials(git2)}${ref ? `@${ref}` : ""}`;
      } else if (file !== void 0 && /^https?:\/\//.test(file)) {
        qualifiers["download_url"] = withoutCredentials(file);
      } else if (entry.optionalString("path") !== void 0 && pinned === void 0) {
        notes.push(`${path}: ${section}.${name} is a local path without a version; recorded with version ""`);
      }
      out.push(
        makePackage({
          purl: pypiPurl(name, version, qualifiers),
          name,
          version,
          ecosystem: "pypi",
          integrity: joinDigests(entry.optionalStringArray("hashes") ?? []),
          dev: section === "develop",
          from: section
        })
      );
    }
  }
  return finishPackages(out, notes);
}

// src/lockfiles/pnpm.ts
var pnpmParser = {
  kind: "pnpm",
  matches: (path) => /(^|\/)pnpm-lock\.yaml$/.test(path),
  parse: async (input) => parsePnpmLockfile(input)
};
var DEPENDENCY_GROUPS = ["dependencies", "devDependencies", "optionalDependencies"];
var Reader2 = class {
  constructor(path, text) {
    this.path = path;
    this.text = text;
  }
  path;
  text;
  fail(key, message) {
    return lockfileError(this.path, lineOf2(this.text, key), message);
  }
  /** A mapping member of `holder`, or an empty one when absent (YAML `key:` with nothing reads as ""). */
  mapping(holder, member, where) {
    const value = holder[member];
    if (value === void 0 || value === "") return {};
    if (!isRecord(value)) throw this.fail(where, `${where}: "${member}" must be a mapping`);
    return value;
  }
  optionalString(holder, member, where) {
    const value = holder[member];
    if (value === void 0) return void 0;
    if (typeof value !== "string") throw this.fail(where, `${where}: "${member}" must be a string`);
    return value;
  }
};
function splitKey(key, layout) {
  const spec = withoutPeers(key.startsWith("/") ? key.slice(1) : key, layout);
  if (layout === "v5") {
    const slash = spec.lastIndexOf("/");
    return slash <= 0 ? { name: spec, version: "" } : { name: spec.slice(0, slash), version: spec.slice(slash + 1) };
  }
  const at = spec.indexOf("@", 1);
  return at === -1 ? { name: spec, version: "" } : { name: spec.slice(0, at), version: spec.slice(at + 1) };
}
function withoutPeers(key, layout) {
  if (layout === "v5") {
    const slash = key.lastIndexOf("/");
    const underscore = key.indexOf("_", slash + 1);
    return underscore > 0 ? key.slice(0, underscore) : key;
  }
  const paren = key.indexOf("(");
  return paren > 0 ? key.slice(0, paren) : key;
}
function parsePnpmLockfile({ path, text }) {
  const read = new Reader2(path, text);
  const docs = parseYamlDocuments(text, path, 2);
  if (docs.length === 1) return finishPackages(readDocument(read, docs[0]));
  const envIndex = isEnvironmentDocument(docs[1]) && !isEnvironmentDocument(docs[0]) ? 1 : 0;
  const env = readDocument(read, docs[envIndex]).map((pkg) => ({ ...pkg, direct: false }));
  const project = readDocument(read, docs[1 - envIndex]);
  const notes = env.length === 0 ? [] : [
    `${path}: ${env.length} package${env.length === 1 ? "" : "s"} from pnpm's environment lockfile (the ${envIndex === 0 ? "first" : "second"} YAML document: config dependencies and the package manager) recorded with the project's: ${env.slice(0, 5).map((pkg) => `${pkg.name}@${pkg.version}`).join(", ")}${env.length > 5 ? ", \u2026" : ""}`
  ];
  return finishPackages([...env, ...project], notes);
}
function isEnvironmentDocument(doc) {
  if (!isRecord(doc) || !isRecord(doc["importers"])) return false;
  const importers = Object.values(doc["importers"]);
  return importers.length > 0 && importers.every(
    (importer) => isRecord(importer) && ("configDependencies" in importer || "packageManagerDependencies" in importer) && DEPENDENCY_GROUPS.every((group) => !(group in importer))
  );
}
function readDocument(read, doc) {
  const { path, text } = read;
  if (!isRecord(doc)) throw lockfileError(path, 1, "is not a YAML mapping; is it a pnpm-lock.yaml?");
  const lockfileVersion = doc["lockfileVersion"];
  if (typeof lockfileVersion !== "string") {
    throw lockfileError(
      path,
      lineOf2(text, "lockfileVersion"),
      "has no lockfileVersion; is it a pnpm-lock.yaml written by pnpm?"
    );
  }
  const major = Number.parseInt(lockfileVersion, 10);
  if (major !== 5 && major !== 6 && major !== 7 && major !== 9) {
    throw lockfileError(
      path,
      lineOf2(text, "lockfileVersion"),
      `has lockfileVersion ${lockfileVersion}; model-ledger reads pnpm lockfile versions 5, 6 and 9`,
      "regenerate it with pnpm 7 or later (`pnpm install --lockfile-only`)"
    );
  }
  const layout = major === 5 ? "v5" : major === 9 ? "v9" : "v6";
  const v9 = layout === "v9";
  const peerless = (key) => withoutPeers(key, layout);
  const packages = read.mapping(doc, "packages", "the top level");
  const snapshots = v9 ? read.mapping(doc, "snapshots", "the top level") : packages;
  const importers = doc["importers"] !== void 0 ? Object.entries(read.mapping(doc, "importers", "the top level")).map(([name, value]) => {
    if (!isRecord(value)) throw read.fail(name, `importer ${name} must be a mapping`);
    return [name, value];
  }) : [[".", doc]];
  const resolve2 = (name, ref) => {
    if (ref.startsWith("link:")) return void 0;
    const candidates = v9 ? [`${name}@${ref}`, ref] : layout === "v5" ? [`/${name}/${ref}`, ref] : [`/${name}@${ref}`, ref];
    return candidates.find((candidate) => snapshots[candidate] !== void 0);
  };
  const roots = { dependencies: [], devDependencies: [], optionalDependencies: [] };
  for (const [importer, spec] of importers) {
    for (const group of DEPENDENCY_GROUPS) {
      for (const [name, value] of Object.entries(read.mapping(spec, group, `importer ${importer}`))) {
        const ref = typeof value === "string" ? value : isRecord(value) ? read.optionalString(value, "version", name) : void 0;
        if (ref === void 0) throw read.fail(name, `importer ${importer}: ${group}.${name} has no version`);
        const key = resolve2(name, ref);
        if (key !== void 0) roots[group].push(key);
      }
    }
  }
  const direct = new Set(
    [...roots.dependencies, ...roots.devDependencies, ...roots.optionalDependencies].map(peerless)
  );
  let devOf;
  if (v9) {
    const reach = (start) => {
      const seen = /* @__PURE__ */ new Set();
      const queue = [...start];
      for (let key = queue.pop(); key !== void 0; key = queue.pop()) {
        if (seen.has(key)) continue;
        seen.add(key);
        const snapshot = snapshots[key];
        if (!isRecord(snapshot)) continue;
        for (const group of ["dependencies", "optionalDependencies"]) {
          for (const [name, ref] of Object.entries(read.mapping(snapshot, group, key))) {
            if (typeof ref !== "string")
              throw read.fail(key, `snapshot ${key}: ${group}.${name} must be a version`);
            const next = resolve2(name, ref);
            if (next !== void 0 && !seen.has(next)) queue.push(next);
          }
        }
      }
      return new Set([...seen].map(peerless));
    };
    const prod = reach([...roots.dependencies, ...roots.optionalDependencies]);
    const dev = reach(roots.devDependencies);
    devOf = (key) => prod.has(key) ? false : dev.has(key) ? true : void 0;
  } else {
    devOf = (key, entry) => read.optionalString(entry, "dev", key) === "true";
  }
  const out = [];
  for (const [key, value] of Object.entries(packages)) {
    if (!isRecord(value)) throw read.fail(key, `package ${key} must be a mapping`);
    const fromKey = splitKey(key, layout);
    const name = read.optionalString(value, "name", key) ?? fromKey.name;
    const version = read.optionalString(value, "version", key) ?? fromKey.version;
    const resolution = read.mapping(value, "resolution", key);
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: "npm",
        integrity: read.optionalString(resolution, "integrity", key),
        direct: direct.has(peerless(key)),
        dev: devOf(peerless(key), value),
        from: key
      })
    );
  }
  return out;
}

// src/lockfiles/poetry.ts
var poetryParser = {
  kind: "poetry",
  matches: (path) => /(^|\/)poetry\.lock$/.test(path),
  parse: async (input) => parsePoetryLockfile(input)
};
function parsePoetryLockfile({ path, text }) {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const metadata = read.optionalTable(doc.root, "metadata", "the lockfile");
  const metadataFiles = metadata === void 0 ? void 0 : read.optionalTable(metadata, "files", "[metadata]");
  const out = [];
  for (const pkg of read.tables(doc.root, "package", "the lockfile")) {
    const name = read.string(pkg, "name", "[[package]]");
    const what = `package ${name}`;
    const version = read.string(pkg, "version", what);
    let files = read.tables(pkg, "files", what);
    if (files.length === 0 && metadataFiles !== void 0)
      files = read.tables(metadataFiles, name, "[metadata.files]");
    const hashes = files.map((file) => read.optionalString(file, "hash", `${what}: files`) ?? "");
    out.push(
      makePackage({
        purl: pypiPurl(name, version, sourceQualifiers2(read, pkg, what)),
        name,
        version,
        ecosystem: "pypi",
        integrity: joinDigests(hashes),
        dev: devFlag(read, pkg, what)
      })
    );
  }
  return finishPackages(out);
}
function devFlag(read, pkg, what) {
  const category = read.optionalString(pkg, "category", what);
  if (category !== void 0) return category === "dev";
  if (pkg["groups"] === void 0) return void 0;
  return !read.strings(pkg, "groups", what).includes("main");
}
function sourceQualifiers2(read, pkg, what) {
  const source = read.optionalTable(pkg, "source", what);
  if (source === void 0) return {};
  const type = read.optionalString(source, "type", `${what}: source`);
  const url = read.optionalString(source, "url", `${what}: source`);
  if (url === void 0) return {};
  if (type === "git") {
    const commit = read.optionalString(source, "resolved_reference", `${what}: source`) ?? read.optionalString(source, "reference", `${what}: source`);
    return { vcs_url: `git+${withoutCredentials(url)}${commit ? `@${commit}` : ""}` };
  }
  if (type === "url") return { download_url: withoutCredentials(url) };
  if (type === "legacy") return { repository_url: withoutCredentials(url) };
  return {};
}

// src/lockfiles/uv.ts
var uvParser = {
  kind: "uv",
  matches: (path) => /(^|\/)uv\.lock$/.test(path),
  parse: async (input) => parseUvLockfile(input)
};
var DEFAULT_INDEX = "https://pypi.org/simple";
function parseUvLockfile({ path, text }) {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const lockVersion = doc.root["version"];
  if (lockVersion !== 1) {
    throw lockfileError(
      path,
      1,
      `has version ${JSON.stringify(lockVersion ?? null)}; model-ledger reads uv.lock version 1`,
      "regenerate it with a current uv (`uv lock`)"
    );
  }
  const nodes = read.tables(doc.root, "package", "the lockfile").map((table) => {
    const name = read.string(table, "name", "[[package]]");
    return { table, name, version: read.optionalString(table, "version", `package ${name}`) ?? "" };
  });
  const byName = /* @__PURE__ */ new Map();
  for (const node of nodes) {
    const key = normalizePypiName(node.name);
    byName.set(key, [...byName.get(key) ?? [], node]);
  }
  const isProject = (node) => {
    const source = read.optionalTable(node.table, "source", `package ${node.name}`) ?? {};
    return source["editable"] !== void 0 || source["virtual"] !== void 0;
  };
  const targets = (list, what) => list.flatMap((ref) => {
    const name = normalizePypiName(read.string(ref, "name", what));
    const version = read.optionalString(ref, "version", what);
    return (byName.get(name) ?? []).filter((node) => version === void 0 || node.version === version);
  });
  const groupLists = (node, key) => {
    const groups = read.optionalTable(node.table, key, `package ${node.name}`) ?? {};
    return Object.keys(groups).flatMap((group) => read.tables(groups, group, `package ${node.name}: ${key}`));
  };
  const runtimeDependencies = (node) => targets(
    [
      ...read.tables(node.table, "dependencies", `package ${node.name}`),
      ...groupLists(node, "optional-dependencies")
    ],
    `package ${node.name}: dependencies`
  );
  const reach = (start) => {
    const seen = /* @__PURE__ */ new Set();
    const queue = [...start];
    for (let node = queue.pop(); node !== void 0; node = queue.pop()) {
      if (seen.has(node)) continue;
      seen.add(node);
      for (const next of runtimeDependencies(node)) if (!seen.has(next)) queue.push(next);
    }
    return seen;
  };
  const projects = nodes.filter(isProject);
  const prodRoots = projects.flatMap(runtimeDependencies);
  const devRoots = projects.flatMap(
    (node) => targets(groupLists(node, "dev-dependencies"), `package ${node.name}: dev-dependencies`)
  );
  const direct = /* @__PURE__ */ new Set([...prodRoots, ...devRoots]);
  const prod = reach([...projects, ...prodRoots]);
  const dev = reach(devRoots);
  const out = [];
  for (const node of nodes) {
    if (isProject(node)) continue;
    const what = `package ${node.name}`;
    const artifacts = [...read.tables(node.table, "wheels", what)];
    const sdist = read.optionalTable(node.table, "sdist", what);
    if (sdist !== void 0) artifacts.push(sdist);
    const hashes = artifacts.map(
      (artifact) => read.optionalString(artifact, "hash", `${what}: wheels/sdist`) ?? ""
    );
    out.push(
      makePackage({
        purl: pypiPurl(node.name, node.version, sourceQualifiers3(read, node)),
        name: node.name,
        version: node.version,
        ecosystem: "pypi",
        integrity: joinDigests(hashes),
        direct: projects.length > 0 ? direct.has(node) : void 0,
        dev: prod.has(node) ? false : dev.has(node) ? true : void 0
      })
    );
  }
  return finishPackages(out);
}
function sourceQualifiers3(read, node) {
  const source = node.table["source"];
  if (!isTable(source)) return {};
  const what = `package ${node.name}: source`;
  const git2 = read.optionalString(source, "git", what);
  if (git2 !== void 0) {
    const [location = "", commit] = git2.split("#");
    const base = withoutCredentials(location.replace(/\?.*$/, ""));
    return { vcs_url: `git+${base}${commit ? `@${commit}` : ""}` };
  }
  const url = read.optionalString(source, "url", what);
  if (url !== void 0) return { download_url: withoutCredentials(url) };
  const registry = read.optionalString(source, "registry", what);
  if (registry !== void 0 && registry.replace(/\/+$/, "") !== DEFAULT_INDEX && /^https?:\/\//.test(registry)) {
    return { repository_url: withoutCredentials(registry) };
  }
  return {};
}

// src/lockfiles/yarn.ts
var yarnParser = {
  kind: "yarn",
  matches: (path) => /(^|\/)yarn\.lock$/.test(path),
  parse: async (input) => parseYarnLockfile(input)
};
function parseYarnLockfile(input) {
  return /^__metadata:/m.test(input.text) ? parseBerry(input) : parseClassic(input);
}
function descriptorName(descriptor) {
  const at = descriptor.indexOf("@", 1);
  if (at === -1) return { name: descriptor, range: "" };
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}
function splitHeader(header) {
  const out = [];
  let i = 0;
  while (i < header.length) {
    while (header[i] === " " || header[i] === ",") i += 1;
    if (i >= header.length) break;
    if (header[i] === '"') {
      const end = header.indexOf('"', i + 1);
      if (end === -1) return void 0;
      out.push(header.slice(i + 1, end));
      i = end + 1;
    } else {
      const comma = header.indexOf(",", i);
      const end = comma === -1 ? header.length : comma;
      out.push(header.slice(i, end).trim());
      i = end;
    }
  }
  return out.length > 0 ? out : void 0;
}
function unquote(value) {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
function integrityFromResolved(resolved) {
  const hex = /#([0-9a-f]{40})$/.exec(resolved ?? "")?.[1];
  return hex === void 0 ? void 0 : `sha1-${Buffer.from(hex, "hex").toString("base64")}`;
}
function parseClassic({ path, text }) {
  const entries = [];
  let current;
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? "";
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0) {
      const descriptors = raw.endsWith(":") ? splitHeader(raw.slice(0, -1)) : void 0;
      if (descriptors === void 0) {
        throw lockfileError(
          path,
          line,
          'is not a yarn.lock entry header (expected `"name@range", name@range:`)'
        );
      }
      current = { line, descriptors, fields: /* @__PURE__ */ new Map() };
      entries.push(current);
      continue;
    }
    if (current === void 0) throw lockfileError(path, line, "has an indented line before the first entry");
    if (indent > 2) continue;
    if (trimmed.endsWith(":")) continue;
    const match = /^("(?:[^"\\]|\\.)*"|[^\s"]+)\s+(.+)$/.exec(trimmed);
    if (match === null)
      throw lockfileError(path, line, `cannot read ${JSON.stringify(trimmed.slice(0, 80))} as \`key value\``);
    current.fields.set(unquote(match[1] ?? ""), unquote(match[2] ?? ""));
  }
  const out = [];
  for (const entry of entries) {
    const version = entry.fields.get("version");
    if (version === void 0)
      throw lockfileError(path, entry.line, `entry ${entry.descriptors[0] ?? ""} has no version`);
    const descriptor = descriptorName(entry.descriptors[0] ?? "");
    const name = descriptor.range.startsWith("npm:") ? descriptorName(descriptor.range.slice("npm:".length)).name : descriptor.name;
    const resolved = entry.fields.get("resolved");
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: "npm",
        integrity: entry.fields.get("integrity") ?? integrityFromResolved(resolved)
      })
    );
  }
  return finishPackages(out);
}
var LOCAL_PROTOCOLS = ["workspace:", "link:", "portal:"];
function parseBerry({ path, text }) {
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc) || !isRecord(doc["__metadata"])) {
    throw lockfileError(
      path,
      lineOf2(text, "__metadata"),
      "has no `__metadata` mapping; is it a yarn.lock written by yarn 2 or later?"
    );
  }
  const entries = [];
  const direct = /* @__PURE__ */ new Set();
  let workspaces = 0;
  for (const [key, value] of Object.entries(doc)) {
    if (key === "__metadata") continue;
    const line = () => lineOf2(text, key);
    if (!isRecord(value)) throw lockfileError(path, line(), `entry ${key} must be a mapping`);
    const resolution = value["resolution"];
    if (typeof resolution !== "string") throw lockfileError(path, line(), `entry ${key} has no resolution`);
    const { range } = descriptorName(resolution);
    if (LOCAL_PROTOCOLS.some((protocol) => range.startsWith(protocol))) {
      if (range.startsWith("workspace:")) {
        workspaces += 1;
        const dependencies = value["dependencies"] ?? {};
        if (!isRecord(dependencies))
          throw lockfileError(path, line(), `entry ${key}: dependencies must be a mapping`);
        for (const [name, wanted] of Object.entries(dependencies)) {
          if (typeof wanted !== "string")
            throw lockfileError(path, line(), `entry ${key}: dependency ${name} must be a range`);
          direct.add(`${name}@${wanted}`);
          if (!/^[a-z+]+:/.test(wanted)) direct.add(`${name}@npm:${wanted}`);
        }
      }
      continue;
    }
    entries.push({ key, value, resolution });
  }
  const out = [];
  for (const { key, value, resolution } of entries) {
    const line = () => lineOf2(text, key);
    const version = value["version"];
    const checksum = value["checksum"];
    if (typeof version !== "string") throw lockfileError(path, line(), `entry ${key} has no version`);
    if (checksum !== void 0 && typeof checksum !== "string")
      throw lockfileError(path, line(), `entry ${key}: checksum must be a string`);
    const { name } = descriptorName(resolution);
    const descriptors = key.split(",").map((descriptor) => descriptor.trim());
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: "npm",
        integrity: checksum,
        direct: workspaces > 0 ? descriptors.some((descriptor) => direct.has(descriptor)) : void 0
      })
    );
  }
  return finishPackages(out);
}

// src/lockfiles/registry.ts
var lockfileParsers = [
  npmParser,
  yarnParser,
  pnpmParser,
  requirementsParser,
  poetryParser,
  uvParser,
  pipfileParser,
  condaEnvironmentParser,
  condaExplicitParser,
  condaLockParser,
  cargoParser,
  goSumParser
];
function parserForPath(path) {
  return lockfileParsers.find((parser) => parser.matches(path));
}
function parserFor(path, text) {
  const byPath = parserForPath(path);
  if (byPath === requirementsParser && /^@EXPLICIT\s*$/m.test(text)) return condaExplicitParser;
  return byPath;
}

// src/lockfiles/find.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";
var DEFAULT_SKIPPED_FOLDERS = [
  { name: "node_modules", why: "installed npm packages" },
  { name: "bower_components", why: "installed Bower packages" },
  { name: "jspm_packages", why: "installed jspm packages" },
  { name: "venv", why: "a Python virtual environment" },
  { name: "site-packages", why: "installed Python packages" },
  { name: "__pycache__", why: "Python bytecode" },
  { name: "vendor", why: "vendored code" },
  { name: "third_party", why: "vendored code" },
  { name: "dist", why: "build output" },
  { name: "build", why: "build output" },
  { name: "target", why: "build output (Cargo, Maven)" },
  { name: "coverage", why: "test coverage output" },
  { name: "fixtures", why: "test fixtures" },
  { name: "__fixtures__", why: "test fixtures" },
  { name: "testdata", why: "test fixtures (Go)" }
];
var SKIPPED_DIRECTORIES = new Set(
  DEFAULT_SKIPPED_FOLDERS.map(({ name }) => name)
);
var MAX_SEARCH_DEPTH = 6;
var MAX_SKIPPED_FOLDERS_SEARCHED = 2e3;
var NEVER_SEARCHED = /* @__PURE__ */ new Set([".git", ".hg", ".svn", ".model-ledger"]);
function compare2(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function trimSlashes(path) {
  return path.replace(/^\.\/+/, "").replace(/\/+$/, "");
}
function skipReason(name, path, search) {
  const include = (search.include ?? []).map(trimSlashes);
  if (include.includes(name) || include.includes(path)) return void 0;
  const skip = (search.skip ?? []).map(trimSlashes);
  if (skip.includes(name) || skip.includes(path)) return `in ${path}/, skipped by the config`;
  const known = DEFAULT_SKIPPED_FOLDERS.find((folder) => folder.name === name);
  if (known !== void 0) return `in ${path}/ (${known.why}), skipped by default`;
  if (name.startsWith(".")) return `in ${path}/ (a hidden folder), skipped by default`;
  return void 0;
}
async function searchLockfiles(root, log, search = {}) {
  const found = [];
  const skipped = [];
  let skippedFolders = 0;
  let incomplete = false;
  const queue = [{ dir: root, rel: "", depth: 0 }];
  for (const path of (search.include ?? []).map(trimSlashes)) {
    if (path.includes("/")) queue.push({ dir: join(root, path), rel: path, depth: path.split("/").length });
  }
  const seen = /* @__PURE__ */ new Set();
  for (let index = 0; index < queue.length; index += 1) {
    const pending = queue[index];
    if (pending === void 0) continue;
    const { dir, rel, depth } = pending;
    let { skippedBecause } = pending;
    if (seen.has(rel)) continue;
    seen.add(rel);
    if (skippedBecause !== void 0) {
      if (skippedFolders >= MAX_SKIPPED_FOLDERS_SEARCHED) {
        incomplete = true;
        continue;
      }
      skippedFolders += 1;
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (skippedBecause !== void 0 || index > 0) {
        log.debug(`lockfiles: cannot list ${rel}/: ${describeError(error)}`);
        continue;
      }
      throw new LedgerError("IO", `cannot list the folder: ${describeError(error)}`, {
        file: rel === "" ? "." : `${rel}/`,
        cause: error,
        fix: "check its permissions, or name the lockfiles to record explicitly"
      });
    }
    if (depth > 0 && skippedBecause === void 0 && entries.some(
      (entry) => entry.name === "pyvenv.cfg" && entry.isFile() || entry.name === "conda-meta" && entry.isDirectory()
    )) {
      log.debug(`lockfiles: skipping ${rel}/ (a Python or conda environment)`);
      skippedBecause = `in ${rel}/ (a Python or conda environment), skipped by default`;
      if (skippedFolders >= MAX_SKIPPED_FOLDERS_SEARCHED) {
        incomplete = true;
        continue;
      }
      skippedFolders += 1;
    }
    entries.sort((a, b) => compare2(a.name, b.name));
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (NEVER_SEARCHED.has(entry.name)) continue;
        if (depth + 1 > MAX_SEARCH_DEPTH) {
          log.debug(`lockfiles: not searching ${path}/ (deeper than ${MAX_SEARCH_DEPTH} folders)`);
          continue;
        }
        const because = skippedBecause ?? skipReason(entry.name, path, search);
        queue.push({
          dir: join(dir, entry.name),
          rel: path,
          depth: depth + 1,
          ...because === void 0 ? {} : { skippedBecause: because }
        });
      } else if (parserForPath(path) !== void 0) {
        if (!entry.isFile()) {
          log.info(`lockfiles: not reading ${path}: it is not a regular file (a symbolic link?)`);
        } else if (skippedBecause !== void 0) {
          skipped.push({ path, reason: skippedBecause });
        } else {
          found.push(path);
        }
      }
    }
  }
  return {
    found: [...new Set(found)].sort(compare2),
    skipped: skipped.sort((a, b) => compare2(a.path, b.path)),
    incomplete
  };
}

// src/collect/commit.ts
var MAX_CHANGED_FILES = 5e3;
function parsePersonLine(line) {
  const match = /^(.*) <([^>]*)> (\d+) ([+-])(\d{2})(\d{2})$/.exec(line);
  if (!match) return { name: line, email: "", date: "" };
  const [, name, email, seconds, sign, hours, minutes] = match;
  const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((Number(seconds) + offsetMinutes * 60) * 1e3).toISOString().replace(/\.000Z$/, "");
  return { name, email, date: `${local}${sign}${hours}:${minutes}` };
}
function parseRawCommit(raw) {
  const split = raw.indexOf("\n\n");
  const headerText = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? "" : raw.slice(split + 2);
  const commit = {
    tree: "",
    parents: [],
    author: { name: "", email: "", date: "" },
    committer: { name: "", email: "", date: "" },
    signed: false,
    message
  };
  for (const line of headerText.split("\n")) {
    if (line.startsWith(" ")) continue;
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") commit.tree = value;
    else if (key === "parent") commit.parents.push(value);
    else if (key === "author") commit.author = parsePersonLine(value);
    else if (key === "committer") commit.committer = parsePersonLine(value);
    else if (key === "gpgsig" || key === "gpgsig-sha256") commit.signed = true;
  }
  return commit;
}
function publicRepositoryUrl(remote) {
  const trimmed = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(trimmed);
  if (scp) return `https://${scp[1]}/${scp[2].replace(/\.git$/, "")}`;
  try {
    const url = new URL(trimmed);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\.git$/, "");
  } catch {
    return trimmed;
  }
}
async function repositoryUrl(context) {
  const { env } = context;
  if (env.GITHUB_REPOSITORY)
    return `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}`;
  const remote = await runGit(context.cwd, ["remote", "get-url", "origin"]);
  return remote.ok ? publicRepositoryUrl(remote.stdout) : "";
}
var STATUS_BY_LETTER = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type-changed"
};
function parseNameStatus(output) {
  const fields = output.split("\0");
  const files = [];
  let index = 0;
  while (index < fields.length) {
    const code = fields[index] ?? "";
    index += 1;
    if (code === "") continue;
    const status = STATUS_BY_LETTER[code[0]];
    if (code[0] === "R" || code[0] === "C") {
      const from = fields[index] ?? "";
      const to = fields[index + 1] ?? "";
      index += 2;
      files.push({ path: to, status, previousPath: from });
    } else {
      const path = fields[index] ?? "";
      index += 1;
      files.push({ path, status: status ?? "modified" });
    }
  }
  return files;
}
async function commitExists(cwd, sha) {
  return (await runGit(cwd, ["cat-file", "-e", `${sha}^{commit}`])).ok;
}
async function comparisonBase(context, parents, previousInClone) {
  const previous = context.previous?.commit?.sha;
  if (previous) {
    if (previousInClone ?? await commitExists(context.cwd, previous)) return previous;
    context.note(
      `commit: the previous record's commit ${previous} is not in this clone (shallow checkout?), so changed files are compared with the parent instead; use \`fetch-depth: 0\` to compare with the previous record`
    );
  }
  const parent = parents[0];
  if (!parent) return null;
  if (await commitExists(context.cwd, parent)) return parent;
  context.note(
    `commit: the parent commit ${parent} is not in this clone (shallow checkout), so changed files are not recorded; use \`fetch-depth: 2\` (or 0) in actions/checkout`
  );
  return void 0;
}
async function changedFilesBetween(cwd, base, sha) {
  const args = base === null ? [
    "-c",
    "core.quotepath=off",
    "diff-tree",
    "-r",
    "--root",
    "--no-commit-id",
    "--name-status",
    "-z",
    "-M",
    sha
  ] : [
    "-c",
    "core.quotepath=off",
    "diff",
    "--no-ext-diff",
    "--no-textconv",
    "--name-status",
    "-z",
    "-M",
    base,
    sha
  ];
  return parseNameStatus(await git(cwd, args));
}
function parsePorcelainStatus(output) {
  const fields = output.split("\0");
  const entries = [];
  for (let index = 0; index < fields.length; index++) {
    const field2 = fields[index];
    if (field2.length < 4) continue;
    const x = field2[0];
    const y = field2[1];
    const path = field2.slice(3);
    if (x === "R" || x === "C") index++;
    let status;
    if (x === "?" && y === "?") status = "untracked";
    else if (x === "U" || y === "U" || x === "A" && y === "A" || x === "D" && y === "D")
      status = "unmerged";
    else {
      const code = y !== " " ? y : x;
      status = code === "R" || x === "R" ? "renamed" : code === "C" || x === "C" ? "copied" : code === "A" ? "added" : code === "D" ? "deleted" : code === "T" ? "type-changed" : "modified";
    }
    entries.push({ path, status });
  }
  return entries;
}
async function readWorkingTree(cwd) {
  const result = await runGit(cwd, [
    "-c",
    "core.quotepath=off",
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=normal",
    "--no-renames"
  ]);
  return result.ok ? parsePorcelainStatus(result.stdout) : null;
}
function covers(named, path) {
  if (named === "." || named === "") return true;
  if (hasGlobMagic(named)) {
    try {
      return compileGlob(named).test(path.replace(/\/$/, ""));
    } catch {
      return false;
    }
  }
  const directory = path.endsWith("/");
  return path === named || path.startsWith(`${named}/`) || directory && (named.startsWith(path) || `${named}/` === path);
}
function workingTreeState(entries, named) {
  const dirty = [];
  let otherChanges = 0;
  for (const entry of entries) {
    const asInput = named.inputs.some((path) => covers(path, entry.path));
    const asOutput = entry.status !== "untracked" && named.outputs.some((path) => covers(path, entry.path));
    if (asInput || asOutput) dirty.push({ path: entry.path, status: entry.status });
    else otherChanges++;
  }
  return { state: dirty.length > 0 ? "dirty" : "clean", dirty, otherChanges };
}
var CommitCollector = class {
  constructor(options = {}) {
    this.options = options;
  }
  options;
  section = "commit";
  async collect(context) {
    const head = await runGit(context.cwd, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
    if (!head.ok) {
      const inGit = (await runGit(context.cwd, ["rev-parse", "--git-dir"])).ok;
      const why = inGit ? "the git repository has no commit yet" : "the working directory is not a git repository";
      context.log.warn(`${why}: the record names no commit, so it cannot say which sources it describes`);
      context.note(`commit: ${why}; no commit recorded`);
      return null;
    }
    const sha = head.stdout.trim();
    const previous = context.previous;
    if (previous?.commit?.sha === sha) {
      context.log.warn(
        `commit ${sha.slice(0, 12)} is the commit record ${previous.chain.index} already describes: this record describes it again`
      );
      context.note(`commit: ${sha} is the commit of the previous record (${previous.chain.index}) too`);
    }
    const previousSha = previous?.commit?.sha;
    const [commitText, symbolic, url, previousInClone] = await Promise.all([
      git(context.cwd, ["cat-file", "commit", sha]),
      runGit(context.cwd, ["symbolic-ref", "-q", "HEAD"]),
      repositoryUrl(context),
      previousSha ? commitExists(context.cwd, previousSha) : void 0
    ]);
    const raw = parseRawCommit(commitText);
    const ref = context.env.GITHUB_REF || (symbolic.ok ? symbolic.stdout.trim() : "");
    const section = {
      sha,
      tree: raw.tree,
      parents: raw.parents,
      author: raw.author,
      committer: raw.committer,
      message: raw.message,
      signed: raw.signed,
      repositoryUrl: url
    };
    if (ref) section.ref = ref;
    await this.addChangedFiles(context, section, previousInClone);
    await this.addGitHubVerification(context, section);
    return section;
  }
  async addChangedFiles(context, section, previousInClone) {
    const base = await comparisonBase(context, section.parents, previousInClone);
    if (base === void 0) return;
    const files = await changedFilesBetween(context.cwd, base, section.sha);
    if (files.length > MAX_CHANGED_FILES) {
      context.note(`commit: ${files.length} files changed; only the first ${MAX_CHANGED_FILES} are listed`);
    }
    section.changedFiles = files.slice(0, MAX_CHANGED_FILES);
    if (base !== null) section.comparedWith = base;
  }
  /** GitHub's verdict on the commit signature: `GET /repos/{owner}/{repo}/commits/{sha}` → `commit.verification`. */
  async addGitHubVerification(context, section) {
    const github = this.options.github;
    if (!github) return;
    if (!github.available) {
      context.note(`commit: GitHub's signature verification verdict is not recorded: ${github.reason}`);
      return;
    }
    const { access } = github;
    try {
      const { data } = await access.client.rest.repos.getCommit({
        owner: access.owner,
        repo: access.repo,
        ref: section.sha
      });
      const verification = data.commit.verification;
      if (verification) {
        section.githubVerification = { verified: verification.verified, reason: verification.reason };
      } else {
        context.note(`commit: GitHub gave no signature verification verdict for ${section.sha}`);
      }
    } catch (error) {
      const failure = gitHubFailureText(error);
      if (failure === void 0) throw error;
      context.log.warn(`commit: cannot read GitHub's verification of ${section.sha}: ${failure}`);
      context.note(`commit: GitHub's signature verification verdict is not recorded: ${failure}`);
    }
  }
};

// src/collect/dependencies.ts
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join as join2, relative, resolve, sep } from "node:path";
var MAX_SKIPPED_LISTED = 50;
async function collectDependencies(options) {
  const { log } = options;
  const mode = options.mode ?? "strict";
  const root = resolve(options.cwd);
  const search = options.paths === void 0 ? { ...await searchLockfiles(root, log, options.search), named: /* @__PURE__ */ new Set() } : await namedLockfiles(root, options.paths, log, options.search);
  const lockfiles = [];
  const skipped = [...search.skipped];
  for (const file of search.found) {
    try {
      const read = await readLockfile(root, file);
      if (read.notALockfile !== void 0) {
        if (search.named.has(file)) {
          throw lockfileError(file, 1, `is not a ${read.kind} lockfile: ${read.notALockfile}`);
        }
        log.info(`lockfiles: not reading ${file}: ${read.notALockfile}`);
        options.note(`${file} was not recorded: it is not a ${read.kind} lockfile (${read.notALockfile})`);
        skipped.push({ path: file, reason: `not a ${read.kind} lockfile: ${read.notALockfile}` });
        continue;
      }
      lockfiles.push(read.lockfile);
      for (const text of read.notes) options.note(text);
      log.debug(`lockfiles: ${file} (${read.lockfile.kind}): ${read.lockfile.packages.length} packages`);
    } catch (error) {
      if (mode === "best-effort" && error instanceof LedgerError && error.code === "LOCKFILE") {
        log.warn(`${error.message} (lockfile skipped)`);
        options.note(`lockfile ${file} was not recorded: ${error.message}`);
        continue;
      }
      throw error;
    }
  }
  const total = lockfiles.reduce((sum, lockfile) => sum + lockfile.packages.length, 0);
  log.info(
    `dependencies: ${lockfiles.length} lockfile${lockfiles.length === 1 ? "" : "s"}, ${total} package${total === 1 ? "" : "s"}`
  );
  const section = { lockfiles };
  const summary = summariseSkipped(skipped, search.incomplete);
  if (summary !== void 0) {
    section.skipped = summary;
    const inFolders = search.skipped.length;
    if (inFolders > 0) {
      log.info(
        `dependencies: ${inFolders}${search.incomplete ? "+" : ""} lockfile${inFolders === 1 ? "" : "s"} in skipped folders not read (listed in the record; model-ledger.yml's dependencies.include searches a folder)`
      );
    }
  }
  return section;
}
function summariseSkipped(skipped, incomplete) {
  if (skipped.length === 0 && !incomplete) return void 0;
  if (skipped.length === 0) return { count: 0, lockfiles: [], incomplete };
  const sorted = [...skipped].sort((a, b) => compare3(a.path, b.path));
  return {
    count: sorted.length,
    lockfiles: sorted.slice(0, MAX_SKIPPED_LISTED),
    ...incomplete ? { incomplete } : {}
  };
}
function dependenciesCollector(settings = {}) {
  return {
    section: "dependencies",
    collect: (context) => collectDependencies({
      ...settings,
      cwd: context.cwd,
      log: context.log,
      note: (text) => context.note(text)
    })
  };
}
function toPosix(path) {
  return sep === "/" ? path : path.split(sep).join("/");
}
function compare3(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function namedLockfiles(root, paths, log, search) {
  const out = /* @__PURE__ */ new Set();
  const named = /* @__PURE__ */ new Set();
  const skipped = [];
  let incomplete = false;
  for (const given of paths) {
    const absolute = resolve(root, given);
    const rel = toPosix(relative(root, absolute));
    if (rel === ".." || rel.startsWith("../") || isAbsolute(rel)) {
      throw new LedgerError("BAD_INPUT", "is outside the repository", {
        file: given,
        fix: `name lockfiles inside ${root}`
      });
    }
    const info = await stat(absolute).catch((error) => {
      if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") {
        throw new LedgerError("BAD_INPUT", "does not exist", {
          file: given,
          cause: error,
          fix: "check the lockfile path"
        });
      }
      throw new LedgerError("IO", `cannot read it: ${describeError(error)}`, { file: given, cause: error });
    });
    if (info.isDirectory()) {
      const found = await searchLockfiles(absolute, log, search);
      const prefix = (path) => rel === "" ? path : `${rel}/${path}`;
      for (const path of found.found) out.add(prefix(path));
      for (const { path, reason } of found.skipped) skipped.push({ path: prefix(path), reason });
      incomplete ||= found.incomplete;
      continue;
    }
    if (parserForPath(rel) === void 0) {
      throw new LedgerError("BAD_INPUT", "is not a lockfile model-ledger can read", {
        file: given,
        fix: `name one of the kinds ${lockfileParsers.map((parser) => parser.kind).join(", ")} by its usual file name (package-lock.json, yarn.lock, requirements.txt, poetry.lock, go.sum, ...)`
      });
    }
    out.add(rel);
    named.add(rel);
  }
  return { found: [...out].sort(compare3), skipped, incomplete, named };
}
async function readRepositoryFile(root, rel) {
  const absolute = join2(root, rel);
  let real;
  try {
    real = await realpath(absolute);
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") {
      throw new LedgerError("BAD_INPUT", "does not exist", {
        file: rel,
        cause: error,
        fix: "check the path"
      });
    }
    throw new LedgerError("IO", `cannot read it: ${describeError(error)}`, { file: rel, cause: error });
  }
  const inside = toPosix(relative(await realpath(root), real));
  if (inside === ".." || inside.startsWith("../") || isAbsolute(inside)) {
    throw new LedgerError("BAD_INPUT", "is a link to a file outside the repository", {
      file: rel,
      fix: "record lockfiles that live in the repository"
    });
  }
  const info = await stat(real);
  if (!info.isFile()) throw new LedgerError("BAD_INPUT", "is not a regular file", { file: rel });
  if (info.size > MAX_LOCKFILE_BYTES) {
    throw lockfileError(
      rel,
      1,
      `is ${info.size} bytes, more than the ${MAX_LOCKFILE_BYTES}-byte limit for a lockfile`,
      "check that this is the lockfile your package manager wrote"
    );
  }
  let bytes;
  try {
    bytes = await readFile(real);
  } catch (error) {
    throw new LedgerError("IO", `cannot read it: ${describeError(error)}`, { file: rel, cause: error });
  }
  return { bytes, text: decodeLockfile(bytes, rel) };
}
async function readLockfile(root, rel) {
  const { bytes, text } = await readRepositoryFile(root, rel);
  const parser = parserFor(rel, text);
  if (parser === void 0)
    throw new LedgerError("BAD_INPUT", "is not a lockfile model-ledger can read", { file: rel });
  const readInclude = async (path) => ({
    path,
    text: (await readRepositoryFile(root, path)).text
  });
  const parsed = await parser.parse({ path: rel, text, readInclude });
  return {
    lockfile: {
      path: rel,
      kind: parser.kind,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      packages: parsed.packages
    },
    notes: parsed.notes,
    kind: parser.kind,
    ...parsed.notALockfile === void 0 ? {} : { notALockfile: parsed.notALockfile }
  };
}

// src/collect/datasets.ts
import { lstat as lstat2, stat as stat3 } from "node:fs/promises";
import { basename, isAbsolute as isAbsolute3, join as join6, relative as relativePath, sep as sep2 } from "node:path";

// src/formats/structured.ts
var import_yaml7 = __toESM(require_dist(), 1);

// src/formats/pickle-safety.ts
var DENIED_SEGMENTS = /* @__PURE__ */ new Set([
  "os",
  "posix",
  "nt",
  "subprocess",
  "_posixsubprocess",
  "commands",
  "ctypes",
  "_ctypes",
  "sys",
  "importlib",
  "imp",
  "runpy",
  "shutil",
  "socket",
  "_socket",
  "pty",
  "marshal",
  "dill",
  "cloudpickle",
  "webbrowser",
  "pip"
]);
var BUILTIN_MODULES = /* @__PURE__ */ new Set(["builtins", "__builtin__", "__builtins__"]);
var PICKLERS = /* @__PURE__ */ new Set(["pickle", "_pickle", "cPickle"]);
var DENIED_ROOTS = /* @__PURE__ */ new Set([
  "code",
  "codeop",
  "multiprocessing",
  "concurrent",
  "asyncio",
  "threading",
  "_thread",
  "signal",
  "http",
  "urllib",
  "urllib2",
  "urllib3",
  "requests",
  "httplib",
  "ftplib",
  "telnetlib",
  "smtplib",
  "xmlrpc",
  "socketserver",
  "ssl",
  "select",
  "selectors",
  "tempfile",
  "zipimport",
  "pdb",
  "bdb",
  "trace",
  "timeit",
  "doctest",
  "platform",
  "cProfile",
  "profile",
  "pydoc",
  "pkgutil",
  "_osx_support",
  "_aix_support",
  "setuptools",
  "distutils",
  "ensurepip",
  "venv",
  "idlelib",
  "tarfile",
  "zipfile",
  "fileinput",
  "operator",
  "_operator",
  "linecache",
  "gc",
  "inspect",
  "ast"
]);
var DENIED_BUILTINS = /* @__PURE__ */ new Set([
  "eval",
  "exec",
  "execfile",
  "compile",
  "open",
  "file",
  "__import__",
  "getattr",
  "setattr",
  "delattr",
  "globals",
  "locals",
  "vars",
  "input",
  "raw_input",
  "breakpoint",
  "apply",
  "help",
  "reload",
  "exit",
  "quit",
  "memoryview"
]);
var DENIED_NAMES = /* @__PURE__ */ new Set([
  "functools.partial",
  "functools.reduce",
  "functools.partialmethod",
  "io.open",
  "io.open_code",
  "io.FileIO",
  "_io.open",
  "_io.FileIO",
  "codecs.open",
  "types.CodeType",
  "types.FunctionType",
  "types.LambdaType",
  "types.MethodType",
  "uuid._get_command_stdout",
  "numpy.load",
  "numpy.lib.npyio.load",
  "numpy.testing._private.utils.runstring",
  "numpy.f2py.compile",
  "torch.load",
  "torch.serialization.load",
  "torch.jit.load",
  "torch.jit._serialization.load",
  "torch.fx.graph_module._forward_from_src",
  "torch.fx.graph_module.reduce_graph_module",
  "torch.fx.graph_module.reduce_package_graph_module",
  "torch._inductor.codecache.compile_file",
  "joblib.load",
  "joblib.numpy_pickle.load",
  "pandas.read_pickle",
  "pandas.io.pickle.read_pickle",
  "keras.models.load_model"
]);
var DENIED_MODULE_PREFIXES = ["torch.hub", "torch.package", "torch.utils.cpp_extension", "numpy.distutils"];
var SAFE_NAMES = /* @__PURE__ */ new Set([
  "collections.OrderedDict",
  "collections.defaultdict",
  "collections.deque",
  "collections.Counter",
  "builtins.set",
  "builtins.frozenset",
  "builtins.list",
  "builtins.dict",
  "builtins.tuple",
  "builtins.slice",
  "builtins.range",
  "builtins.complex",
  "builtins.bytearray",
  "builtins.bytes",
  "builtins.int",
  "builtins.float",
  "builtins.str",
  "builtins.bool",
  "builtins.object",
  "__builtin__.set",
  "__builtin__.frozenset",
  "__builtin__.list",
  "__builtin__.dict",
  "__builtin__.tuple",
  "__builtin__.slice",
  "__builtin__.complex",
  "__builtin__.bytearray",
  "__builtin__.int",
  "__builtin__.float",
  "__builtin__.long",
  "__builtin__.unicode",
  "__builtin__.str",
  "__builtin__.bool",
  "__builtin__.object",
  "__builtin__.xrange",
  "copy_reg._reconstructor",
  "copyreg._reconstructor",
  "_codecs.encode",
  "datetime.datetime",
  "datetime.date",
  "datetime.time",
  "datetime.timedelta",
  "datetime.timezone",
  "decimal.Decimal",
  "fractions.Fraction",
  "uuid.UUID",
  "argparse.Namespace",
  "types.SimpleNamespace",
  "pathlib.Path",
  "pathlib.PosixPath",
  "pathlib.WindowsPath",
  "pathlib.PurePosixPath",
  "pathlib.PureWindowsPath",
  "typing.Any",
  "numpy.ndarray",
  "numpy.dtype",
  "numpy.core.multiarray._reconstruct",
  "numpy.core.multiarray.scalar",
  "numpy.core.numeric._frombuffer",
  "numpy._core.multiarray._reconstruct",
  "numpy._core.multiarray.scalar",
  "numpy._core.numeric._frombuffer",
  "numpy.ma.core._mareconstruct",
  "numpy.ma.core.MaskedArray",
  "numpy.matrixlib.defmatrix.matrix",
  "numpy.random.mtrand.RandomState",
  "numpy.random.__RandomState_ctor",
  "numpy.random._mt19937.MT19937",
  "numpy.random._pcg64.PCG64",
  "numpy.random._generator.Generator",
  "torch.Size",
  "torch.device",
  "torch.dtype",
  "torch.serialization._get_layout",
  "torch._tensor._rebuild_from_type",
  "torch._tensor._rebuild_from_type_v2",
  "torch.nn.parameter.Parameter",
  "torch.nn.parameter.UninitializedParameter",
  "torch.nn.parameter.Buffer",
  "torch.storage.TypedStorage",
  "torch.storage.UntypedStorage",
  "torch.per_tensor_affine",
  "torch.per_channel_affine",
  "torch.per_tensor_symmetric",
  "torch.per_channel_symmetric",
  "torch.per_channel_affine_float_qparams",
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "joblib.numpy_pickle_compat.NDArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
  "transformers.training_args.TrainingArguments",
  "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
  "transformers.training_args.OptimizerNames",
  "transformers.trainer_utils.IntervalStrategy",
  "transformers.trainer_utils.SchedulerType",
  "transformers.trainer_utils.HubStrategy",
  "transformers.trainer_utils.SaveStrategy",
  "transformers.trainer_utils.EvaluationStrategy",
  "transformers.trainer_utils.FSDPOption",
  "transformers.debug_utils.DebugOption",
  "accelerate.utils.dataclasses.DistributedType",
  "pytorch_lightning.utilities.parsing.AttributeDict",
  "lightning_fabric.utilities.data.AttributeDict",
  "lightning.fabric.utilities.data.AttributeDict",
  "omegaconf.dictconfig.DictConfig",
  "omegaconf.listconfig.ListConfig",
  "omegaconf.base.ContainerMetadata",
  "omegaconf.base.Metadata",
  "omegaconf.nodes.AnyNode"
]);
var PANDAS_REBUILDERS = /* @__PURE__ */ new Set([
  "pandas._libs.internals._unpickle_block",
  "pandas.core.indexes.base._new_Index",
  "pandas._libs.tslibs.timestamps._unpickle_timestamp",
  "pandas._libs.tslibs.timedeltas._timedelta_unpickle",
  "pandas._libs.tslibs.nattype.__nat_unpickle",
  "pandas.core.internals.blocks.new_block"
]);
var TORCH_FUNCTIONS = /* @__PURE__ */ new Set([
  "relu",
  "relu6",
  "gelu",
  "silu",
  "mish",
  "elu",
  "selu",
  "celu",
  "leaky_relu",
  "hardswish",
  "hardsigmoid",
  "hardtanh",
  "sigmoid",
  "tanh",
  "softmax",
  "log_softmax",
  "softplus",
  "softsign",
  "glu",
  "logsigmoid",
  "dropout",
  "layer_norm",
  "linear"
]);
var TORCH_DTYPES = /^(?:u?int\d+|float\d+|bfloat16|complex\d+|bool|half|double|float|long|int|short|cfloat|cdouble|chalf|float8_\w+|q(?:u?int)\d+(?:x\d+)?|bits\d+(?:x\d+)?)$/;
var TORCH_LAYOUTS = /^(?:strided|sparse_coo|sparse_csr|sparse_csc|sparse_bsr|sparse_bsc|_mkldnn|contiguous_format|channels_last|channels_last_3d|preserve_format)$/;
var NUMPY_SCALARS = /^(?:bool_|bool|int8|int16|int32|int64|uint8|uint16|uint32|uint64|intc|uintc|intp|uintp|longlong|ulonglong|float16|float32|float64|float128|longdouble|half|single|double|complex64|complex128|complex256|clongdouble|str_|bytes_|void|datetime64|timedelta64|object_)$/;
var MODULE_PATH = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*$/;
var CLASS_NAME = /^[A-Z][A-Za-z0-9_]*$/;
var DOTTED_IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{Nl}_][\p{L}\p{N}_]*)*$/u;
var PYTHON2_MODULES = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  cPickle: "pickle",
  commands: "subprocess",
  UserDict: "collections",
  UserList: "collections",
  UserString: "collections",
  urllib2: "urllib.request",
  SocketServer: "socketserver",
  httplib: "http.client",
  exceptions: "builtins"
};
function isImportable(module, name) {
  return DOTTED_IDENTIFIER.test(module) && DOTTED_IDENTIFIER.test(name);
}
function classifyImport(module, name) {
  const moduleParts = module.split(".");
  const nameParts = name.split(".");
  const root = moduleParts[0];
  const full = `${module}.${name}`;
  if (BUILTIN_MODULES.has(root)) return moduleParts.length === 1 ? builtinVerdict(nameParts) : "unsafe";
  const segments = [...moduleParts, ...nameParts];
  if (segments.some((segment) => DENIED_SEGMENTS.has(segment))) return "unsafe";
  if (nameParts.some((part) => BUILTIN_MODULES.has(part) || PICKLERS.has(part))) return "unsafe";
  const mappedRoot = PYTHON2_MODULES[root] ?? root;
  if (DENIED_ROOTS.has(root) || DENIED_ROOTS.has(mappedRoot) || PICKLERS.has(root)) return "unsafe";
  if (nameParts.some((part) => /^__.*__$/.test(part))) return "unsafe";
  if (DENIED_NAMES.has(full)) return "unsafe";
  if (DENIED_MODULE_PREFIXES.some((prefix) => full.startsWith(`${prefix}.`))) return "unsafe";
  return isSafe(module, name, full) ? "safe" : "unknown";
}
function builtinVerdict(nameParts) {
  if (nameParts.length !== 1) return "unsafe";
  const name = nameParts[0];
  if (DENIED_BUILTINS.has(name)) return "unsafe";
  return SAFE_NAMES.has(`builtins.${name}`) || SAFE_NAMES.has(`__builtin__.${name}`) ? "safe" : "unknown";
}
function isSafe(module, name, full) {
  if (SAFE_NAMES.has(full) || PANDAS_REBUILDERS.has(full)) return true;
  if (!MODULE_PATH.test(module) && !module.startsWith("__torch__")) return false;
  switch (module) {
    case "torch._utils":
      return /^_rebuild_[a-z0-9_]+$/.test(name);
    case "torch":
      return /^[A-Za-z0-9]*Storage$/.test(name) || TORCH_DTYPES.test(name) || TORCH_LAYOUTS.test(name);
    case "torch.nn.functional":
      return TORCH_FUNCTIONS.has(name);
    case "numpy":
      return NUMPY_SCALARS.test(name);
    case "torch.jit._pickle":
      return /^(?:build_(?:intlist|doublelist|boollist|tensorlist|tensor_from_id)|restore_type_tag)$/.test(
        name
      );
    case "numpy.random._pickle":
      return /^__[a-z_]+_ctor$/.test(name);
    case "numpy.dtypes":
      return /^[A-Za-z0-9]+DType$/.test(name);
  }
  if (module === "__torch__" || module.startsWith("__torch__."))
    return /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name);
  if (module.startsWith("torch.nn.modules.") || module.startsWith("torch.optim."))
    return CLASS_NAME.test(name);
  if (/(?:^|\.)(?:io|datasets|testing|_testing|tests|externals|_build_utils)(?:\.|$)/.test(module))
    return false;
  if (/^sklearn(?:\.|$)/.test(module)) return isSafeSklearn(module, name);
  if (/^(?:xgboost|lightgbm|pandas)(?:\.|$)/.test(module)) return CLASS_NAME.test(name);
  if (/^scipy\.sparse(?:\._?[a-z]+)*$/.test(module))
    return /^(?:csr|csc|coo|bsr|dia|dok|lil)_(?:matrix|array)$/.test(name);
  return false;
}
function isSafeSklearn(module, name) {
  if (/^_?[A-Z][A-Za-z0-9_]*$/.test(name)) return true;
  if (/^__pyx_unpickle_[A-Za-z][A-Za-z0-9_]*$/.test(name)) return true;
  return name === "newObj" && /^sklearn\.(?:neighbors\._(?:kd_tree|ball_tree|binary_tree)|metrics\._dist_metrics)$/.test(module);
}
function pickleFindings(scan) {
  const findings = {
    unsafe: [],
    unknown: [],
    computed: scan.unresolved.filter((entry) => entry.opcode === "STACK_GLOBAL").length,
    extensions: scan.unresolved.filter((entry) => entry.opcode !== "STACK_GLOBAL").length,
    untracked: scan.untracked
  };
  for (const entry of scan.imports) {
    const verdict = importVerdict(entry);
    if (verdict === "unsafe") findings.unsafe.push(`${entry.module}.${entry.name}`);
    else if (verdict === "unknown") findings.unknown.push(`${entry.module}.${entry.name}`);
  }
  return findings;
}
function importVerdict(entry) {
  const verdict = classifyImport(entry.module, entry.name);
  if (verdict === "unsafe" && entry.name === "getattr" && (entry.module === "builtins" || entry.module === "__builtin__") && entry.enumIdiomCalls > 0 && entry.enumIdiomCalls === entry.uses)
    return "safe";
  return verdict;
}
function pickleWarnings(scan, where) {
  const warnings = [];
  for (const entry of scan.imports) {
    const verdict = importVerdict(entry);
    if (verdict === "safe") continue;
    const full = `${entry.module}.${entry.name}`;
    const how = `${entry.opcode} at byte ${entry.offset}${entry.called ? ", then called" : ""}`;
    warnings.push(
      verdict === "unsafe" ? {
        code: "PICKLE_UNSAFE_IMPORT",
        message: `${where}: imports ${full} (${how}); loading this file with pickle or torch.load can run arbitrary code \u2014 do not load it, or convert the model to safetensors`
      } : {
        code: "PICKLE_UNKNOWN_IMPORT",
        message: `${where}: imports ${full} (${how}), which is not on model-ledger's list of safe imports; loading this file runs that code`
      }
    );
  }
  for (const entry of scan.unresolved) {
    warnings.push(
      entry.opcode === "STACK_GLOBAL" ? {
        code: "PICKLE_UNRESOLVED_IMPORT",
        message: `${where}: STACK_GLOBAL at byte ${entry.offset} imports a name computed at load time, which cannot be checked without running the pickle \u2014 treated as unsafe`
      } : {
        code: "PICKLE_UNKNOWN_IMPORT",
        message: `${where}: ${entry.opcode} at byte ${entry.offset} imports a name from the copyreg extension registry, which the file does not name`
      }
    );
  }
  return warnings;
}
function importNames(scan) {
  return [...new Set(scan.imports.map((entry) => `${entry.module}.${entry.name}`))].sort();
}

// src/formats/safety.ts
var MAX_FINDINGS = 100;
var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function wellFormed(text) {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
var MAX_NAMES = 50;
var RANK = { clean: 0, unknown: 1, incomplete: 2, unsafe: 3 };
var SafetyReport = class {
  pickles = 0;
  verdict = "clean";
  findings = [];
  dropped = 0;
  add(finding) {
    if (RANK[finding.verdict] > RANK[this.verdict]) this.verdict = finding.verdict;
    if (this.findings.length >= MAX_FINDINGS) {
      this.dropped++;
      return;
    }
    const names = finding.names?.slice(0, MAX_NAMES);
    this.findings.push({
      verdict: finding.verdict,
      ...finding.member ? { member: wellFormed(finding.member) } : {},
      ...names && names.length > 0 ? { names: names.map((name) => wellFormed(name)) } : {},
      ...finding.reason ? { reason: wellFormed(finding.reason) } : {}
    });
  }
  incomplete(member, reason) {
    this.add({ verdict: "incomplete", ...member ? { member } : {}, reason });
  }
  /** The findings of one scanned pickle (or the streams of one part). */
  addPickle(scan, member) {
    this.pickles += scan.streams;
    const found = pickleFindings(scan);
    const where = member ? { member } : {};
    if (found.unsafe.length > 0)
      this.add({
        verdict: "unsafe",
        ...where,
        names: found.unsafe,
        reason: "imports callables that can run code when loaded"
      });
    if (found.computed > 0)
      this.add({
        verdict: "unsafe",
        ...where,
        reason: `${found.computed} import(s) whose name is computed at load time (STACK_GLOBAL on non-constant operands)`
      });
    if (found.untracked > 0)
      this.incomplete(member, `${found.untracked} import(s) whose operands the bounded memo no longer held`);
    if (found.unknown.length > 0)
      this.add({
        verdict: "unknown",
        ...where,
        names: found.unknown,
        reason: "imports names off model-ledger's safe list"
      });
    if (found.extensions > 0)
      this.add({
        verdict: "unknown",
        ...where,
        reason: `${found.extensions} import(s) from the copyreg extension registry (EXT)`
      });
  }
  /** Everything a nested report found, under `member`. */
  merge(other, member) {
    this.pickles += other.pickles;
    for (const finding of other.findings)
      this.add({
        ...finding,
        ...member ? { member: finding.member ? `${member} > ${finding.member}` : member } : {}
      });
    if (other.dropped > 0) this.dropped += other.dropped;
    if (RANK[other.verdict] > RANK[this.verdict]) this.verdict = other.verdict;
  }
  result() {
    const findings = [...this.findings];
    if (this.dropped > 0)
      findings.push({
        verdict: this.verdict === "clean" ? "unknown" : this.verdict,
        reason: `${this.dropped} more finding(s) not listed`
      });
    return { verdict: this.verdict, pickles: this.pickles, ...findings.length > 0 ? { findings } : {} };
  }
};
function combineSafety(parts) {
  const report = new SafetyReport();
  for (const { member, safety } of parts) {
    report.pickles += safety.pickles;
    for (const finding of safety.findings ?? [])
      report.add({ ...finding, member: finding.member ? `${member} > ${finding.member}` : member });
    if (safety.verdict !== "clean" && (safety.findings ?? []).length === 0)
      report.add({ verdict: safety.verdict, member });
  }
  return report;
}

// src/formats/structured.ts
var MAX_DEPTH2 = 100;
function parseStructured(text, kind, display) {
  const notes = [];
  if (kind === "json") {
    let parsed2;
    try {
      parsed2 = JSON.parse(text);
    } catch (error) {
      throw new LedgerError(
        "BAD_INPUT",
        `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        {
          file: display,
          cause: error,
          fix: "fix the JSON syntax"
        }
      );
    }
    if (!hasUnsafeInteger(parsed2)) return { value: toJsonValue(parsed2, "", notes, display), notes };
  }
  const document = (0, import_yaml7.parseDocument)(text, {
    intAsBigInt: true,
    uniqueKeys: true,
    prettyErrors: true,
    ...kind === "json" ? { schema: "json" } : {}
  });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    if (problem.code === "RESOURCE_EXHAUSTION") {
      throw new LedgerError("BAD_INPUT", `nests deeper than ${MAX_DEPTH2} levels`, {
        file: display,
        ...line === void 0 ? {} : { field: `line ${line}` },
        cause: problem,
        fix: "flatten the structure"
      });
    }
    throw new LedgerError(
      "BAD_INPUT",
      `is not valid ${kind.toUpperCase()} (${problem.message.split("\n")[0]})`,
      {
        file: display,
        ...line === void 0 ? {} : { field: `line ${line}` },
        cause: problem,
        fix: `fix the ${kind.toUpperCase()} syntax`
      }
    );
  }
  let parsed;
  try {
    parsed = document.toJS({ maxAliasCount: 1e3 });
  } catch (error) {
    throw new LedgerError(
      "BAD_INPUT",
      `cannot be read (${error instanceof Error ? error.message : String(error)})`,
      {
        file: display,
        cause: error,
        fix: "simplify the YAML (fewer aliases)"
      }
    );
  }
  return { value: toJsonValue(parsed, "", notes, display), notes };
}
function parseStructuredObject(text, kind, display) {
  const { value, notes } = parseStructured(text, kind, display);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new LedgerError(
      "BAD_INPUT",
      `must hold a ${kind === "json" ? "JSON object" : "YAML mapping"} at the top level`,
      {
        file: display,
        fix: "put the values under named keys, e.g. `seed: 42`"
      }
    );
  }
  return { value, notes };
}
function hasUnsafeInteger(value, depth = 0) {
  if (depth > MAX_DEPTH2) return false;
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some((item) => hasUnsafeInteger(item, depth + 1));
  if (typeof value === "object" && value !== null)
    return Object.values(value).some((item) => hasUnsafeInteger(item, depth + 1));
  return false;
}
function toJsonValue(value, path, notes, display, depth = 0) {
  if (depth > MAX_DEPTH2) {
    throw new LedgerError("BAD_INPUT", `nests deeper than ${MAX_DEPTH2} levels`, {
      file: display,
      // The path of a value that deep is itself hundreds of characters: its start is enough.
      field: path.length > 60 ? `${path.slice(0, 60)}\u2026` : path,
      fix: "flatten the structure"
    });
  }
  const where = path || "(top level)";
  if (value === null || value === void 0) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return keepText(value, where, notes);
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    notes.push(`${where}: ${value} kept as text (JSON has no such number)`);
    return String(value);
  }
  if (typeof value === "bigint") {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER))
      return Number(value);
    notes.push(`${where}: integer beyond 2^53 kept as text to keep every digit`);
    return value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value))
    return value.map((item, index) => toJsonValue(item, `${path}[${index}]`, notes, display, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([key, item]) => [
        String(key),
        toJsonValue(item, join3(path, String(key)), notes, display, depth + 1)
      ])
    );
  }
  if (value instanceof Set)
    return [...value].map((item, index) => toJsonValue(item, `${path}[${index}]`, notes, display, depth + 1));
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        keepText(key, join3(path, key), notes),
        toJsonValue(item, join3(path, key), notes, display, depth + 1)
      ])
    );
  }
  notes.push(`${where}: a ${typeof value} value kept as text`);
  return typeof value === "symbol" ? value.toString() : typeof value;
}
function keepText(text, where, notes) {
  const fixed = wellFormed(text);
  if (fixed === text) return text;
  notes.push(`${where}: a lone UTF-16 surrogate replaced with U+FFFD (it has no UTF-8 form)`);
  return fixed;
}
function join3(path, key) {
  return path ? `${path}.${key}` : key;
}

// src/collect/dataset-scan.ts
import { lstat, readdir as readdir2 } from "node:fs/promises";
import { isAbsolute as isAbsolute2, join as join4 } from "node:path";

// src/formats/index.ts
import { extname } from "node:path";

// src/formats/reader.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
var WINDOW_BYTES = 1024 * 1024;
function formatFailure(display, fix) {
  return (message, field2) => new LedgerError("FORMAT", message, { file: display, ...field2 ? { field: field2 } : {}, fix });
}
var FileSource = class _FileSource {
  constructor(handle, size, display) {
    this.handle = handle;
    this.size = size;
    this.display = display;
  }
  handle;
  size;
  display;
  static async open(path, display) {
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw new LedgerError("BAD_INPUT", `cannot open model file (${describeError(error)})`, {
        file: display,
        cause: error,
        fix: "check that the file exists and is readable"
      });
    }
    let stats;
    try {
      stats = await handle.stat();
    } catch (error) {
      await handle.close();
      throw new LedgerError("BAD_INPUT", `cannot stat model file (${describeError(error)})`, {
        file: display,
        cause: error
      });
    }
    if (!stats.isFile()) {
      await handle.close();
      throw new LedgerError("BAD_INPUT", "is not a regular file", {
        file: display,
        fix: "name a regular model file"
      });
    }
    return new _FileSource(handle, stats.size, display);
  }
  async read(offset, length) {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      let bytesRead;
      try {
        ({ bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled));
      } catch (error) {
        throw new LedgerError("FORMAT", `reading failed (${describeError(error)})`, {
          file: this.display,
          cause: error
        });
      }
      if (bytesRead === 0) {
        throw new LedgerError(
          "FORMAT",
          `the file ended at byte ${offset + filled} while it was being read (it changed?)`,
          {
            file: this.display,
            fix: "record once whatever writes the file has finished"
          }
        );
      }
      filled += bytesRead;
    }
    return buffer;
  }
  async close() {
    await this.handle.close();
  }
};
var BufferSource = class {
  constructor(buffer) {
    this.buffer = buffer;
    this.size = buffer.length;
  }
  buffer;
  size;
  async read(offset, length) {
    return this.buffer.subarray(offset, offset + length);
  }
};
var Cursor = class {
  constructor(source, start, end, fail) {
    this.source = source;
    this.end = end;
    this.fail = fail;
    this.offset = start;
  }
  source;
  end;
  fail;
  window = Buffer.alloc(0);
  windowStart = 0;
  offset;
  /** Where in the file this cursor reads (e.g. a pickle inside an archive); named by its errors. */
  field;
  get position() {
    return this.offset;
  }
  get remaining() {
    return this.end - this.offset;
  }
  /** Fails unless `count` more bytes exist; `what` says what they were for. */
  require(count, what) {
    if (typeof count === "bigint" ? count > BigInt(this.remaining) : count > this.remaining) {
      throw this.fail(
        `${what} needs ${count} bytes at byte ${this.offset} but only ${this.remaining} remain (truncated or corrupt)`,
        this.field
      );
    }
    return Number(count);
  }
  async ensure(count, what) {
    this.require(count, what);
    const windowEnd = this.windowStart + this.window.length;
    if (this.offset >= this.windowStart && this.offset + count <= windowEnd) return;
    const length = Math.min(Math.max(count, WINDOW_BYTES), this.end - this.offset);
    this.window = await this.source.read(this.offset, length);
    this.windowStart = this.offset;
  }
  /** Bytes as a view of the window (valid until the next read); `count` must be checked first. */
  async bytes(count, what) {
    await this.ensure(count, what);
    const at = this.offset - this.windowStart;
    this.offset += count;
    return this.window.subarray(at, at + count);
  }
  async skip(count, what) {
    this.offset += this.require(count, what);
  }
  seek(position) {
    if (position < 0 || position > this.end)
      throw this.fail(`offset ${position} is outside the file`, this.field);
    this.offset = position;
  }
  async u8(what) {
    return (await this.bytes(1, what)).readUInt8(0);
  }
  async u16(what) {
    return (await this.bytes(2, what)).readUInt16LE(0);
  }
  async u32(what) {
    return (await this.bytes(4, what)).readUInt32LE(0);
  }
  async i32(what) {
    return (await this.bytes(4, what)).readInt32LE(0);
  }
  async u64(what) {
    return (await this.bytes(8, what)).readBigUInt64LE(0);
  }
  async i64(what) {
    return (await this.bytes(8, what)).readBigInt64LE(0);
  }
  /** Bytes up to (not including) the next `\n`, at most `limit` of them; the newline is consumed. */
  async line(limit, what) {
    const parts = [];
    let length = 0;
    for (; ; ) {
      if (this.remaining === 0)
        throw this.fail(`${what}: the file ended before the end of the line (truncated)`, this.field);
      await this.ensure(1, what);
      const at = this.offset - this.windowStart;
      const newline = this.window.indexOf(10, at);
      const stop = newline === -1 ? this.window.length : newline;
      length += stop - at;
      if (length > limit)
        throw this.fail(`${what}: a line longer than ${limit} bytes at byte ${this.offset}`, this.field);
      parts.push(Buffer.from(this.window.subarray(at, stop)));
      this.offset += stop - at;
      if (newline !== -1) {
        this.offset += 1;
        return Buffer.concat(parts);
      }
    }
  }
};

// src/formats/gguf.ts
var FIX = "the file is not a valid GGUF file; re-convert it (llama.cpp convert scripts) or check the download";
var MAX_HEADER_BYTES = 256 * 1024 * 1024;
var MAX_KEPT_STRING = 64 * 1024;
var MAX_KEY_LENGTH = 64 * 1024;
var MAX_KEPT_ARRAY = 64;
var MAX_DIMS = 8;
var MAX_ARRAY_DEPTH = 4;
var ValueType = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  F32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  U64: 10,
  I64: 11,
  F64: 12
};
var FIXED_SIZES = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8
};
var TYPE_NAMES = [
  "u8",
  "i8",
  "u16",
  "i16",
  "u32",
  "i32",
  "f32",
  "bool",
  "string",
  "array",
  "u64",
  "i64",
  "f64"
];
var GGML_TYPES = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  6: "Q5_0",
  7: "Q5_1",
  8: "Q8_0",
  9: "Q8_1",
  10: "Q2_K",
  11: "Q3_K",
  12: "Q4_K",
  13: "Q5_K",
  14: "Q6_K",
  15: "Q8_K",
  16: "IQ2_XXS",
  17: "IQ2_XS",
  18: "IQ3_XXS",
  19: "IQ1_S",
  20: "IQ4_NL",
  21: "IQ3_S",
  22: "IQ2_S",
  23: "IQ4_XS",
  24: "I8",
  25: "I16",
  26: "I32",
  27: "I64",
  28: "F64",
  29: "IQ1_M",
  30: "BF16",
  34: "TQ1_0",
  35: "TQ2_0",
  39: "MXFP4"
};
var GgufReader = class {
  constructor(cursor, version, fail) {
    this.cursor = cursor;
    this.version = version;
    this.fail = fail;
  }
  cursor;
  version;
  fail;
  /** Counts and lengths: u32 in version 1, u64 since. */
  async count(what) {
    return this.version === 1 ? BigInt(await this.cursor.u32(what)) : this.cursor.u64(what);
  }
  async string(what, keep) {
    const length = await this.count(`${what} length`);
    const size = this.cursor.require(length, what);
    if (size > keep) {
      await this.cursor.skip(size, what);
      return { length: size };
    }
    const bytes = await this.cursor.bytes(size, what);
    return bytes.toString("utf8");
  }
  async value(type, field2, keep, depth = 0) {
    const fixed = FIXED_SIZES[type];
    if (fixed !== void 0) {
      if (!keep) {
        await this.cursor.skip(fixed, field2);
        return null;
      }
      return this.scalar(type, field2);
    }
    if (type === ValueType.String) {
      const text = await this.string(field2, keep ? MAX_KEPT_STRING : -1);
      return typeof text === "string" ? text : { type: "string", length: text.length };
    }
    if (type === ValueType.Array) {
      if (depth >= MAX_ARRAY_DEPTH) throw this.fail(`arrays nested more than ${MAX_ARRAY_DEPTH} deep`, field2);
      const elementType = await this.cursor.u32(`${field2} element type`);
      const count = await this.count(`${field2} length`);
      const elementSize = FIXED_SIZES[elementType];
      const minimum = elementSize ?? (elementType === ValueType.String ? this.version === 1 ? 4 : 8 : 4);
      this.cursor.require(count * BigInt(minimum), `${field2}: ${count} elements`);
      const length = Number(count);
      if (!keep || length > MAX_KEPT_ARRAY) {
        if (elementSize !== void 0) await this.cursor.skip(length * elementSize, field2);
        else {
          for (let index = 0; index < length; index++) {
            if (index % 4096 === 0 && this.cursor.position > MAX_HEADER_BYTES) {
              throw this.fail(`metadata runs past ${MAX_HEADER_BYTES} bytes`, field2);
            }
            await this.value(elementType, `${field2}[${index}]`, false, depth + 1);
          }
        }
        return keep ? { type: `array<${TYPE_NAMES[elementType] ?? elementType}>`, length } : null;
      }
      const values = [];
      for (let index = 0; index < length; index++)
        values.push(await this.value(elementType, `${field2}[${index}]`, true, depth + 1));
      return values;
    }
    throw this.fail(`unknown value type ${type}`, field2);
  }
  async scalar(type, field2) {
    const c = this.cursor;
    switch (type) {
      case ValueType.U8:
        return c.u8(field2);
      case ValueType.I8:
        return (await c.bytes(1, field2)).readInt8(0);
      case ValueType.U16:
        return c.u16(field2);
      case ValueType.I16:
        return (await c.bytes(2, field2)).readInt16LE(0);
      case ValueType.U32:
        return c.u32(field2);
      case ValueType.I32:
        return c.i32(field2);
      case ValueType.F32:
        return finite((await c.bytes(4, field2)).readFloatLE(0));
      case ValueType.Bool:
        return await c.u8(field2) !== 0;
      case ValueType.U64:
        return integer(await c.u64(field2));
      case ValueType.I64:
        return integer(await c.i64(field2));
      default:
        return finite((await c.bytes(8, field2)).readDoubleLE(0));
    }
  }
};
function integer(value) {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}
function finite(value) {
  return Number.isFinite(value) ? value : String(value);
}
async function readGguf(source, display) {
  const fail = formatFailure(display, FIX);
  const cursor = new Cursor(source, 0, source.size, fail);
  if (source.size < 8)
    throw fail(`file of ${source.size} bytes is too short for a GGUF header (truncated)`, "header");
  const magic = await cursor.bytes(4, "the magic");
  if (magic.toString("latin1") !== "GGUF") throw fail('does not start with "GGUF"', "magic");
  const version = await cursor.u32("the version");
  if (version < 1 || version > 3)
    throw fail(`GGUF version ${version} is not one model-ledger reads (1-3)`, "version");
  const reader = new GgufReader(cursor, version, fail);
  const tensorCount = await reader.count("the tensor count");
  const kvCount = await reader.count("the metadata key count");
  const lengthBytes = version === 1 ? 4 : 8;
  const minimumKv = BigInt(lengthBytes + 4 + 1);
  const minimumTensor = BigInt(lengthBytes + 4 + 4 + 8);
  if (kvCount * minimumKv > BigInt(cursor.remaining)) {
    throw fail(`claims ${kvCount} metadata keys, impossible in ${source.size} bytes`, "metadata key count");
  }
  if (tensorCount * minimumTensor > BigInt(cursor.remaining)) {
    throw fail(`claims ${tensorCount} tensors, impossible in ${source.size} bytes`, "tensor count");
  }
  const general = {};
  const keys = [];
  let alignment = 32;
  for (let index = 0n; index < kvCount; index++) {
    if (cursor.position > MAX_HEADER_BYTES)
      throw fail(`metadata runs past ${MAX_HEADER_BYTES} bytes`, "metadata");
    const key = await reader.string(`metadata key ${index}`, MAX_KEY_LENGTH);
    if (typeof key !== "string") throw fail(`a key of ${key.length} bytes`, `metadata key ${index}`);
    const type = await cursor.u32(`${key} type`);
    const keep = key.startsWith("general.");
    const value = await reader.value(type, key, keep);
    if (keys.length < 1e3) keys.push(key);
    if (keep)
      Object.defineProperty(general, key.slice("general.".length), {
        value,
        enumerable: true,
        writable: true,
        configurable: true
      });
    if (key === "general.alignment") {
      if (typeof value !== "number" || value <= 0 || value % 8 !== 0)
        throw fail("must be a positive multiple of 8", key);
      alignment = value;
    }
  }
  const tensorTypes = /* @__PURE__ */ new Map();
  const offsets = [];
  let parameters = 0n;
  for (let index = 0n; index < tensorCount; index++) {
    if (cursor.position > MAX_HEADER_BYTES)
      throw fail(`tensor infos run past ${MAX_HEADER_BYTES} bytes`, "tensor infos");
    const field2 = `tensor ${index}`;
    const name = await reader.string(`${field2} name`, MAX_KEY_LENGTH);
    if (typeof name !== "string") throw fail(`a name of ${name.length} bytes`, field2);
    const dims = await cursor.u32(`${name} dimension count`);
    if (dims > MAX_DIMS) throw fail(`${dims} dimensions (at most ${MAX_DIMS})`, `tensor ${name}`);
    let elements = 1n;
    for (let dim = 0; dim < dims; dim++)
      elements *= version === 1 ? BigInt(await cursor.u32(`${name} dimension`)) : await cursor.u64(`${name} dimension`);
    const type = await cursor.u32(`${name} type`);
    const offset = await cursor.u64(`${name} offset`);
    const typeName = GGML_TYPES[type] ?? `type${type}`;
    tensorTypes.set(typeName, (tensorTypes.get(typeName) ?? 0) + 1);
    parameters += elements;
    offsets.push({ name, offset });
  }
  const dataStart = Math.ceil(cursor.position / alignment) * alignment;
  const dataLength = BigInt(Math.max(0, source.size - dataStart));
  for (const { name, offset } of offsets) {
    if (offset % BigInt(alignment) !== 0n)
      throw fail(`offset ${offset} is not a multiple of the alignment ${alignment}`, `tensor ${name}`);
    if (offset > dataLength) {
      throw fail(`offset ${offset} lies beyond the ${dataLength} data bytes`, `tensor ${name}`);
    }
  }
  return {
    format: "gguf",
    metadata: {
      version,
      tensors: Number(tensorCount),
      parameters: integer(parameters),
      tensorTypes: Object.fromEntries(tensorTypes),
      metadataKeys: Number(kvCount),
      general,
      keys
    },
    warnings: []
  };
}

// src/formats/onnx.ts
var FIX2 = "the file is not a valid ONNX model; re-export it (torch.onnx.export, onnx.save) or check the download";
var MAX_TEXT = 64 * 1024;
var MAX_DOC = 4 * 1024;
var MAX_FIELDS = 5e6;
var MAX_METADATA_PROPS = 1e4;
var WIRE_VARINT = 0;
var WIRE_FIXED64 = 1;
var WIRE_LEN = 2;
var WIRE_FIXED32 = 5;
var DATA_LOCATION_EXTERNAL = 1n;
var ProtoReader = class {
  constructor(cursor, fail) {
    this.cursor = cursor;
    this.fail = fail;
  }
  cursor;
  fail;
  seen = 0;
  async varint(what) {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = await this.cursor.u8(what);
      result |= BigInt(byte & 127) << shift;
      if ((byte & 128) === 0) return result;
    }
    throw this.fail(`a varint longer than 10 bytes at byte ${this.cursor.position}`, what);
  }
  /** Calls `onField` for each field in [position, end); it must consume LEN payloads itself. */
  async fields(end, what, onField) {
    while (this.cursor.position < end) {
      if (++this.seen > MAX_FIELDS) throw this.fail(`more than ${MAX_FIELDS} protobuf fields`, what);
      const tag = await this.varint(`${what} field tag`);
      const field2 = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field2 === 0) throw this.fail(`field number 0 at byte ${this.cursor.position}`, what);
      if (!await onField(field2, wire, end)) await this.skip(wire, end, `${what} field ${field2}`);
      if (this.cursor.position > end) throw this.fail(`a field runs past the end of its message`, what);
    }
  }
  async skip(wire, end, what) {
    switch (wire) {
      case WIRE_VARINT:
        await this.varint(what);
        return;
      case WIRE_FIXED64:
        await this.cursor.skip(8, what);
        return;
      case WIRE_LEN:
        await this.cursor.skip(await this.length(end, what), what);
        return;
      case WIRE_FIXED32:
        await this.cursor.skip(4, what);
        return;
      default:
        throw this.fail(`unsupported protobuf wire type ${wire}`, what);
    }
  }
  /** A LEN payload's length, checked against the enclosing message. */
  async length(end, what) {
    const length = await this.varint(`${what} length`);
    if (length > BigInt(end - this.cursor.position)) {
      throw this.fail(`length ${length} runs past the end of its message (truncated or corrupt)`, what);
    }
    return Number(length);
  }
  async text(end, what, keep) {
    const length = await this.length(end, what);
    if (length > keep) {
      const head = (await this.cursor.bytes(keep, what)).toString("utf8");
      await this.cursor.skip(length - keep, what);
      return `${head}\u2026`;
    }
    return (await this.cursor.bytes(length, what)).toString("utf8");
  }
  expect(wire, wanted, what) {
    if (wire !== wanted) throw this.fail(`has protobuf wire type ${wire}, expected ${wanted}`, what);
  }
};
function integer2(value) {
  const signed = BigInt.asIntN(64, value);
  return signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(signed) : signed.toString();
}
async function readOnnx(source, display) {
  const fail = formatFailure(display, FIX2);
  if (source.size === 0) throw fail("the file is empty", "ModelProto");
  const cursor = new Cursor(source, 0, source.size, fail);
  const proto = new ProtoReader(cursor, fail);
  const metadata = {};
  const opsets = {};
  const props = [];
  let functions = 0;
  let graph;
  await proto.fields(source.size, "ModelProto", async (field2, wire, end) => {
    switch (field2) {
      case 1:
      case 5: {
        proto.expect(wire, WIRE_VARINT, field2 === 1 ? "ir_version" : "model_version");
        metadata[field2 === 1 ? "irVersion" : "modelVersion"] = integer2(await proto.varint("ir_version"));
        return true;
      }
      case 2:
      case 3:
      case 4:
      case 6: {
        const name = { 2: "producerName", 3: "producerVersion", 4: "domain", 6: "docString" }[field2];
        proto.expect(wire, WIRE_LEN, name);
        metadata[name] = await proto.text(end, name, field2 === 6 ? MAX_DOC : MAX_TEXT);
        return true;
      }
      case 7: {
        proto.expect(wire, WIRE_LEN, "graph");
        const length = await proto.length(end, "graph");
        graph = await readGraph(proto, cursor.position + length);
        return true;
      }
      case 8: {
        proto.expect(wire, WIRE_LEN, "opset_import");
        const length = await proto.length(end, "opset_import");
        const [domain, version] = await readOpset(proto, cursor.position + length);
        Object.defineProperty(opsets, domain === "" ? "ai.onnx" : domain, {
          value: version,
          enumerable: true,
          writable: true,
          configurable: true
        });
        return true;
      }
      case 14: {
        proto.expect(wire, WIRE_LEN, "metadata_props");
        if (props.length >= MAX_METADATA_PROPS)
          throw fail(`more than ${MAX_METADATA_PROPS} entries`, "metadata_props");
        const length = await proto.length(end, "metadata_props");
        props.push(await readEntry(proto, cursor.position + length));
        return true;
      }
      case 25:
        proto.expect(wire, WIRE_LEN, "functions");
        functions++;
        return false;
      default:
        return false;
    }
  });
  if (metadata["irVersion"] === void 0) {
    throw fail("has no ir_version: this is not an ONNX ModelProto", "ir_version");
  }
  metadata["opsets"] = opsets;
  if (props.length > 0) metadata["metadataProps"] = Object.fromEntries(props);
  if (graph) {
    metadata["graph"] = graph.counts;
    const { parameters } = graph;
    metadata["parameters"] = parameters <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parameters) : parameters.toString();
  }
  if (functions > 0) metadata["functions"] = functions;
  return { format: "onnx", metadata, warnings: [] };
}
async function readGraph(proto, end) {
  const counts = { nodes: 0, initializers: 0, inputs: 0, outputs: 0 };
  let sparse = 0;
  let external = 0;
  let parameters = 0n;
  let name;
  await proto.fields(end, "graph", async (field2, wire, messageEnd) => {
    if (field2 === 2) {
      proto.expect(wire, WIRE_LEN, "graph.name");
      name = await proto.text(messageEnd, "graph.name", MAX_TEXT);
      return true;
    }
    if (field2 === 5 || field2 === 15) {
      const what = field2 === 5 ? `graph.initializer[${counts.initializers}]` : `graph.sparse_initializer[${sparse}]`;
      proto.expect(wire, WIRE_LEN, what);
      const length = await proto.length(messageEnd, what);
      const tensor = await readTensorShape(proto, proto.cursor.position + length, field2 === 5 ? 1 : 3, what);
      parameters += tensor.elements;
      if (tensor.external) external++;
      if (field2 === 5) counts.initializers++;
      else sparse++;
      return true;
    }
    const counted = { 1: "nodes", 11: "inputs", 12: "outputs" }[field2];
    if (counted) counts[counted]++;
    return false;
  });
  return {
    counts: {
      ...name === void 0 ? {} : { name },
      ...counts,
      ...sparse > 0 ? { sparseInitializers: sparse } : {},
      ...external > 0 ? { externalInitializers: external } : {}
    },
    parameters
  };
}
async function readTensorShape(proto, end, dimsField, what) {
  let elements = 1n;
  let external = false;
  const dim = (value) => {
    const signed = BigInt.asIntN(64, value);
    if (signed < 0n) throw proto.fail(`has a negative dimension ${signed}`, `${what}.dims`);
    elements *= signed;
  };
  await proto.fields(end, what, async (field2, wire, messageEnd) => {
    if (field2 === dimsField && wire === WIRE_VARINT) {
      dim(await proto.varint(`${what}.dims`));
      return true;
    }
    if (field2 === dimsField) {
      proto.expect(wire, WIRE_LEN, `${what}.dims`);
      const length = await proto.length(messageEnd, `${what}.dims`);
      const packedEnd = proto.cursor.position + length;
      while (proto.cursor.position < packedEnd) dim(await proto.varint(`${what}.dims`));
      if (proto.cursor.position !== packedEnd)
        throw proto.fail("a packed varint runs past its field", `${what}.dims`);
      return true;
    }
    if (dimsField === 1 && field2 === 14 && wire === WIRE_VARINT) {
      external = await proto.varint(`${what}.data_location`) === DATA_LOCATION_EXTERNAL;
      return true;
    }
    return false;
  });
  return { elements, external };
}
async function readOpset(proto, end) {
  let domain = "";
  let version = 0;
  await proto.fields(end, "opset_import", async (field2, wire, messageEnd) => {
    if (field2 === 1) {
      proto.expect(wire, WIRE_LEN, "opset_import.domain");
      domain = await proto.text(messageEnd, "opset_import.domain", MAX_TEXT);
      return true;
    }
    if (field2 === 2) {
      proto.expect(wire, WIRE_VARINT, "opset_import.version");
      version = integer2(await proto.varint("opset_import.version"));
      return true;
    }
    return false;
  });
  return [domain, version];
}
async function readEntry(proto, end) {
  let key = "";
  let value = "";
  await proto.fields(end, "metadata_props", async (field2, wire, messageEnd) => {
    if (field2 === 1 || field2 === 2) {
      proto.expect(wire, WIRE_LEN, field2 === 1 ? "metadata_props.key" : "metadata_props.value");
      const text = await proto.text(messageEnd, "metadata_props", MAX_TEXT);
      if (field2 === 1) key = text;
      else value = text;
      return true;
    }
    return false;
  });
  return [key, value];
}

// src/formats/stream.ts
import { Readable } from "node:stream";
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw
} from "node:zlib";

// src/formats/decoded.ts
var DecodedStream = class {
  constructor(budget, format) {
    this.budget = budget;
    this.format = format;
  }
  budget;
  format;
  pending = Buffer.alloc(0);
  done = false;
  consumed = 0;
  /** A FORMAT error for corrupt or truncated input. */
  corrupt(detail, cause) {
    return new LedgerError("FORMAT", `${this.format} data is corrupt or truncated (${detail})`, {
      file: this.budget.file,
      ...cause === void 0 ? {} : { cause },
      fix: "the file is damaged; check the download"
    });
  }
  get position() {
    return this.consumed;
  }
  async pull() {
    if (this.done) return false;
    let chunk;
    try {
      chunk = await this.next();
    } catch (error) {
      this.done = true;
      if (error instanceof LedgerError) throw error;
      throw this.corrupt(describeError(error), error);
    }
    if (chunk === null) {
      this.done = true;
      return false;
    }
    this.budget.inflate(chunk.length);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }
  async fill(min) {
    while (this.pending.length < min && await this.pull()) ;
    return this.pending;
  }
  consume(count) {
    this.pending = this.pending.subarray(count);
    this.consumed += count;
  }
  async skip(count) {
    let left = count;
    for (; ; ) {
      const take = Math.min(left, this.pending.length);
      this.consume(take);
      left -= take;
      if (left === 0) return true;
      if (!await this.pull()) return false;
    }
  }
  close() {
    this.done = true;
    this.pending = Buffer.alloc(0);
    this.release();
  }
};

// src/formats/stream.ts
var CHUNK = 1024 * 1024;
var FIRST_CHUNK = 128 * 1024;
var ScanBoundError = class extends LedgerError {
  constructor(message, file) {
    super("FORMAT", message, { file, fix: "the scan stopped at a bound; treat the file as unchecked" });
    this.name = "ScanBoundError";
  }
};
var ScanBudget = class {
  constructor(file, limits = DEFAULT_LIMITS) {
    this.file = file;
    this.limits = limits;
  }
  file;
  limits;
  inflated = 0;
  members = 0;
  /** Counts inflated bytes, failing with a ScanBoundError past the limit. */
  inflate(bytes) {
    this.inflated += bytes;
    if (this.inflated > this.limits.inflatedBytes)
      throw new ScanBoundError(
        `inflates to more than ${this.limits.inflatedBytes} bytes (a compression bomb?); the rest was not scanned`,
        this.file
      );
  }
  member() {
    this.members++;
    if (this.members > this.limits.members)
      throw new ScanBoundError(
        `holds more than ${this.limits.members} archive members; the rest were not scanned`,
        this.file
      );
  }
};
var DEFAULT_LIMITS = {
  depth: 6,
  members: 2e4,
  inflatedBytes: 4 * 1024 * 1024 * 1024,
  memberInMemory: 256 * 1024 * 1024
};
var RangeStream = class {
  constructor(source, start, end) {
    this.source = source;
    this.start = start;
    this.end = end;
    this.at = start;
  }
  source;
  start;
  end;
  chunk = Buffer.alloc(0);
  chunkStart = 0;
  at;
  next = FIRST_CHUNK;
  get position() {
    return this.at - this.start;
  }
  async fill(min) {
    const want = Math.min(min, this.end - this.at);
    const offset = this.at - this.chunkStart;
    if (offset >= 0 && offset + want <= this.chunk.length) return this.chunk.subarray(offset);
    const length = Math.min(Math.max(min, this.next), this.end - this.at);
    this.next = Math.min(this.next * 2, CHUNK);
    this.chunk = await this.source.read(this.at, length);
    this.chunkStart = this.at;
    return this.chunk;
  }
  consume(count) {
    this.at += count;
  }
  async skip(count) {
    if (this.at + count > this.end) {
      this.at = this.end;
      return false;
    }
    this.at += count;
    return true;
  }
  close() {
  }
};
var InflateStream = class extends DecodedStream {
  inflater;
  input;
  output;
  constructor(source, start, end, kind, budget) {
    super(budget, "compressed");
    const options = { chunkSize: 256 * 1024 };
    this.inflater = kind === "gzip" ? createGunzip(options) : kind === "zlib" ? createInflate(options) : kind === "deflate-raw" ? createInflateRaw(options) : createBrotliDecompress(options);
    this.input = Readable.from(compressedChunks(source, start, end));
    this.input.on("error", (error) => this.inflater.destroy(error));
    this.input.pipe(this.inflater);
    this.output = this.inflater[Symbol.asyncIterator]();
  }
  async next() {
    const next = await this.output.next();
    return next.done ? null : next.value;
  }
  release() {
    this.input.destroy();
    this.inflater.destroy();
  }
};
async function* compressedChunks(source, start, end) {
  for (let at = start; at < end; at += CHUNK) yield await source.read(at, Math.min(CHUNK, end - at));
}
async function readAll(stream, limit) {
  const parts = [];
  let total = 0;
  for (; ; ) {
    const chunk = await stream.fill(1);
    if (chunk.length === 0) return Buffer.concat(parts, total);
    total += chunk.length;
    if (total > limit) return null;
    parts.push(Buffer.from(chunk));
    stream.consume(chunk.length);
  }
}

// src/formats/pickle.ts
var PICKLE_LIMITS = {
  stack: 4e6,
  memoValues: 1e6,
  memoBytes: 48 * 1024 * 1024,
  distinctImports: 1e5
};
var OTHER = { k: "other" };
var DROPPED = { k: "dropped" };
var SMALL_INTS = Array.from({ length: 1024 }, (_, v) => ({ k: "int", v }));
var MAX_LINE = 32 * 1024;
var LOOK = 2 * MAX_LINE + 4096;
var MAX_NAME = 1024;
var MAX_TRACKED_ITEMS = 16;
var MAX_UNRESOLVED_LISTED = 1e3;
var MEMO_BITSET_KEYS = 1 << 24;
var JOBLIB_WRAPPERS = /* @__PURE__ */ new Set([
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper"
]);
var GETATTR = /* @__PURE__ */ new Set(["builtins.getattr", "__builtin__.getattr"]);
var DTYPE = /* @__PURE__ */ new Set(["numpy.dtype", "numpy.core.multiarray.dtype", "numpy._core.multiarray.dtype"]);
var TENSOR_REBUILDS = /* @__PURE__ */ new Map([
  ["torch._utils._rebuild_tensor", 2],
  ["torch._utils._rebuild_tensor_v2", 2],
  ["torch._utils._rebuild_tensor_v3", 2],
  ["torch._utils._rebuild_qtensor", 2],
  ["torch._utils._rebuild_meta_tensor_no_storage", 1]
]);
var TENSOR_SUBCLASS = /* @__PURE__ */ new Set(["torch._tensor._rebuild_from_type", "torch._tensor._rebuild_from_type_v2"]);
var OTHER_TENSOR = /^torch\._utils\._rebuild_(?!parameter)/;
var MAX_TENSORS = 2e5;
function emptyScan() {
  return {
    protocol: 0,
    imports: [],
    unresolved: [],
    untracked: 0,
    opcodes: 0,
    streams: 0,
    tensors: [],
    tensorsOmitted: 0
  };
}
var PickleFormatError = class extends LedgerError {
  constructor(detail, file, offset) {
    super("FORMAT", detail, {
      file,
      fix: "the file is not a valid pickle; save it again or check the download"
    });
    this.detail = detail;
    this.offset = offset;
    this.name = "PickleFormatError";
  }
  detail;
  offset;
};
async function scanPickle(stream, label, scan = emptyScan(), limits = PICKLE_LIMITS) {
  await new Scanner(stream, label, scan, limits).run();
  return scan;
}
var Scanner = class _Scanner {
  constructor(stream, label, scan, limits) {
    this.stream = stream;
    this.label = label;
    this.scan = scan;
    this.limits = limits;
    this.start = stream.position;
    scan.imports.forEach((entry, index) => this.byName.set(`${entry.module}
${entry.name}`, index));
  }
  stream;
  label;
  scan;
  limits;
  buf = Buffer.alloc(0);
  p = 0;
  /** Stream position of buf[0]. */
  base = 0;
  ended = false;
  stack = [];
  meta = [];
  depth = 0;
  /** Kept memo values: an array for the dense keys pickles use (a Map of millions is slow), a Map past 2^24. */
  memo = [];
  bigMemo = /* @__PURE__ */ new Map();
  memoKept = 0;
  /** Which memo keys were stored (Python fails on a GET of any other): a bitset, grown as needed. */
  memoKeys = new Uint8Array(128);
  bigMemoKeys = /* @__PURE__ */ new Set();
  memoCount = 0;
  memoCost = 0;
  memoDropped = false;
  byName = /* @__PURE__ */ new Map();
  start;
  fail(message, at = this.offset()) {
    return new PickleFormatError(message, this.label, at);
  }
  bound(message) {
    return new ScanBoundError(message, this.label);
  }
  offset() {
    return this.base + this.p - this.start;
  }
  async refill() {
    this.stream.consume(this.p);
    this.base = this.stream.position;
    this.buf = await this.stream.fill(LOOK + 1);
    this.p = 0;
    this.ended = this.buf.length <= LOOK;
  }
  /** Fails unless `count` more bytes are in the window (it holds LOOK bytes unless the stream ends). */
  need(count, what) {
    if (this.p + count > this.buf.length)
      throw this.fail(`${what} runs past the end of the data at byte ${this.offset()} (truncated)`);
  }
  /** Skips `count` bytes, reading past the window if it must. */
  async skip(count, what) {
    if (this.p + count <= this.buf.length) {
      this.p += count;
      return;
    }
    const at = this.offset();
    this.stream.consume(this.p);
    this.p = 0;
    this.buf = Buffer.alloc(0);
    if (!await this.stream.skip(count))
      throw this.fail(
        `${what} of ${count} bytes at byte ${at} runs past the end of the data (truncated)`,
        at
      );
    this.base = this.stream.position;
    await this.refill();
  }
  /** A newline-terminated operand kept as text (GLOBAL and INST names, memo keys, numbers). */
  line(what) {
    const end = this.buf.indexOf(10, this.p);
    if (end === -1 && this.ended)
      throw this.fail(`${what}: the data ended before the end of the line (truncated)`);
    if (end === -1 || end - this.p > MAX_LINE)
      throw this.fail(`${what}: no end of line within ${MAX_LINE} bytes at byte ${this.offset()}`);
    const text = this.buf.toString("latin1", this.p, end);
    this.p = end + 1;
    return text;
  }
  /** A newline-terminated operand of any length, kept only when short (STRING, UNICODE, LONG). */
  async longLine(what) {
    for (let first = true; ; first = false) {
      const end = this.buf.indexOf(10, this.p);
      if (end !== -1) {
        const text = first && end - this.p <= MAX_NAME * 4 ? Buffer.from(this.buf.subarray(this.p, end)) : null;
        this.p = end + 1;
        return text;
      }
      if (this.ended) throw this.fail(`${what}: the data ended before the end of the line (truncated)`);
      this.p = this.buf.length;
      await this.refill();
    }
  }
  push(value) {
    if (++this.depth > this.limits.stack) throw this.bound(`stack deeper than ${this.limits.stack}`);
    this.stack.push(value);
  }
  pop() {
    const value = this.stack.pop();
    if (value === void 0) throw this.fail(`stack underflow at byte ${this.offset() - 1}`);
    this.depth--;
    return value;
  }
  top() {
    const value = this.stack[this.stack.length - 1];
    if (value === void 0) throw this.fail(`stack underflow at byte ${this.offset() - 1}`);
    return value;
  }
  mark() {
    this.meta.push(this.stack);
    this.stack = [];
  }
  popMark() {
    const items = this.stack;
    const previous = this.meta.pop();
    if (previous === void 0) throw this.fail(`no MARK to pop to at byte ${this.offset() - 1}`);
    this.depth -= items.length;
    this.stack = previous;
    return items;
  }
  use(value) {
    if (value.k === "global") this.scan.imports[value.i].uses++;
    return value;
  }
  called(value) {
    if (value?.k === "global") this.scan.imports[value.i].called = true;
    if (value?.k === "member") this.scan.imports[value.i].enumIdiomCalls--;
  }
  memoHas(key) {
    if (key >= MEMO_BITSET_KEYS) return this.bigMemoKeys.has(key);
    const byte = key >> 3;
    return byte < this.memoKeys.length && (this.memoKeys[byte] & 1 << (key & 7)) !== 0;
  }
  memoSet(key, value) {
    const fresh = !this.memoHas(key);
    if (fresh) {
      if (key < MEMO_BITSET_KEYS) {
        const byte = key >> 3;
        if (byte >= this.memoKeys.length) {
          const grown = new Uint8Array(
            Math.min(MEMO_BITSET_KEYS / 8, Math.max(byte + 1, this.memoKeys.length * 2))
          );
          grown.set(this.memoKeys);
          this.memoKeys = grown;
        }
        this.memoKeys[byte] = this.memoKeys[byte] | 1 << (key & 7);
      } else {
        if (this.bigMemoKeys.size >= 1e5) throw this.bound("more than 100000 memo keys beyond 2^24");
        this.bigMemoKeys.add(key);
      }
      this.memoCount++;
    }
    if (value.k === "other" || value.k === "dict") {
      if (!fresh) this.memoForget(key);
      return;
    }
    const cost = value.k === "str" ? 32 + value.v.length : value.k === "tuple" ? 32 + 16 * value.items.length : 32;
    if (value.k !== "global" && (this.memoKept >= this.limits.memoValues || this.memoCost + cost > this.limits.memoBytes)) {
      this.memoDropped = true;
      this.memoForget(key);
      return;
    }
    this.memoCost += cost;
    if (key < MEMO_BITSET_KEYS) {
      if (this.memo[key] === void 0) this.memoKept++;
      this.memo[key] = value;
    } else {
      if (!this.bigMemo.has(key)) this.memoKept++;
      this.bigMemo.set(key, value);
    }
  }
  memoForget(key) {
    if (key < MEMO_BITSET_KEYS) {
      if (this.memo[key] !== void 0) {
        this.memoKept--;
        this.memo[key] = void 0;
      }
    } else if (this.bigMemo.delete(key)) this.memoKept--;
  }
  memoGet(key) {
    if (!this.memoHas(key)) throw this.fail(`memo key ${key} was never stored (at byte ${this.offset()})`);
    const value = key < MEMO_BITSET_KEYS ? this.memo[key] : this.bigMemo.get(key);
    return this.use(value ?? (this.memoDropped ? DROPPED : OTHER));
  }
  addImport(module, name, opcode, offset) {
    const key = `${module}
${name}`;
    let index = this.byName.get(key);
    if (index === void 0) {
      if (this.scan.imports.length >= this.limits.distinctImports)
        throw this.bound(`more than ${this.limits.distinctImports} distinct imports`);
      index = this.scan.imports.length;
      this.scan.imports.push({ module, name, opcode, offset, called: false, uses: 0, enumIdiomCalls: 0 });
      this.byName.set(key, index);
    }
    return this.use({ k: "global", i: index });
  }
  fullName(value) {
    if (value.k !== "global") return void 0;
    const entry = this.scan.imports[value.i];
    return `${entry.module}.${entry.name}`;
  }
  unresolved(opcode, offset) {
    if (this.scan.unresolved.length < MAX_UNRESOLVED_LISTED) this.scan.unresolved.push({ opcode, offset });
  }
  str(start, length, encoding) {
    return length > MAX_NAME ? OTHER : { k: "str", v: this.buf.toString(encoding, start, start + length) };
  }
  int(value) {
    return value >= 0 && value < SMALL_INTS.length ? SMALL_INTS[value] : { k: "int", v: value };
  }
  tuple(items) {
    return items.length <= MAX_TRACKED_ITEMS ? { k: "tuple", items } : OTHER;
  }
  setItems(target, items) {
    if (target.k !== "dict" || target.map === null) return;
    for (let at = 0; at + 1 < items.length; at += 2) {
      const key = items[at];
      if (key.k !== "str" || target.map.size >= MAX_TRACKED_ITEMS) {
        target.map = null;
        return;
      }
      target.map.set(key.v, items[at + 1]);
    }
  }
  /** REDUCE: callable(*args), with the few calls whose results matter recognised. */
  reduce(callable, args) {
    const name = this.fullName(callable);
    if (args.k === "tuple") {
      for (const item of args.items) if (item.k === "member") this.called(item);
    }
    if (name !== void 0 && GETATTR.has(name) && args.k === "tuple" && args.items.length === 2) {
      const [target, attribute] = args.items;
      if (target.k === "global" && attribute.k === "str" && /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/.test(attribute.v)) {
        const getattr = callable.i;
        this.scan.imports[getattr].enumIdiomCalls++;
        return { k: "member", i: getattr };
      }
    }
    this.called(callable);
    if (name !== void 0 && name.startsWith("torch.")) this.tensor(name, args);
    if (name !== void 0 && DTYPE.has(name) && args.k === "tuple" && args.items[0]?.k === "str")
      return { k: "dtype", code: args.items[0].v, size: dtypeSize(args.items[0].v) };
    return OTHER;
  }
  /** A tensor rebuild call: its storage, offset, shape and stride, as far as they are constants. */
  tensor(name, args) {
    let sizeAt = TENSOR_REBUILDS.get(name);
    if (TENSOR_SUBCLASS.has(name)) {
      const outer = args.k === "tuple" ? args.items : [];
      const inner = outer[0] === void 0 ? void 0 : this.fullName(outer[0]);
      sizeAt = inner === void 0 ? void 0 : TENSOR_REBUILDS.get(inner);
      args = outer[2] ?? OTHER;
    } else if (sizeAt === void 0 && !OTHER_TENSOR.test(name)) return;
    if (this.scan.tensors.length >= MAX_TENSORS) {
      this.scan.tensorsOmitted++;
      return;
    }
    const items = args.k === "tuple" ? args.items : [];
    const ints = (value) => value?.k === "tuple" && value.items.every((item) => item.k === "int" && item.v >= 0) ? value.items.map((item) => item.v) : null;
    const storage = sizeAt === 2 ? items[0] : void 0;
    const offset = sizeAt === 2 ? items[1] : void 0;
    this.scan.tensors.push({
      storage: storage?.k === "storage" ? storage.key : null,
      offset: offset?.k === "int" ? offset.v : null,
      shape: sizeAt === void 0 ? null : ints(items[sizeAt]),
      stride: sizeAt === void 0 ? null : ints(items[sizeAt + 1])
    });
  }
  /** BUILD: obj.__setstate__(state); a joblib array wrapper is followed by its raw data. */
  async build(target, state) {
    if (target.k === "dtype" && state.k === "tuple") {
      const size = state.items[5];
      if (size?.k === "int" && size.v > 0) target.size = size.v;
      return;
    }
    if (target.k !== "wrapper") return;
    if (state.k !== "dict" || state.map === null)
      throw this.bound("a joblib array whose layout could not be read; the bytes after it were not scanned");
    const shape = state.map.get("shape");
    const dtype = state.map.get("dtype");
    if (shape?.k !== "tuple" || !shape.items.every((item) => item.k === "int") || dtype?.k !== "dtype")
      throw this.bound("a joblib array of unknown shape or dtype; the bytes after it were not scanned");
    if (/O/.test(dtype.code)) {
      this.scan.streams++;
      await new _Scanner(this.stream, `${this.label} (joblib object array)`, this.scan, this.limits).runFrom(
        this
      );
      return;
    }
    const alignment = state.map.get("numpy_array_alignment_bytes");
    if (alignment !== void 0 && alignment.k === "int") {
      this.need(1, "joblib padding length");
      const padding = this.buf[this.p++];
      await this.skip(padding, "joblib padding");
    }
    if (dtype.size === null)
      throw this.bound(`a joblib array of dtype ${dtype.code}, whose size is not known`);
    const count = shape.items.reduce((product, item) => product * item.v, 1);
    await this.skip(count * dtype.size, "joblib array data");
  }
  /** Continues in the parent's window (a nested pickle read from the same stream), then hands it back. */
  async runFrom(parent) {
    this.buf = parent.buf;
    this.p = parent.p;
    this.base = parent.base;
    this.ended = parent.ended;
    await this.run(false);
    parent.buf = this.buf;
    parent.p = this.p;
    parent.base = this.base;
    parent.ended = this.ended;
  }
  /**
   * The common opcodes, synchronously, until the window runs low or an opcode needs the general
   * (asynchronous) path below: the scan spends its time here, at memory speed.
   */
  fast() {
    const scan = this.scan;
    const buf = this.buf;
    const limit = this.ended ? buf.length : buf.length - LOOK;
    while (this.p < limit) {
      const opcode = buf[this.p];
      switch (opcode) {
        case 40:
          this.p++;
          this.mark();
          break;
        case 48:
          this.p++;
          if (this.stack.length > 0) this.pop();
          else this.popMark();
          break;
        case 78:
        // NONE
        case 136:
        // NEWTRUE
        case 137:
        // NEWFALSE
        case 93:
        // EMPTY_LIST
        case 143:
          this.p++;
          this.push(OTHER);
          break;
        case 41:
          this.p++;
          this.push({ k: "tuple", items: [] });
          break;
        case 125:
          this.p++;
          this.push({ k: "dict", map: /* @__PURE__ */ new Map() });
          break;
        case 75:
          this.p++;
          this.need(1, "BININT1");
          this.push(this.int(buf[this.p++]));
          break;
        case 77:
          this.p++;
          this.need(2, "BININT2");
          this.push(this.int(buf.readUInt16LE(this.p)));
          this.p += 2;
          break;
        case 74:
          this.p++;
          this.need(4, "BININT");
          this.push(this.int(buf.readInt32LE(this.p)));
          this.p += 4;
          break;
        case 71:
          this.p++;
          this.need(8, "BINFLOAT");
          this.p += 8;
          this.push(OTHER);
          break;
        case 140:
        // SHORT_BINUNICODE
        case 85:
        // SHORT_BINSTRING
        case 67: {
          this.p++;
          this.need(1, "string length");
          const length = buf[this.p++];
          this.need(length, "string");
          this.push(opcode === 67 ? OTHER : this.str(this.p, length, opcode === 85 ? "latin1" : "utf8"));
          this.p += length;
          break;
        }
        case 88: {
          if (this.p + 5 > buf.length) return;
          const length = buf.readUInt32LE(this.p + 1);
          if (length > MAX_NAME || this.p + 5 + length > buf.length) return;
          this.push(this.str(this.p + 5, length, "utf8"));
          this.p += 5 + length;
          break;
        }
        case 97:
          this.p++;
          this.pop();
          this.top();
          break;
        case 101:
          this.p++;
          this.popMark();
          this.top();
          break;
        case 115: {
          this.p++;
          const value = this.pop();
          const key = this.pop();
          this.setItems(this.top(), [key, value]);
          break;
        }
        case 117:
          this.p++;
          {
            const items = this.popMark();
            this.setItems(this.top(), items);
          }
          break;
        case 133:
          this.p++;
          this.push(this.tuple([this.pop()]));
          break;
        case 134: {
          this.p++;
          const second = this.pop();
          this.push(this.tuple([this.pop(), second]));
          break;
        }
        case 135: {
          this.p++;
          const third = this.pop();
          const second = this.pop();
          this.push(this.tuple([this.pop(), second, third]));
          break;
        }
        case 116:
          this.p++;
          this.push(this.tuple(this.popMark()));
          break;
        case 113:
          this.p++;
          this.need(1, "BINPUT");
          this.memoSet(buf[this.p++], this.top());
          break;
        case 114:
          this.p++;
          this.need(4, "LONG_BINPUT");
          this.memoSet(buf.readUInt32LE(this.p), this.top());
          this.p += 4;
          break;
        case 148:
          this.p++;
          this.memoSet(this.memoCount, this.top());
          break;
        case 104:
          this.p++;
          this.need(1, "BINGET");
          this.push(this.memoGet(buf[this.p++]));
          break;
        case 106:
          this.p++;
          this.need(4, "LONG_BINGET");
          this.push(this.memoGet(buf.readUInt32LE(this.p)));
          this.p += 4;
          break;
        case 149:
          this.p++;
          this.need(8, "FRAME length");
          this.p += 8;
          break;
        default:
          return;
      }
      scan.opcodes++;
    }
  }
  async run(fresh = true) {
    if (fresh) await this.refill();
    const scan = this.scan;
    scan.streams += fresh ? 1 : 0;
    for (; ; ) {
      if (!this.ended && this.buf.length - this.p <= LOOK) await this.refill();
      this.fast();
      if (!this.ended && this.buf.length - this.p <= LOOK) continue;
      if (this.p >= this.buf.length)
        throw this.fail(`ended without STOP at byte ${this.offset()} (truncated)`);
      const offset = this.offset();
      const buf = this.buf;
      const opcode = buf[this.p++];
      scan.opcodes++;
      switch (opcode) {
        case 46:
          this.pop();
          this.finish();
          return;
        case 49:
          this.popMark();
          break;
        case 50:
          this.push(this.use(this.top()));
          break;
        case 70:
          this.line("FLOAT");
          this.push(OTHER);
          break;
        case 73: {
          const text = this.line("INT");
          const value = Number(text);
          this.push(Number.isSafeInteger(value) ? this.int(value) : OTHER);
          break;
        }
        case 76:
          await this.longLine("LONG");
          this.push(OTHER);
          break;
        case 138: {
          this.need(1, "LONG1 length");
          const length = buf[this.p++];
          this.need(length, "LONG1");
          let value = OTHER;
          if (length > 0 && length <= 6) {
            const number = buf.readIntLE(this.p, length);
            value = this.int(number);
          }
          this.p += length;
          this.push(value);
          break;
        }
        case 139: {
          this.need(4, "LONG4 length");
          const length = buf.readInt32LE(this.p);
          this.p += 4;
          if (length < 0) throw this.fail(`negative LONG4 length at byte ${offset}`);
          await this.skip(length, "LONG4");
          this.push(OTHER);
          break;
        }
        case 151:
          this.push(OTHER);
          break;
        case 80:
          await this.longLine("PERSID");
          this.push(OTHER);
          break;
        case 81: {
          const id = this.pop();
          const key = id.k === "tuple" && id.items[0]?.k === "str" && id.items[0].v === "storage" ? id.items[2] : void 0;
          this.push(key === void 0 ? OTHER : { k: "storage", key: key.k === "str" ? key.v : null });
          break;
        }
        case 82: {
          const args = this.pop();
          this.push(this.reduce(this.pop(), args));
          break;
        }
        case 83: {
          const raw = await this.longLine("STRING");
          this.push(raw === null ? OTHER : pythonStringLiteral(raw, offset, (message) => this.fail(message)));
          break;
        }
        case 86: {
          const raw = await this.longLine("UNICODE");
          this.push(raw === null ? OTHER : { k: "str", v: rawUnicodeEscape(raw) });
          break;
        }
        case 84:
        // BINSTRING 'T'
        case 88:
        // BINUNICODE 'X'
        case 66: {
          this.need(4, "string length");
          const length = opcode === 84 ? buf.readInt32LE(this.p) : buf.readUInt32LE(this.p);
          this.p += 4;
          if (length < 0) throw this.fail(`negative BINSTRING length at byte ${offset}`);
          await this.counted(length, opcode === 66 ? null : opcode === 84 ? "latin1" : "utf8");
          break;
        }
        case 141:
        // BINUNICODE8
        case 142:
        // BINBYTES8
        case 150: {
          this.need(8, "string length");
          const length = buf.readBigUInt64LE(this.p);
          this.p += 8;
          if (length > BigInt(Number.MAX_SAFE_INTEGER))
            throw this.fail(`a string of ${length} bytes at byte ${offset} (corrupt)`);
          await this.counted(Number(length), opcode === 141 ? "utf8" : null);
          break;
        }
        case 152:
          this.top();
          break;
        case 144:
          this.popMark();
          this.top();
          break;
        case 98: {
          const state = this.pop();
          await this.build(this.top(), state);
          break;
        }
        case 99: {
          const module = this.line("GLOBAL module");
          const name = this.line("GLOBAL name");
          this.push(this.addImport(utf8(module), utf8(name), "GLOBAL", offset));
          break;
        }
        case 105: {
          const module = this.line("INST module");
          const name = this.line("INST name");
          this.popMark();
          const value = this.addImport(utf8(module), utf8(name), "INST", offset);
          this.called(value);
          this.push(OTHER);
          break;
        }
        case 111: {
          const items = this.popMark();
          if (items.length === 0) throw this.fail(`OBJ without a class at byte ${offset}`);
          this.called(items[0]);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(items[0]) ?? "") ? { k: "wrapper" } : OTHER);
          break;
        }
        case 147: {
          const name = this.pop();
          const module = this.pop();
          if (module.k === "str" && name.k === "str")
            this.push(this.addImport(module.v, name.v, "STACK_GLOBAL", offset));
          else {
            if (module.k === "dropped" || name.k === "dropped") scan.untracked++;
            else this.unresolved("STACK_GLOBAL", offset);
            this.push(OTHER);
          }
          break;
        }
        case 130:
        // EXT1
        case 131:
        // EXT2
        case 132: {
          const size = opcode === 130 ? 1 : opcode === 131 ? 2 : 4;
          this.need(size, "EXT");
          this.p += size;
          this.unresolved(`EXT${size}`, offset);
          this.push(OTHER);
          break;
        }
        case 100:
        // DICT 'd'
        case 108:
        // LIST 'l'
        case 145:
          this.popMark();
          this.push(OTHER);
          break;
        case 129: {
          this.pop();
          const cls = this.pop();
          this.called(cls);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(cls) ?? "") ? { k: "wrapper" } : OTHER);
          break;
        }
        case 146: {
          this.pop();
          this.pop();
          const cls = this.pop();
          this.called(cls);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(cls) ?? "") ? { k: "wrapper" } : OTHER);
          break;
        }
        case 103:
          this.push(this.memoGet(this.memoKey(this.line("GET"), offset)));
          break;
        case 112:
          this.memoSet(this.memoKey(this.line("PUT"), offset), this.top());
          break;
        case 128: {
          this.need(1, "PROTO");
          const protocol = buf[this.p++];
          if (protocol > 5) throw this.fail(`pickle protocol ${protocol} is newer than 5`);
          scan.protocol = Math.max(scan.protocol, protocol);
          break;
        }
        default:
          throw this.fail(
            `unknown pickle opcode 0x${opcode.toString(16).padStart(2, "0")} at byte ${offset}`
          );
      }
    }
  }
  memoKey(text, offset) {
    const key = Number(text);
    if (!Number.isSafeInteger(key) || key < 0) throw this.fail(`bad memo key at byte ${offset}`);
    return key;
  }
  /** A length-prefixed string or bytes: kept when short enough to be a name, skipped otherwise. */
  async counted(length, decode) {
    if (decode !== null && length <= MAX_NAME) {
      this.need(length, "string");
      this.push(this.str(this.p, length, decode));
      this.p += length;
      return;
    }
    await this.skip(length, "string");
    this.push(OTHER);
  }
  finish() {
    this.stream.consume(this.p);
    this.base = this.stream.position;
    this.buf = this.buf.subarray(this.p);
    this.p = 0;
  }
};
function utf8(latin1) {
  return Buffer.from(latin1, "latin1").toString("utf8");
}
function dtypeSize(code) {
  const match = /^[<>|=]?([a-zA-Z?])(\d*)/.exec(code);
  if (!match) return null;
  const [, kind, digits] = match;
  const fixed = {
    "?": 1,
    b: 1,
    B: 1,
    h: 2,
    H: 2,
    i: 4,
    I: 4,
    l: 8,
    L: 8,
    q: 8,
    Q: 8,
    p: 8,
    P: 8,
    e: 2,
    f: 4,
    d: 8,
    g: 16,
    F: 8,
    D: 16,
    G: 32,
    O: 8
  };
  if (digits === "") return Object.hasOwn(fixed, kind) ? fixed[kind] : null;
  const count = Number(digits);
  if (kind === "U") return count * 4;
  return count > 0 ? count : null;
}
function pythonStringLiteral(raw, offset, fail) {
  const quote = raw[0];
  if (raw.length < 2 || quote !== 39 && quote !== 34 || raw[raw.length - 1] !== quote)
    throw fail(`STRING at byte ${offset} is not quoted`);
  const body = raw.subarray(1, raw.length - 1).toString("latin1");
  const simple = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "	",
    v: "\v",
    "\n": ""
  };
  const text = body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (whole, escape) => {
    if (escape[0] === "x") return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8) & 255);
    return Object.hasOwn(simple, escape) ? simple[escape] : whole;
  });
  return { k: "str", v: text };
}
function rawUnicodeEscape(raw) {
  return raw.toString("latin1").replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_, short, long) => String.fromCodePoint(parseInt(short ?? long, 16))
  );
}

// src/formats/keras.ts
var MAX_CONFIG_BYTES2 = 16 * 1024 * 1024;
var MAX_NODES = 1e6;
var MAX_JSON_DEPTH = 512;
var KERAS_MODULES = /^(?:keras|tf_keras|tensorflow|keras_nlp|keras_cv|keras_hub)(?:\.|$)/;
var KERAS_DANGEROUS = /(?:^|\.)(?:get_file|py_function|numpy_function|py_func|write_file|load_model|load_weights)$|\.(?:io|gfile)\.gfile\.|(?:^|\.)gfile\./;
function jsonDepth(text, limit = MAX_JSON_DEPTH) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 92) index++;
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 125 || char === 93) depth--;
  }
  return deepest;
}
function kerasConfigFindings(text, member) {
  if (text.length > MAX_CONFIG_BYTES2) return { findings: [], problem: `is over ${MAX_CONFIG_BYTES2} bytes` };
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { findings: [], problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      findings: [],
      problem: `is not JSON (${error instanceof Error ? error.message : String(error)})`
    };
  }
  const lambdas = [];
  const unsafe = /* @__PURE__ */ new Set();
  const unknown = /* @__PURE__ */ new Set();
  const pending = [parsed];
  let nodes = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    if (++nodes > MAX_NODES) return { findings: [], problem: `holds more than ${MAX_NODES} values` };
    if (Array.isArray(node)) {
      for (const item of node) pending.push(item);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    const object = node;
    const className = typeof object["class_name"] === "string" ? object["class_name"] : void 0;
    const module = typeof object["module"] === "string" ? object["module"] : void 0;
    const config = object["config"];
    if (className === "Lambda" || className === "__lambda__") {
      const name = isRecord2(config) && typeof config["name"] === "string" ? config["name"] : className;
      lambdas.push(name);
    }
    if (module !== void 0 && className !== void 0) {
      const name = className === "function" && typeof config === "string" ? config : className;
      if (KERAS_DANGEROUS.test(`${module}.${name}`)) unsafe.add(`${module}.${name}`);
      else if (!KERAS_MODULES.test(module)) {
        const verdict = classifyImport(module, name);
        (verdict === "unsafe" ? unsafe : unknown).add(`${module}.${name}`);
      }
    }
    for (const value of Object.values(object))
      if (typeof value === "object" && value !== null) pending.push(value);
  }
  const where = member ? { member } : {};
  const findings = [];
  if (lambdas.length > 0)
    findings.push({
      verdict: "unsafe",
      ...where,
      names: lambdas.map((name) => `Lambda:${name}`),
      reason: "Keras Lambda layers hold Python bytecode that runs when the model is loaded or called"
    });
  if (unsafe.size > 0)
    findings.push({
      verdict: "unsafe",
      ...where,
      names: [...unsafe],
      reason: "the configuration imports callables that can run code"
    });
  if (unknown.size > 0)
    findings.push({
      verdict: "unknown",
      ...where,
      names: [...unknown],
      reason: "the configuration imports custom objects from outside Keras"
    });
  return { findings };
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
var HDF5_SCAN_BYTES = 1024 * 1024 * 1024;
var CHUNK2 = 4 * 1024 * 1024;
var LOOKAHEAD = 1024;
var MAX_CANDIDATES = 1e5;
var ATTRIBUTE = Buffer.from("model_config");
async function findHdf5Configs(source) {
  const limit = Math.min(source.size, HDF5_SCAN_BYTES);
  const result = { configs: [], named: false, unscanned: source.size - limit };
  let candidates = 0;
  let taken = 0;
  for (let at = 0; at < limit; ) {
    const chunk = await source.read(at, Math.min(CHUNK2 + LOOKAHEAD, limit - at));
    if (!result.named && chunk.indexOf(ATTRIBUTE) !== -1) result.named = true;
    let next = at + CHUNK2;
    for (let found = chunk.indexOf(123); found !== -1 && found < CHUNK2; found = chunk.indexOf(123, found + 1)) {
      const start = at + found;
      if (start < taken || !startsJsonObject(chunk, found)) continue;
      if (++candidates > MAX_CANDIDATES) {
        result.gaveUp = true;
        return result;
      }
      const text = await jsonObjectAt(source, start);
      if (text === null || !isKerasConfig(text)) continue;
      result.configs.push(text);
      taken = start + Buffer.byteLength(text, "utf8");
      if (taken > next) next = taken;
    }
    at = next;
  }
  return result;
}
function startsJsonObject(bytes, at) {
  let index = at + 1;
  const end = Math.min(bytes.length, at + LOOKAHEAD);
  const isSpace = (byte) => byte === 32 || byte === 10 || byte === 13 || byte === 9;
  while (index < end && isSpace(bytes[index])) index++;
  if (bytes[index] !== 34) return false;
  for (index++; index < end; index++) {
    const byte = bytes[index];
    if (byte === 92) index++;
    else if (byte === 34) break;
    else if (byte < 32 || byte > 126) return false;
  }
  if (index >= end) return false;
  for (index++; index < end && isSpace(bytes[index]); index++) ;
  return bytes[index] === 58;
}
function isKerasConfig(text) {
  if (text.length > MAX_CONFIG_BYTES2 || jsonDepth(text) > MAX_JSON_DEPTH) return true;
  try {
    const value = JSON.parse(text);
    return isRecord2(value) && ("class_name" in value || "config" in value);
  } catch {
    return false;
  }
}
async function jsonObjectAt(source, start) {
  const length = Math.min(MAX_CONFIG_BYTES2, source.size - start);
  const bytes = await source.read(start, length);
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 92) index++;
      else if (byte === 34) inString = false;
    } else if (byte === 34) inString = true;
    else if (byte === 123 || byte === 91) depth++;
    else if (byte === 125 || byte === 93) {
      depth--;
      if (depth === 0) return bytes.toString("utf8", 0, index + 1);
    }
  }
  return null;
}

// src/formats/bzip2.ts
var import_bit_iterator = __toESM(require_bit_iterator(), 1);
var import_bzip2 = __toESM(require_bzip2(), 1);
var LOOKAHEAD2 = 5 * 1024 * 1024;
var CHUNK3 = 1024 * 1024;
var INPUT_CHUNK = 1024 * 1024;
var Bzip2Stream = class extends DecodedStream {
  constructor(source, start, end, budget) {
    super(budget, "bzip2");
    this.source = source;
    this.start = start;
    this.end = end;
    this.readAt = start;
  }
  source;
  start;
  end;
  queue = [];
  /** Where the next read of the source starts, and the bytes handed to the bit reader's queue. */
  readAt;
  queued = 0;
  bits;
  blockBuffer;
  /** The running CRC of the stream being read, or undefined between streams. */
  streamCRC;
  streams = 0;
  finished = false;
  output = [];
  chunk = Buffer.allocUnsafe(CHUNK3);
  filled = 0;
  async next() {
    while (this.output.length === 0) {
      if (this.finished) return null;
      if (this.streamCRC === void 0 && this.streams > 0 && !await this.anotherStream()) {
        this.finished = true;
        return null;
      }
      await this.readAhead();
      this.step();
    }
    return this.output.shift() ?? null;
  }
  /** One stream header or one block, decoded into `output`. */
  step() {
    const bits = this.bits ??= (0, import_bit_iterator.default)(() => this.nextInput());
    if (this.streamCRC === void 0) {
      const size = 1e5 * import_bzip2.default.header(bits);
      if (this.blockBuffer?.length !== size) this.blockBuffer = new Int32Array(size);
      this.streamCRC = 0;
      return;
    }
    const buffer = this.blockBuffer;
    const crc = import_bzip2.default.decompress(bits, (byte) => this.write(byte), buffer, buffer.length, this.streamCRC);
    this.flush();
    if (crc === null) {
      this.streams++;
      this.streamCRC = void 0;
    } else this.streamCRC = crc;
  }
  /** After a stream's end marker (the bit reader is then byte-aligned): does another stream follow? */
  async anotherStream() {
    const at = this.start + (this.bits?.bytesRead ?? 0);
    if (at + 4 > this.end) return false;
    const head = await this.source.read(at, 4);
    return head.toString("latin1", 0, 3) === "BZh" && head[3] >= 49 && head[3] <= 57;
  }
  write(byte) {
    this.chunk[this.filled++] = byte;
    if (this.filled === CHUNK3) this.flush();
  }
  flush() {
    if (this.filled === 0) return;
    this.output.push(this.chunk.subarray(0, this.filled));
    this.chunk = Buffer.allocUnsafe(CHUNK3);
    this.filled = 0;
  }
  /** Reads the source until LOOKAHEAD unread bytes are queued, or to its end. */
  async readAhead() {
    const read = this.bits?.bytesRead ?? 0;
    while (this.queued - read < LOOKAHEAD2 && this.readAt < this.end) {
      const length = Math.min(INPUT_CHUNK, this.end - this.readAt);
      this.queue.push(await this.source.read(this.readAt, length));
      this.readAt += length;
      this.queued += length;
    }
  }
  nextInput() {
    const next = this.queue.shift();
    if (next !== void 0) return next;
    throw new Error(
      this.readAt >= this.end ? "the stream ends before its end-of-stream marker" : "a block longer than any bzip2 encoder writes"
    );
  }
  release() {
    this.queue.length = 0;
    this.output.length = 0;
    this.finished = true;
  }
};

// src/formats/lz4.ts
var FRAME_MAGIC = 407708164;
var SKIPPABLE_MASK = 4294967280;
var SKIPPABLE_MAGIC = 407710288;
var WINDOW = 64 * 1024;
var BLOCK_MAX = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };
var UNCOMPRESSED = 2147483648;
var Lz4Stream = class extends DecodedStream {
  input;
  frame;
  frames = 0;
  finished = false;
  /** Previous output (for linked blocks) followed by the block being decoded. */
  window = Buffer.alloc(0);
  history = 0;
  constructor(source, start, end, budget) {
    super(budget, "lz4");
    this.input = new RangeStream(source, start, end);
  }
  async next() {
    for (; ; ) {
      if (this.finished) return null;
      if (!this.frame) {
        if (!await this.startFrame()) {
          this.finished = true;
          return null;
        }
        continue;
      }
      const block = await this.nextBlock(this.frame);
      if (block === null) {
        this.frame = void 0;
        this.frames++;
      } else if (block.length > 0) return block;
    }
  }
  /** Reads a frame header (skipping skippable frames); false at the end of the data. */
  async startFrame() {
    for (; ; ) {
      const head = await this.input.fill(4);
      if (head.length < 4) {
        if (this.frames > 0) return false;
        throw this.corrupt("the stream ends inside the frame header");
      }
      const magic = head.readUInt32LE(0);
      if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        const skippable = await this.input.fill(8);
        if (skippable.length < 8) throw this.corrupt("the stream ends inside a skippable frame");
        const length2 = skippable.readUInt32LE(4);
        this.input.consume(8);
        if (!await this.input.skip(length2)) throw this.corrupt("the stream ends inside a skippable frame");
        continue;
      }
      if (magic !== FRAME_MAGIC) {
        if (this.frames > 0) return false;
        throw this.corrupt("no LZ4 frame magic");
      }
      const header = await this.input.fill(7);
      if (header.length < 7) throw this.corrupt("the stream ends inside the frame header");
      const flags = header[4];
      const descriptor = header[5];
      if (flags >> 6 !== 1) throw this.corrupt(`frame version ${flags >> 6}, not 1`);
      if ((flags & 2) !== 0 || (descriptor & 143) !== 0)
        throw this.corrupt("reserved bits set in the frame descriptor");
      const blockMax = BLOCK_MAX[descriptor >> 4 & 7];
      if (blockMax === void 0) throw this.corrupt(`block size code ${descriptor >> 4 & 7}`);
      if ((flags & 1) !== 0)
        throw new LedgerError("FORMAT", "an LZ4 frame that needs a preset dictionary cannot be decoded", {
          file: this.budget.file,
          fix: "save it without a dictionary, or uncompressed, to have it scanned"
        });
      const length = 6 + ((flags & 8) !== 0 ? 8 : 0) + 1;
      if ((await this.input.fill(length)).length < length)
        throw this.corrupt("the stream ends inside the frame header");
      this.input.consume(length);
      this.frame = {
        blockMax,
        linked: (flags & 32) === 0,
        blockChecksum: (flags & 16) !== 0,
        contentChecksum: (flags & 4) !== 0
      };
      if (this.window.length < WINDOW + blockMax) this.window = Buffer.allocUnsafe(WINDOW + blockMax);
      this.history = 0;
      return true;
    }
  }
  /** The next block's bytes, or null at the frame's end mark. */
  async nextBlock(frame) {
    const head = await this.input.fill(4);
    if (head.length < 4) throw this.corrupt("the stream ends before the frame end mark");
    const word = head.readUInt32LE(0);
    this.input.consume(4);
    if (word === 0) {
      if (frame.contentChecksum && !await this.input.skip(4))
        throw this.corrupt("the stream ends inside the content checksum");
      return null;
    }
    const size = (word & ~UNCOMPRESSED) >>> 0;
    if (size > frame.blockMax)
      throw this.corrupt(`a block of ${size} bytes in a frame of ${frame.blockMax}-byte blocks`);
    const data = await this.input.fill(size);
    if (data.length < size) throw this.corrupt("the stream ends inside a block");
    const base = frame.linked ? this.history : 0;
    let end;
    if ((word & UNCOMPRESSED) !== 0) {
      data.copy(this.window, base, 0, size);
      end = base + size;
    } else end = this.decodeBlock(data.subarray(0, size), base, base + frame.blockMax);
    this.input.consume(size);
    if (frame.blockChecksum && !await this.input.skip(4))
      throw this.corrupt("the stream ends inside a block checksum");
    const block = Buffer.from(this.window.subarray(base, end));
    if (frame.linked) {
      const keep = Math.min(WINDOW, end);
      this.window.copy(this.window, 0, end - keep, end);
      this.history = keep;
    }
    return block;
  }
  /** Decodes one compressed block into the window at `base`; returns where its output ends. */
  decodeBlock(src, base, limit) {
    const out = this.window;
    let at = 0;
    let to = base;
    const extend = (length) => {
      let total = length;
      for (; ; ) {
        if (at >= src.length) throw this.corrupt("a length runs past the end of its block");
        const byte = src[at++];
        total += byte;
        if (byte !== 255) return total;
      }
    };
    while (at < src.length) {
      const token = src[at++];
      let literals = token >> 4;
      if (literals === 15) literals = extend(15);
      if (at + literals > src.length) throw this.corrupt("literals run past the end of their block");
      if (to + literals > limit) throw this.corrupt("a block decodes to more than its frame allows");
      src.copy(out, to, at, at + literals);
      at += literals;
      to += literals;
      if (at === src.length) break;
      if (at + 2 > src.length) throw this.corrupt("a match offset runs past the end of its block");
      const offset = src[at] | src[at + 1] << 8;
      at += 2;
      if (offset === 0 || offset > to) throw this.corrupt(`a match offset of ${offset} before the data`);
      let length = (token & 15) + 4;
      if (length === 19) length = extend(19);
      if (to + length > limit) throw this.corrupt("a block decodes to more than its frame allows");
      const from = to - offset;
      if (offset === 1) out.fill(out[from], to, to + length);
      else if (offset >= length) out.copy(out, to, from, from + length);
      else for (let index = 0; index < length; index++) out[to + index] = out[from + index];
      to += length;
    }
    return to;
  }
  release() {
    this.finished = true;
    this.input.close();
  }
};

// src/formats/npy.ts
async function readNpyHeader(stream, problem) {
  const head = await stream.fill(12);
  if (head.length < 10) throw problem("the .npy header is truncated");
  const major = head[6];
  const lengthBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw problem(`.npy version ${major} is unknown`);
  const length = lengthBytes === 2 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  if (length > 16 * 1024 * 1024) throw problem(`the .npy header claims ${length} bytes`);
  const start = 8 + lengthBytes;
  const all = await stream.fill(start + length);
  if (all.length < start + length) throw problem("the .npy header is truncated");
  const text = all.toString(major === 3 ? "utf8" : "latin1", start, start + length);
  stream.consume(start + length);
  const descr = /['"]descr['"]\s*:\s*(.*?),\s*['"](?:fortran_order|shape)['"]/s.exec(text)?.[1]?.trim() ?? "";
  const shape = /['"]shape['"]\s*:\s*(\([^)]*\))/.exec(text)?.[1] ?? "";
  if (!descr) throw problem("the .npy header has no descr");
  const objects = /['"][<>|=]?O\d*['"]/.test(descr);
  return { descr: descr.slice(0, 256), shape: shape.slice(0, 256), objects };
}

// src/formats/sniff.ts
var SNIFF_BYTES = 512;
var HDF5_MAGIC = Buffer.from([137, 72, 68, 70, 13, 10, 26, 10]);
var PICKLE_FIRST = /* @__PURE__ */ new Set([
  ...[..."(N)]}FILJKMGSTUVXBCcP"].map((char) => char.charCodeAt(0)),
  128,
  130,
  131,
  132,
  136,
  137,
  138,
  139,
  140,
  141,
  142,
  143,
  149,
  150,
  151
]);
function sniff(head, size) {
  const starts = (magic, at = 0) => {
    const bytes = typeof magic === "string" ? Buffer.from(magic, "latin1") : magic;
    return head.length >= at + bytes.length && head.subarray(at, at + bytes.length).equals(bytes);
  };
  if (starts("PK") || starts("PK") || starts("PK\x07\b")) return "zip";
  if (starts("\x8B")) return "gzip";
  if (starts("BZh") && head[3] !== void 0 && head[3] >= 49 && head[3] <= 57) return "bzip2";
  if (starts("\xFD7zXZ\0")) return "xz";
  if (starts('"M')) return "lz4";
  if (starts("(\xB5/\xFD")) return "zstd";
  const skippable = skippableFrame(head);
  if (skippable) return skippable;
  if (starts("\x93NUMPY")) return "npy";
  if (starts(HDF5_MAGIC)) return "hdf5";
  if (starts("GGUF")) return "gguf";
  if (starts("ustar", 257)) return "tar";
  if (starts("ZF") && head.length >= 23 && head[21] === 120) return "joblib-zlib";
  if (head.length >= 2 && head[0] === 120 && (head[0] << 8 | head[1]) % 31 === 0)
    return "zlib";
  if (looksLikeSafetensors(head, size)) return "safetensors";
  if (looksLikeLzmaAlone(head)) return "lzma";
  if (looksLikePickle(head)) return "pickle";
  if (looksLikeOnnx(head)) return "onnx";
  if (looksLikeV7Tar(head)) return "tar";
  return "unknown";
}
function skippableFrame(head) {
  if (head.length < 8 || (head.readUInt32LE(0) & 4294967280) >>> 0 !== 407710288) return void 0;
  const next = 8 + head.readUInt32LE(4);
  if (next + 4 <= head.length && head.readUInt32LE(next) === 4247762216) return "zstd";
  return "lz4";
}
function looksLikeLzmaAlone(head) {
  if (head.length < 13 || head[0] !== 93) return false;
  const dictionary = head.readUInt32LE(1);
  if (dictionary < 4096) return false;
  const high = 2 ** Math.floor(Math.log2(dictionary));
  if (dictionary !== high && dictionary !== high + high / 2) return false;
  const unknown = head.subarray(5, 13).every((byte) => byte === 255);
  return unknown || head.readBigUInt64LE(5) < 2n ** 40n;
}
function looksLikePickle(head) {
  const first = head[0];
  if (first === void 0) return false;
  if (first === 128) return head[1] !== void 0 && head[1] <= 5;
  return PICKLE_FIRST.has(first);
}
function looksLikeSafetensors(head, size) {
  if (head.length < 9) return false;
  const length = head.readBigUInt64LE(0);
  return head[8] === 123 && length >= 2n && length <= BigInt(Math.min(1e8, size - 8));
}
function looksLikeOnnx(head) {
  return head.length >= 4 && head[0] === 8 && head[1] > 0 && head[1] < 32 && [18, 26, 34, 42, 50, 58, 66, 82, 114].includes(head[2]);
}
function looksLikeV7Tar(head) {
  if (head.length < 512 || head[0] === 0) return false;
  const stored = parseInt(head.toString("latin1", 148, 156).replace(/\0.*$/, "").trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let index = 0; index < 512; index++)
    sum += index >= 148 && index < 156 ? 32 : head[index];
  return sum === stored;
}

// src/formats/tar.ts
var BLOCK = 512;
async function readTarMembers(source, problem, onMember) {
  const members = [];
  let at = 0;
  let longName;
  let paxName;
  while (at + BLOCK <= source.size) {
    const header = await source.read(at, BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) throw problem(`tar header at byte ${at} has a bad checksum`);
    const size = octal(header, 124, 12);
    if (size === null) throw problem(`tar header at byte ${at} has a bad size field`);
    const type = String.fromCharCode(header[156]);
    const dataStart = at + BLOCK;
    if (dataStart + size > source.size)
      throw problem(`tar member at byte ${at} runs past the end (truncated)`);
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L" || type === "x") {
      if (size > 1024 * 1024) throw problem(`tar extended header at byte ${at} is over 1 MiB`);
      const text = (await source.read(dataStart, size)).toString("utf8");
      if (type === "L") longName = text.replace(/\0.*$/s, "");
      else paxName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? paxName;
    } else {
      if (type === "0" || type === "\0" || type === "7") {
        onMember();
        const prefix = field(header, 345, 155);
        const short = field(header, 0, 100);
        const name = paxName ?? longName ?? (header.toString("latin1", 257, 262) === "ustar" && prefix ? `${prefix}/${short}` : short);
        members.push({ name, dataStart, size });
      }
      longName = void 0;
      paxName = void 0;
    }
    at = next;
  }
  return members;
}
function field(header, start, length) {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}
function octal(header, start, length) {
  const raw = header.subarray(start, start + length);
  if ((raw[0] & 128) !== 0) {
    let value = 0;
    for (let index = 1; index < raw.length; index++) value = value * 256 + raw[index];
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = raw.toString("latin1").replace(/\0.*$/s, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
}
function checksumMatches(header) {
  const stored = octal(header, 148, 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++)
    sum += index >= 148 && index < 156 ? 32 : header[index];
  return stored === sum;
}

// src/formats/xz.ts
var import_xz_decompress = __toESM(require_xz_decompress(), 1);
var XzStream = class extends DecodedStream {
  reader;
  inputEnded = false;
  released = false;
  constructor(source, start, end, budget) {
    super(budget, "xz");
    const chunks = compressedChunks(source, start, end);
    const input = new ReadableStream({
      pull: async (controller) => {
        const next = await chunks.next();
        if (next.done) {
          this.inputEnded = true;
          controller.close();
        } else controller.enqueue(next.value);
      },
      cancel: async () => {
        await chunks.return(void 0);
      }
    });
    this.reader = new import_xz_decompress.default.XzReadableStream(input).getReader();
  }
  async next() {
    let result;
    try {
      result = await this.reader.read();
    } catch (error) {
      throw this.failure(error);
    }
    if (result.done) return null;
    const bytes = result.value;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** The decoder reports xz-embedded's `enum xz_ret` as a bare number: what each means here. */
  failure(error) {
    const code = /error code (\d+)/.exec(describeError(error))?.[1];
    switch (code) {
      case "3":
      case "4":
        return this.unsupported("a dictionary larger than the 64 MiB the decoder allows", error);
      case "6":
        return this.unsupported(
          "options the decoder does not support (a SHA-256 check, or a BCJ or delta filter)",
          error
        );
      case "5":
        return this.corrupt("not an xz stream", error);
      case "7":
        return this.corrupt("the data does not decode, or its check does not match", error);
      case "8":
        return this.corrupt("the stream ends before its end marker", error);
      default:
        return this.inputEnded ? this.corrupt("the stream ends before its end marker", error) : this.corrupt(describeError(error), error);
    }
  }
  unsupported(what, cause) {
    return new LedgerError("FORMAT", `the xz stream uses ${what}, so it was not decoded`, {
      file: this.budget.file,
      cause,
      fix: "save it with xz defaults (as Python's lzma and joblib do), gzip or uncompressed to have it scanned"
    });
  }
  release() {
    if (this.released) return;
    this.released = true;
    this.reader.cancel().catch(() => void 0);
  }
};

// src/formats/zip.ts
var EOCD_SIGNATURE = 101010256;
var ZIP64_LOCATOR_SIGNATURE = 117853008;
var ZIP64_EOCD_SIGNATURE = 101075792;
var CENTRAL_SIGNATURE = 33639248;
var LOCAL_SIGNATURE = 67324752;
var MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024;
var MAX_ENTRIES = 1e6;
var MAX_INFLATED = 256 * 1024 * 1024;
async function readZipDirectory(source, fail) {
  const tailLength = Math.min(source.size, 22 + 65535);
  if (tailLength < 22) throw fail("too short to be a zip archive (truncated)", "zip");
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw fail("no end-of-central-directory record (truncated zip)", "zip");
  let entries = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 65535 || directorySize === 4294967295 || directoryOffset === 4294967295) {
    const locatorAt = tailStart + eocd - 20;
    if (locatorAt < 0) throw fail("zip64 locator missing", "zip");
    const locator = await source.read(locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw fail("zip64 locator missing", "zip");
    const recordAt = locator.readBigUInt64LE(8);
    if (recordAt > BigInt(source.size - 56))
      throw fail(`zip64 record offset ${recordAt} is outside the file`, "zip");
    const record = await source.read(Number(recordAt), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
      throw fail("zip64 end-of-central-directory record missing", "zip");
    const count = record.readBigUInt64LE(32);
    const size = record.readBigUInt64LE(40);
    const offset = record.readBigUInt64LE(48);
    if (count > BigInt(MAX_ENTRIES) || size > BigInt(MAX_CENTRAL_DIRECTORY) || offset > BigInt(source.size)) {
      throw fail(
        `zip64 directory claims ${count} entries, ${size} bytes at ${offset}: beyond what model-ledger reads`,
        "zip"
      );
    }
    entries = Number(count);
    directorySize = Number(size);
    directoryOffset = Number(offset);
  }
  let prefix = 0;
  const eocdAt = tailStart + eocd;
  if (directoryOffset + directorySize < eocdAt && eocdAt - directorySize - directoryOffset > 0 && !zip64(tail, eocd) && !(eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE)) {
    prefix = eocdAt - directorySize - directoryOffset;
    directoryOffset += prefix;
  }
  if (entries > MAX_ENTRIES || directorySize > MAX_CENTRAL_DIRECTORY) {
    throw fail(
      `central directory of ${entries} entries, ${directorySize} bytes is beyond what model-ledger reads`,
      "zip"
    );
  }
  if (directoryOffset + directorySize > source.size) {
    throw fail(
      `central directory [${directoryOffset}, +${directorySize}] lies outside the file (truncated)`,
      "zip"
    );
  }
  const cursor = new Cursor(source, directoryOffset, directoryOffset + directorySize, fail);
  const result = [];
  for (let index = 0; index < entries; index++) {
    const header = Buffer.from(await cursor.bytes(46, `central directory entry ${index}`));
    if (header.readUInt32LE(0) !== CENTRAL_SIGNATURE)
      throw fail(`central directory entry ${index} has a bad signature`, "zip");
    const flags = header.readUInt16LE(8);
    const method = header.readUInt16LE(10);
    const crc = header.readUInt32LE(16);
    let compressedSize = header.readUInt32LE(20);
    let uncompressedSize = header.readUInt32LE(24);
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const commentLength = header.readUInt16LE(32);
    let localOffset = header.readUInt32LE(42);
    const name = (await cursor.bytes(nameLength, `entry ${index} name`)).toString("utf8");
    const extra = Buffer.from(await cursor.bytes(extraLength, `entry ${name} extra field`));
    await cursor.skip(commentLength, `entry ${name} comment`);
    for (let at = 0; at + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(at);
      const size = extra.readUInt16LE(at + 2);
      if (id === 1) {
        let field2 = at + 4;
        const next = () => {
          if (field2 + 8 > at + 4 + size || field2 + 8 > extra.length)
            throw fail(`entry ${name} has a short zip64 field`, "zip");
          const value = extra.readBigUInt64LE(field2);
          field2 += 8;
          if (value > BigInt(Number.MAX_SAFE_INTEGER))
            throw fail(`entry ${name} claims a size of ${value}`, "zip");
          return Number(value);
        };
        if (uncompressedSize === 4294967295) uncompressedSize = next();
        if (compressedSize === 4294967295) compressedSize = next();
        if (localOffset === 4294967295) localOffset = next();
      }
      at += 4 + size;
    }
    localOffset += prefix;
    if (localOffset + compressedSize > source.size) {
      throw fail(
        `entry ${name} [${localOffset}, +${compressedSize}] lies outside the file (truncated)`,
        "zip"
      );
    }
    result.push({ name, method, compressedSize, uncompressedSize, localOffset, flags, crc32: crc });
  }
  return result;
}
async function readLocalHeader(source, entry, fail) {
  const local = await source.read(entry.localOffset, Math.min(30, source.size - entry.localOffset));
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw fail(`entry ${entry.name} has no local header at ${entry.localOffset}`, "zip");
  const nameLength = local.readUInt16LE(26);
  const dataStart = entry.localOffset + 30 + nameLength + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > source.size)
    throw fail(`entry ${entry.name} data runs past the end of the file (truncated)`, "zip");
  const disagreements = [];
  const name = (await source.read(entry.localOffset + 30, nameLength)).toString("utf8");
  if (name !== entry.name) disagreements.push(`name ${JSON.stringify(name)}`);
  const method = local.readUInt16LE(8);
  if (method !== entry.method) disagreements.push(`compression method ${method}`);
  const flags = local.readUInt16LE(6);
  if ((flags & 1) !== (entry.flags & 1)) disagreements.push("encryption flag");
  if ((flags & 8) === 0) {
    const compressed = local.readUInt32LE(18);
    const uncompressed = local.readUInt32LE(22);
    if (compressed !== 4294967295 && compressed !== entry.compressedSize)
      disagreements.push(`compressed size ${compressed}`);
    if (uncompressed !== 4294967295 && uncompressed !== entry.uncompressedSize)
      disagreements.push(`size ${uncompressed}`);
    if (local.readUInt32LE(14) !== entry.crc32) disagreements.push("CRC-32");
  }
  return { dataStart, disagreements };
}
function zip64(tail, eocd) {
  return tail.readUInt16LE(eocd + 10) === 65535 || tail.readUInt32LE(eocd + 12) === 4294967295 || tail.readUInt32LE(eocd + 16) === 4294967295;
}

// src/formats/scan.ts
function scanContext(display, limits = DEFAULT_LIMITS) {
  return {
    display,
    budget: new ScanBudget(display, limits),
    report: new SafetyReport(),
    warnings: [],
    imports: /* @__PURE__ */ new Set()
  };
}
function wholeSource(source, member) {
  return { member, source, open: () => new RangeStream(source, 0, source.size) };
}
var SliceSource = class {
  constructor(parent, start, size) {
    this.parent = parent;
    this.start = start;
    this.size = size;
  }
  parent;
  start;
  size;
  read(offset, length) {
    return this.parent.read(this.start + offset, length);
  }
};
function openWrapped(kind, source, budget) {
  switch (kind) {
    case "bzip2":
      return new Bzip2Stream(source, 0, source.size, budget);
    case "xz":
      return new XzStream(source, 0, source.size, budget);
    case "lz4":
      return new Lz4Stream(source, 0, source.size, budget);
    case "joblib-zlib":
      return new InflateStream(source, 21, source.size, "zlib", budget);
    default:
      return new InflateStream(source, 0, source.size, kind, budget);
  }
}
async function scanPart(part, context, depth) {
  const head = await peek(part);
  const kind = sniff(head, part.source?.size ?? Number.MAX_SAFE_INTEGER);
  const { report, budget } = context;
  if (depth > budget.limits.depth) {
    if (kind !== "unknown")
      report.incomplete(part.member, `containers nested deeper than ${budget.limits.depth}`);
    return { kind };
  }
  switch (kind) {
    case "pickle":
      return { kind, pickle: await scanPickles(part.open(), context, part.member) };
    case "zip": {
      const source = await randomAccess(part, context);
      if (source) await scanZip(source, context, depth, part.member);
      return { kind };
    }
    case "tar": {
      const source = await randomAccess(part, context);
      if (source) await scanTar(source, context, depth, part.member);
      return { kind };
    }
    case "gzip":
    case "zlib":
    case "joblib-zlib":
    case "bzip2":
    case "xz":
    case "lz4": {
      const source = await randomAccess(part, context);
      if (!source) return { kind };
      const inner = { member: part.member, open: () => openWrapped(kind, source, budget) };
      await guarded(context, part.member, () => scanPart(inner, context, depth + 1));
      return { kind };
    }
    case "zstd":
    case "lzma": {
      const what = kind === "zstd" ? "zstd" : "LZMA-alone (.lzma)";
      report.incomplete(
        part.member,
        `${what}-compressed content is not inflated by model-ledger; its pickles (if any) were not scanned`
      );
      context.warnings.push({
        code: "PICKLE_NOT_SCANNED",
        message: `${context.display}${part.member ? ` (${part.member})` : ""}: ${what}-compressed content is not inflated by model-ledger, so what it holds was not checked \u2014 save it uncompressed or with gzip, bz2, xz or lz4 to have it scanned`
      });
      return { kind };
    }
    case "npy":
      await guarded(context, part.member, () => scanNpy(part, context));
      return { kind };
    case "hdf5": {
      const source = await randomAccess(part, context);
      if (source) await scanHdf5(source, context, part.member);
      return { kind };
    }
    default:
      return { kind };
  }
}
async function guarded(context, member, run) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(member, `scan stopped: ${describeError(error)}`);
    return void 0;
  }
}
async function peek(part) {
  if (part.source) return part.source.read(0, Math.min(SNIFF_BYTES, part.source.size));
  const stream = part.open();
  try {
    return Buffer.from((await stream.fill(SNIFF_BYTES)).subarray(0, SNIFF_BYTES));
  } finally {
    stream.close();
  }
}
async function randomAccess(part, context) {
  if (part.source) return part.source;
  const limit = context.budget.limits.memberInMemory;
  const stream = part.open();
  try {
    const bytes = await readAll(stream, limit);
    if (bytes === null) {
      context.report.incomplete(
        part.member,
        `a compressed container over ${limit} bytes is not inflated into memory`
      );
      return void 0;
    }
    return new BufferSource(bytes);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(part.member, `could not be inflated: ${describeError(error)}`);
    return void 0;
  } finally {
    stream.close();
  }
}
async function scanPickles(stream, context, member) {
  const scan = emptyScan();
  const label = member ? `${context.display} (${member})` : context.display;
  let parsed = 0;
  let error;
  try {
    for (; ; ) {
      const head = await stream.fill(2);
      if (head.length === 0) break;
      if (parsed > 0 && head[0] === 46) {
        const window = await stream.fill(64 * 1024);
        let run = 0;
        while (run < window.length && window[run] === 46) run++;
        stream.consume(run);
        continue;
      }
      if (parsed > 0 && !looksLikePickle(head)) break;
      const imports = scan.imports.length;
      const unresolved = scan.unresolved.length;
      const streams = scan.streams;
      try {
        await scanPickle(stream, parsed === 0 ? label : `${label}, pickle ${parsed + 1}`, scan);
        parsed++;
      } catch (failure) {
        if (!(failure instanceof PickleFormatError)) throw failure;
        scan.imports = scan.imports.filter(
          (entry, index) => index < imports || isImportable(entry.module, entry.name)
        );
        const importedHere = scan.imports.length > imports;
        if (!importedHere) {
          scan.unresolved.length = unresolved;
          scan.streams = streams;
          if (parsed === 0) error = failure.detail;
          break;
        }
        context.warnings.push({
          code: "PICKLE_BROKEN",
          message: wellFormed(
            `${label}: a pickle that does not parse (${failure.detail}); what it imports before that point is judged, and the scan is incomplete`
          )
        });
        context.report.incomplete(member, "a pickle that does not parse to its end");
        parsed++;
        break;
      }
    }
  } catch (failure) {
    if (!(failure instanceof LedgerError)) throw failure;
    const reason = failure instanceof ScanBoundError ? failure.message : `scan stopped: ${describeError(failure)}`;
    context.report.incomplete(member, reason);
    context.warnings.push({
      code: "PICKLE_SCAN_INCOMPLETE",
      message: wellFormed(reason)
    });
    parsed = Math.max(parsed, 1);
  } finally {
    stream.close();
  }
  const isPickle = parsed > 0;
  if (isPickle) {
    context.report.addPickle(scan, member);
    for (const warning of pickleWarnings(scan, label))
      context.warnings.push({ code: warning.code, message: wellFormed(warning.message) });
    for (const name of importNames(scan)) context.imports.add(wellFormed(name));
  }
  return { isPickle, scan, ...error === void 0 ? {} : { error } };
}
async function scanNpy(part, context) {
  const stream = part.open();
  const fail = (message) => new LedgerError("FORMAT", message, { file: context.display });
  let header;
  try {
    header = await readNpyHeader(stream, fail);
  } catch (error) {
    stream.close();
    throw error;
  }
  if (!header.objects) {
    stream.close();
    return;
  }
  const outcome = await scanPickles(
    stream,
    context,
    part.member ? `${part.member} (object array)` : "(object array)"
  );
  if (!outcome.isPickle)
    context.report.incomplete(
      part.member,
      `an object array whose pickle does not parse (${outcome.error ?? "empty"})`
    );
}
async function scanHdf5(source, context, member) {
  const found = await findHdf5Configs(source);
  for (const text of found.configs) {
    const { findings, problem } = kerasConfigFindings(text, member);
    for (const finding of findings) context.report.add(finding);
    if (problem) context.report.incomplete(member, `the HDF5 model_config ${problem}`);
  }
  if (found.gaveUp)
    context.report.incomplete(member, "an HDF5 file holding more JSON-looking objects than the scan reads");
  else if (found.unscanned > 0 && found.configs.length === 0)
    context.report.incomplete(
      member,
      `an HDF5 file larger than the ${source.size - found.unscanned}-byte scan bound`
    );
  else if (found.named && found.configs.length === 0)
    context.report.incomplete(
      member,
      "names a model_config attribute whose Keras configuration was not found"
    );
}
async function scanZip(source, context, depth, member) {
  const walk = { entries: [], pickles: [], kerasConfig: false };
  const label = member ? `${context.display} (${member})` : context.display;
  const fail = formatFailure(
    label,
    "the archive is corrupt or truncated; save the model again or check the download"
  );
  let entries;
  try {
    entries = await readZipDirectory(source, fail);
  } catch (error) {
    if (member === void 0) throw error;
    context.report.incomplete(member, `a zip that cannot be read: ${describeError(error)}`);
    return walk;
  }
  walk.entries = entries;
  const path = (name) => member ? `${member} > ${name}` : name;
  for (const entry of entries) {
    if (entry.name.endsWith("/") && entry.uncompressedSize === 0) continue;
    try {
      context.budget.member();
    } catch (error) {
      if (!(error instanceof ScanBoundError)) throw error;
      context.report.incomplete(member, error.message);
      break;
    }
    const where = path(entry.name);
    let local;
    try {
      local = await readLocalHeader(source, entry, fail);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      context.report.incomplete(where, describeError(error));
      continue;
    }
    if (local.disagreements.length > 0) {
      const message = `the local header disagrees with the central directory (${local.disagreements.join(", ")}); readers that trust local headers see another member`;
      context.warnings.push({
        code: "ZIP_HEADER_MISMATCH",
        message: `${context.display} (${where}): ${message}`
      });
      context.report.incomplete(where, message);
    }
    if ((entry.flags & 1) !== 0) {
      context.report.incomplete(where, "an encrypted member cannot be scanned");
      continue;
    }
    let part;
    if (entry.method === 0) {
      part = wholeSource(new SliceSource(source, local.dataStart, entry.compressedSize), where);
    } else if (entry.method === 8) {
      const start = local.dataStart;
      part = {
        member: where,
        open: () => new InflateStream(source, start, start + entry.compressedSize, "deflate-raw", context.budget)
      };
    } else {
      context.report.incomplete(
        where,
        `compression method ${entry.method} is not read; the member was not scanned`
      );
      continue;
    }
    if (/(^|\/)config\.json$/i.test(entry.name) && !entry.name.includes("/")) {
      walk.kerasConfig = true;
      await scanKerasConfig(part, context, where);
      continue;
    }
    const result = await guarded(context, where, () => scanPart(part, context, depth + 1));
    if (result?.pickle?.isPickle) walk.pickles.push(entry.name);
  }
  return walk;
}
async function scanKerasConfig(part, context, where) {
  const stream = part.open();
  let bytes;
  try {
    bytes = await readAll(stream, 16 * 1024 * 1024);
  } finally {
    stream.close();
  }
  if (bytes === null) {
    context.report.incomplete(where, "a Keras config.json over 16 MiB");
    return;
  }
  const { findings, problem } = kerasConfigFindings(bytes.toString("utf8"), where);
  for (const finding of findings) context.report.add(finding);
  if (problem) {
    context.report.incomplete(where, `the Keras configuration ${problem}`);
    context.warnings.push({
      code: "FORMAT",
      message: `${context.display} (${where}): ${problem}; its layers were not checked`
    });
  }
}
async function scanTar(source, context, depth, member) {
  const walk = { members: [], pickles: [] };
  const problem = (message) => new LedgerError("FORMAT", message, { file: context.display });
  let members;
  try {
    members = await readTarMembers(source, problem, () => context.budget.member());
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(member, `tar archive: ${describeError(error)}`);
    return walk;
  }
  for (const entry of members) {
    const where = member ? `${member} > ${entry.name}` : entry.name;
    walk.members.push(entry.name);
    const result = await guarded(
      context,
      where,
      () => scanPart(wholeSource(new SliceSource(source, entry.dataStart, entry.size), where), context, depth + 1)
    );
    if (result?.pickle?.isPickle) walk.pickles.push(entry.name);
  }
  return walk;
}

// src/formats/pytorch.ts
var MAX_LISTED_IMPORTS = 200;
var MAX_TENSOR_PICKLE = 64 * 1024 * 1024;
var LEGACY_MAGIC = Buffer.from("80028a0a6cfc9c46f9206aa850192e", "hex");
async function readModelZip(source, context) {
  const walk = await scanZip(source, context, 0, void 0);
  const names = walk.entries.map((entry) => entry.name);
  const lower = names.map((name) => name.toLowerCase());
  let format = "zip";
  if (lower.some((name) => /(^|\/)data\.pkl$/.test(name))) format = "pytorch";
  if (lower.some((name) => /(^|\/)constants\.pkl$/.test(name)) && lower.some((name) => /(^|\/)code\//.test(name)))
    format = "torchscript";
  if (format === "zip" && walk.kerasConfig) format = "keras";
  if (format === "zip" && lower.length > 0 && lower.every((name) => name.endsWith(".npy"))) format = "npz";
  const metadata = {
    container: "zip",
    entries: walk.entries.length,
    pickles: walk.pickles.slice(0, MAX_LISTED_IMPORTS),
    storages: names.filter((name) => /\/data\/[^/]+$/.test(name) && !name.endsWith(".pkl")).length
  };
  if (walk.pickles.length > 0) metadata["imports"] = [...context.imports].sort().slice(0, MAX_LISTED_IMPORTS);
  if (format === "pytorch" || format === "torchscript") {
    const scan = await dataPickleTensors(source, walk.entries, context.display);
    if (scan) Object.assign(metadata, tensorCounts(scan));
  }
  for (const key of ["version", "byteorder"]) {
    const entry = walk.entries.find(
      (candidate) => new RegExp(`(^|/)(\\.data/)?${key}$`).test(candidate.name)
    );
    if (entry && entry.method === 0 && entry.uncompressedSize <= 64) {
      const local = await readLocalHeader(
        source,
        entry,
        formatFailure(context.display, "the archive is corrupt")
      );
      metadata[key] = (await source.read(local.dataStart, entry.compressedSize)).toString("utf8").trim();
    }
  }
  return { format, metadata, warnings: context.warnings };
}
async function readRawPickle(source, context) {
  const head = await source.read(0, Math.min(LEGACY_MAGIC.length, source.size));
  const outcome = await scanPickles(new RangeStream(source, 0, source.size), context, void 0);
  if (!outcome.isPickle) {
    return {
      format: "raw",
      metadata: {
        note: `starts like a pickle but is not one (${outcome.error ?? "no opcodes"}); recorded as raw bytes`
      },
      warnings: context.warnings
    };
  }
  const { scan } = outcome;
  const broken = context.report.result().findings?.some((finding) => finding.verdict === "incomplete");
  const counted = broken ? {} : tensorCounts(scan);
  return {
    format: head.equals(LEGACY_MAGIC) ? "pytorch-legacy" : "pickle",
    metadata: {
      protocol: scan.protocol,
      pickles: scan.streams,
      opcodes: scan.opcodes,
      imports: [...context.imports].sort().slice(0, MAX_LISTED_IMPORTS),
      ...counted
    },
    warnings: context.warnings
  };
}
function tensorCounts(scan) {
  const total = scan.tensors.length + scan.tensorsOmitted;
  if (total === 0) return {};
  if (scan.tensorsOmitted > 0 || scan.tensors.some((tensor) => tensor.shape === null))
    return { tensors: total };
  const views = /* @__PURE__ */ new Set();
  let parameters = 0n;
  for (const tensor of scan.tensors) {
    if (tensor.storage !== null) {
      const view = JSON.stringify([tensor.storage, tensor.offset, tensor.shape, tensor.stride]);
      if (views.has(view)) continue;
      views.add(view);
    }
    parameters += tensor.shape.reduce((product, dim) => product * BigInt(dim), 1n);
  }
  return {
    tensors: total,
    parameters: parameters <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parameters) : parameters.toString()
  };
}
async function dataPickleTensors(source, entries, display) {
  const entry = entries.find((candidate) => /^[^/]*\/data\.pkl$/i.test(candidate.name));
  if (!entry || entry.uncompressedSize > MAX_TENSOR_PICKLE || entry.method !== 0 && entry.method !== 8)
    return null;
  const fail = formatFailure(display, "the archive is corrupt");
  let stream;
  try {
    const { dataStart } = await readLocalHeader(source, entry, fail);
    const end = dataStart + entry.compressedSize;
    stream = entry.method === 0 ? new RangeStream(source, dataStart, end) : new InflateStream(source, dataStart, end, "deflate-raw", new ScanBudget(display));
    return await scanPickle(stream, `${display} (${entry.name})`, emptyScan());
  } catch (error) {
    if (error instanceof LedgerError) return null;
    throw error;
  } finally {
    stream?.close();
  }
}
async function readModelTar(source, context) {
  const walk = await scanTar(source, context, 0, void 0);
  const torch = ["sys_info", "pickle", "storages"].every((name) => walk.members.includes(name));
  return {
    format: torch ? "pytorch-legacy-tar" : "tar",
    metadata: {
      container: "tar",
      entries: walk.members.length,
      pickles: walk.pickles.slice(0, MAX_LISTED_IMPORTS)
    },
    warnings: context.warnings
  };
}

// src/formats/safetensors.ts
import { createHash as createHash2 } from "node:crypto";
var SAFETENSORS_MAX_HEADER = 1e8;
var DTYPE_BITS = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6
};
var FIX3 = "the file is not a valid safetensors file; re-export it (e.g. safetensors.torch.save_file) or check the download";
async function readSafetensors(source, display) {
  const fail = formatFailure(display, FIX3);
  const cursor = new Cursor(source, 0, source.size, fail);
  if (source.size < 8)
    throw fail(`file of ${source.size} bytes is shorter than the 8-byte header length (truncated)`, "header");
  const declared = await cursor.u64("the header length");
  if (declared > BigInt(SAFETENSORS_MAX_HEADER)) {
    throw fail(
      `header claims ${declared} bytes, over the ${SAFETENSORS_MAX_HEADER}-byte limit`,
      "header length"
    );
  }
  const headerLength = Number(declared);
  if (headerLength > cursor.remaining) {
    throw fail(
      `header claims ${headerLength} bytes but only ${cursor.remaining} follow (truncated)`,
      "header length"
    );
  }
  const raw = Buffer.from(await cursor.bytes(headerLength, "the header"));
  let header;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (error) {
    throw fail(
      `header is not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`,
      "header"
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw fail("header is not a JSON object", "header");
  }
  const dataLength = source.size - 8 - headerLength;
  const warnings = [];
  const slots = [];
  const dtypes = /* @__PURE__ */ new Map();
  let parameters = 0n;
  let userMetadata;
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") {
      userMetadata = readUserMetadata(value, fail);
      continue;
    }
    const field2 = `tensors.${name}`;
    if (typeof value !== "object" || value === null) throw fail("is not an object", field2);
    const {
      dtype,
      shape,
      data_offsets: offsets
    } = value;
    if (typeof dtype !== "string") throw fail("has no dtype string", `${field2}.dtype`);
    if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
      throw fail("is not a list of non-negative integers", `${field2}.shape`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0)) {
      throw fail("is not a pair of non-negative integers", `${field2}.data_offsets`);
    }
    const [begin, end] = offsets;
    if (begin > end || end > dataLength) {
      throw fail(`[${begin}, ${end}] lies outside the ${dataLength} data bytes`, `${field2}.data_offsets`);
    }
    const elements = shape.reduce((product, dim) => product * BigInt(dim), 1n);
    const bits = Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : void 0;
    if (bits === void 0) {
      warnings.push({
        code: "SAFETENSORS_UNKNOWN_DTYPE",
        message: wellFormed(
          `${display}: tensor ${name.slice(0, 256)} has dtype ${dtype.slice(0, 64)}, which model-ledger does not know; its size was not checked`
        )
      });
    } else if (elements * BigInt(bits) !== BigInt(end - begin) * 8n) {
      throw fail(
        `holds ${end - begin} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${elements * BigInt(bits) / 8n}`,
        `${field2}.data_offsets`
      );
    }
    const dtypeKey = wellFormed(dtype).slice(0, 64);
    dtypes.set(dtypeKey, (dtypes.get(dtypeKey) ?? 0) + 1);
    parameters += elements;
    slots.push({ name, begin, end });
  }
  checkTiling(slots, dataLength, fail);
  const metadata = {
    headerBytes: headerLength,
    tensors: slots.length,
    parameters: Number(parameters),
    // Object.fromEntries defines own properties: a key such as "__proto__" stays data.
    dtypes: Object.fromEntries(dtypes)
  };
  if (userMetadata) {
    metadata["metadata"] = userMetadata.kept;
    if (Object.keys(userMetadata.omitted).length > 0) {
      metadata["metadataOmitted"] = userMetadata.omitted;
      warnings.push({
        code: "SAFETENSORS_METADATA_TRUNCATED",
        message: `${display}: ${Object.keys(userMetadata.omitted).length} __metadata__ value(s) too long to copy into the record are recorded by digest`
      });
    }
  }
  return { format: "safetensors", metadata, warnings };
}
var MAX_METADATA_VALUE = 4096;
var MAX_METADATA_TOTAL = 64 * 1024;
function readUserMetadata(value, fail) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw fail("is not an object", "__metadata__");
  const kept = [];
  const omitted = [];
  let total = 0;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string")
      throw fail("is not a string (safetensors metadata maps strings to strings)", `__metadata__.${key}`);
    const name = wellFormed(key).slice(0, 256);
    const bytes = Buffer.byteLength(entry);
    if (bytes <= MAX_METADATA_VALUE && total + bytes <= MAX_METADATA_TOTAL) {
      total += bytes;
      kept.push([name, wellFormed(entry)]);
    } else if (omitted.length < 1e3) {
      omitted.push([name, `sha256:${createHash2("sha256").update(entry).digest("hex")} (${bytes} bytes)`]);
    }
  }
  return { kept: Object.fromEntries(kept), omitted: Object.fromEntries(omitted) };
}
function checkTiling(slots, dataLength, fail) {
  const sorted = [...slots].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const slot of sorted) {
    if (slot.begin !== expected) {
      const problem = slot.begin < expected ? "overlaps the tensor before it" : `leaves a gap: data from byte ${expected} is no tensor's`;
      throw fail(`starts at ${slot.begin} and ${problem}`, `tensors.${slot.name}.data_offsets`);
    }
    expected = slot.end;
  }
  if (expected !== dataLength) {
    throw fail(
      `tensors end at data byte ${expected} but the file holds ${dataLength} data bytes`,
      "data_offsets"
    );
  }
}

// src/formats/index.ts
var EOCD = Buffer.from("PK", "latin1");
var ZIP_FORMATS = /* @__PURE__ */ new Set(["zip", "pytorch", "torchscript", "keras", "npz"]);
async function scanTrailingZip(source, format, context) {
  if (ZIP_FORMATS.has(format) || source.size < 22) return;
  const length = Math.min(source.size, 22 + 65535);
  const tail = await source.read(source.size - length, length);
  if (tail.lastIndexOf(EOCD) === -1) return;
  try {
    await scanZip(source, context, 1, "(zip at the end of the file)");
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete("(zip at the end of the file)", describeError(error));
  }
}
var NAMED_READERS = {
  ".safetensors": readSafetensors,
  ".gguf": readGguf,
  ".onnx": readOnnx
};
async function inspectModelFile(path, display) {
  const source = await FileSource.open(path, display);
  try {
    return await inspectSource(source, display, extname(path).toLowerCase());
  } finally {
    await source.close();
  }
}
async function inspectSource(source, display, extension) {
  const context = scanContext(display);
  const info = await describe(source, display, context);
  await scanTrailingZip(source, info.format, context);
  const named = NAMED_READERS[extension];
  if (info.format === "raw" && named)
    return { ...await named(source, display), safety: context.report.result() };
  return { ...info, safety: context.report.result() };
}
async function describe(source, display, context) {
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  const kind = sniff(head, source.size);
  switch (kind) {
    case "safetensors":
      return readOrRaw(readSafetensors, "safetensors", source, display, context);
    case "gguf":
      return readOrRaw(readGguf, "GGUF", source, display, context);
    case "zip":
      return readModelZip(source, context);
    case "pickle":
      return readRawPickle(source, context);
    case "tar":
      return readModelTar(source, context);
    case "onnx":
      return readOrRaw(readOnnx, "ONNX", source, display, context);
    case "unknown":
      return { format: "raw", metadata: {}, warnings: [] };
    default: {
      const result = await scanPart(wholeSource(source), context, 0);
      const format = result.kind === "joblib-zlib" ? "zlib" : result.kind;
      return { format, metadata: {}, warnings: context.warnings };
    }
  }
}
async function readOrRaw(reader, what, source, display, context) {
  try {
    return await reader(source, display);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    if (looksLikePickle(await source.read(0, Math.min(2, source.size)))) {
      const pickled = await readRawPickle(source, context);
      if (pickled.format !== "raw") return pickled;
    }
    return {
      format: "raw",
      metadata: { note: `starts like ${what} but is not (${describeError(error)})` },
      warnings: []
    };
  }
}

// src/collect/dataset-scan.ts
var MAX_SCANNED_FILES = 1e5;
async function scanDataset(context, glob, entry, maxFiles = MAX_SCANNED_FILES) {
  if (entry.kind === "uri" || entry.path === void 0) {
    context.note(`datasets: ${entry.name}: its data is not in the working tree, so it was not scanned`);
    return;
  }
  const { files, more } = await datasetFiles(context.cwd, entry.path, glob, maxFiles);
  const parts = [];
  for (const file of files) {
    const display = `${entry.name}: ${file.member}`;
    try {
      const info = await inspectModelFile(file.absolute, display);
      if (info.safety) parts.push({ member: file.member, safety: info.safety });
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      parts.push({
        member: file.member,
        safety: {
          verdict: "incomplete",
          pickles: 0,
          findings: [{ verdict: "incomplete", reason: `not scanned: ${describeError(error)}` }]
        }
      });
    }
  }
  const report = combineSafety(parts);
  if (more) report.incomplete(void 0, `only the first ${maxFiles} files were scanned; all are hashed`);
  entry.safety = report.result();
  if (entry.safety.verdict !== "clean")
    context.note(`datasets: ${entry.name}: the safety scan's verdict is ${entry.safety.verdict}`);
}
async function datasetFiles(cwd, path, glob, maxFiles) {
  if (glob) {
    const matches = await expandGlob(cwd, path, { field: "datasets" });
    return {
      files: matches.slice(0, maxFiles).map((match) => ({ absolute: join4(cwd, match), member: match })),
      more: matches.length > maxFiles
    };
  }
  const given = path.replace(/^\.\//, "").replace(/\/+$/, "") || ".";
  const root = isAbsolute2(given) ? given : join4(cwd, given);
  const stats = await lstat(root);
  if (stats.isFile()) return { files: [{ absolute: root, member: given }], more: false };
  const files = [];
  let more = false;
  const walk = async (relative2) => {
    const entries = await readdir2(join4(root, relative2), { withFileTypes: true });
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const item of entries) {
      if (more) return;
      const path2 = relative2 === "" ? item.name : `${relative2}/${item.name}`;
      if (item.isDirectory()) await walk(path2);
      else if (item.isFile()) {
        if (files.length >= maxFiles) {
          more = true;
          return;
        }
        files.push({ absolute: join4(root, path2), member: path2 });
      }
    }
  };
  await walk("");
  return { files, more };
}

// src/collect/dvc.ts
import { readFile as readFile2, stat as stat2 } from "node:fs/promises";
import { dirname, join as join5, posix as posix3 } from "node:path";
var MAX_DVC_FILE = 16 * 1024 * 1024;
async function readYaml(absolute, display) {
  let text;
  try {
    const info = await stat2(absolute);
    if (info.size > MAX_DVC_FILE) {
      throw new LedgerError("BAD_INPUT", `is ${info.size} bytes, more than a DVC file should be`, {
        file: display,
        fix: "check the file"
      });
    }
    text = await readFile2(absolute, "utf8");
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: "check the file permissions"
    });
  }
  return parseStructuredObject(text, "yaml", display);
}
async function readDvcPointer(cwd, relative2) {
  const { value } = await readYaml(join5(cwd, relative2), relative2);
  const outs = value["outs"];
  if (!Array.isArray(outs) || outs.length === 0) {
    throw new LedgerError("BAD_INPUT", "has no `outs` list", {
      file: relative2,
      field: "outs",
      fix: "name a .dvc file written by `dvc add` or `dvc import`"
    });
  }
  const base = posix3.dirname(relative2);
  return {
    file: relative2,
    content: value,
    outs: outs.map((out, index) => {
      if (typeof out !== "object" || out === null || Array.isArray(out) || typeof out["path"] !== "string") {
        throw new LedgerError("BAD_INPUT", "is not an out with a `path`", {
          file: relative2,
          field: `outs[${index}]`,
          fix: "check the .dvc file"
        });
      }
      return { path: posix3.normalize(posix3.join(base, out["path"])), declared: out };
    })
  };
}
async function findDvcPointer(cwd, relative2) {
  const candidate = `${relative2.replace(/\/+$/, "")}.dvc`;
  try {
    await stat2(join5(cwd, candidate));
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return null;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: candidate,
      cause: error
    });
  }
  return readDvcPointer(cwd, candidate);
}
async function findDvcStage(cwd, relative2) {
  const target = posix3.normalize(relative2.replace(/\/+$/, ""));
  for (let directory = posix3.dirname(target); ; directory = posix3.dirname(directory)) {
    const lockfile = directory === "." ? "dvc.lock" : `${directory}/dvc.lock`;
    const stage = await stageProducing(cwd, lockfile, target);
    if (stage) return stage;
    if (directory === "." || directory === "/" || directory === dirname(directory)) return null;
  }
}
async function stageProducing(cwd, lockfile, target) {
  try {
    await stat2(join5(cwd, lockfile));
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return null;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: lockfile,
      cause: error
    });
  }
  const { value } = await readYaml(join5(cwd, lockfile), lockfile);
  const stages = isObject(value["stages"]) ? value["stages"] : value;
  const base = posix3.dirname(lockfile);
  for (const [name, stage] of Object.entries(stages)) {
    if (name === "schema" || !isObject(stage)) continue;
    const outs = stage["outs"];
    if (!Array.isArray(outs)) continue;
    for (const out of outs) {
      if (!isObject(out) || typeof out["path"] !== "string") continue;
      const produced = posix3.normalize(posix3.join(base, out["path"]));
      if (target === produced || target.startsWith(`${produced}/`))
        return { lockfile, stage: name, content: stage };
    }
  }
  return null;
}
async function dvcRemoteUrl(cwd) {
  let text;
  try {
    text = await readFile2(join5(cwd, ".dvc", "config"), "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return null;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: ".dvc/config",
      cause: error
    });
  }
  let section = "";
  let defaultRemote;
  const urls = /* @__PURE__ */ new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*'?(.*?)'?\s*\]$/.exec(line);
    if (header) {
      section = header[1].replace(/\s+/g, " ");
      continue;
    }
    const pair = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair;
    if (section === "core" && key === "remote") defaultRemote = value;
    const remote = /^remote "(.+)"$/.exec(section);
    if (remote && key === "url") urls.set(remote[1], value);
  }
  return defaultRemote ? urls.get(defaultRemote) ?? null : null;
}
function remoteObjectUrl(remote, declared) {
  const md5 = declared["md5"];
  if (typeof md5 !== "string" || !/^[0-9a-f]{32}(\.dir)?$/.test(md5)) return null;
  const prefix = declared["hash"] === "md5" ? "files/md5/" : "";
  return `${remote.replace(/\/+$/, "")}/${prefix}${md5.slice(0, 2)}/${md5.slice(2)}`;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/collect/datasets.ts
var DatasetsCollector = class {
  constructor(options) {
    this.options = options;
  }
  options;
  section = "datasets";
  async collect(context) {
    if (this.options.datasets.length === 0) return [];
    const pool = new HashPool(
      this.options.concurrency === void 0 ? {} : { concurrency: this.options.concurrency }
    );
    const settings = hashSettingsFor(this.options, context.env, context.log, pool);
    const entries = [];
    try {
      for (const [index, raw] of this.options.datasets.entries()) {
        entries.push(
          await collectOne(context, normalizeSpec(raw, `datasets[${index}]`), `datasets[${index}]`, settings)
        );
      }
    } finally {
      await pool.close();
    }
    const seen = /* @__PURE__ */ new Map();
    entries.forEach((entry, index) => {
      const earlier = seen.get(entry.name);
      if (earlier !== void 0) {
        throw new LedgerError(
          "BAD_INPUT",
          `two datasets are named "${entry.name}" (datasets[${earlier}] and datasets[${index}])`,
          {
            field: `datasets[${index}].name`,
            fix: "give each dataset its own `name`"
          }
        );
      }
      seen.set(entry.name, index);
    });
    context.log.info(`datasets: ${entries.length} recorded`);
    return entries;
  }
};
function normalizeSpec(raw, field2) {
  if (typeof raw === "string") {
    if (raw.trim() === "")
      throw new LedgerError("BAD_INPUT", "is empty", { field: field2, fix: "name a file, directory, glob or URI" });
    if (isUri(raw)) return { uri: raw };
    return hasGlobMagic(raw) ? { glob: raw } : { path: raw };
  }
  const given = ["path", "glob", "uri"].filter((key) => raw[key] !== void 0);
  if (given.length !== 1) {
    throw new LedgerError(
      "BAD_INPUT",
      given.length === 0 ? "names no data" : `names ${given.join(" and ")} at once`,
      {
        field: field2,
        fix: "give exactly one of `path`, `glob` or `uri`"
      }
    );
  }
  if (raw.name !== void 0 && (typeof raw.name !== "string" || raw.name.trim() === "" || /[\n\r]/.test(raw.name))) {
    throw new LedgerError("BAD_INPUT", "must be a non-empty single-line string", { field: `${field2}.name` });
  }
  return raw;
}
async function collectOne(context, spec, field2, settings) {
  let entry;
  if (spec.uri !== void 0) entry = uriEntry(context, spec, field2);
  else if (spec.glob !== void 0) entry = await globEntry(context, spec.glob, field2, settings);
  else entry = await pathEntry(context, spec.path, field2, settings);
  if (spec.name !== void 0) entry.name = spec.name;
  if (spec.description !== void 0)
    entry.description = await describe2(context, spec.description, `${field2}.description`);
  if (spec.scan === true) await scanDataset(context, spec.glob !== void 0, entry);
  return entry;
}
function uriEntry(context, spec, field2) {
  const reference = describeUri(spec.uri, `${field2}.uri`);
  const lineage = { ...reference.lineage };
  let sha256;
  if (spec.sha256 !== void 0) {
    if (!/^[0-9a-f]{64}$/.test(spec.sha256)) {
      throw new LedgerError("BAD_INPUT", `"${spec.sha256}" is not a SHA-256 (64 lowercase hex)`, {
        field: `${field2}.sha256`
      });
    }
    sha256 = spec.sha256;
    lineage["digest"] = "declared";
  } else {
    sha256 = sha256Hex(reference.uri);
    lineage["digest"] = "sha256 of the URI text";
  }
  for (const key of ["size", "files"]) {
    const value = spec[key];
    if (value !== void 0 && (!Number.isSafeInteger(value) || value < 0)) {
      throw new LedgerError("BAD_INPUT", "must be a non-negative integer", { field: `${field2}.${key}` });
    }
  }
  const name = spec.name ?? reference.defaultName;
  if (reference.moving) context.note(`datasets: ${name}: ${reference.uri}: ${reference.moving}`);
  return {
    name,
    kind: "uri",
    uri: reference.uri,
    digest: { sha256 },
    size: spec.size ?? 0,
    files: spec.files ?? 0,
    lineage
  };
}
async function globEntry(context, pattern, field2, settings) {
  const symlinks = [];
  const matches = await expandGlob(context.cwd, pattern, { field: field2, symlinks });
  if (symlinks.length > 0)
    context.log.warn(
      `datasets: the glob "${pattern}" matches ${symlinks.length} symlink(s), which are not recorded (their targets are, where the glob matches them): ${symlinks.slice(0, 5).join(", ")}`
    );
  if (matches.length === 0) {
    throw new LedgerError("BAD_INPUT", `the glob "${pattern}" matches no file`, {
      field: field2,
      fix: "check the pattern, relative to the repository root, or fetch the data first (e.g. `dvc pull`)"
    });
  }
  const { files } = await hashFiles(
    matches.map((match) => ({ absolute: join6(context.cwd, match), display: match })),
    settings
  );
  const lines = matches.map((path, index) => ({ path, sha256: files[index].sha256 }));
  const manifest = buildManifest(lines);
  return {
    name: pattern,
    kind: "directory",
    path: pattern,
    digest: { sha256: manifest.digest },
    size: files.reduce((total, file) => total + file.size, 0),
    files: files.length,
    manifest: manifestRef(manifest, context.attach.bind(context))
  };
}
async function pathEntry(context, given, field2, settings) {
  const display = given.replace(/^\.\//, "").replace(/\/+$/, "") || ".";
  const absolute = isAbsolute3(display) ? display : join6(context.cwd, display);
  const inside = relativePath(context.cwd, absolute);
  const repoRelative = inside === "" || inside.startsWith("..") || isAbsolute3(inside) ? null : inside.split(sep2).join("/");
  const shown = repoRelative ?? display;
  let kind;
  try {
    const info = await stat3(absolute);
    if (info.isDirectory()) kind = "directory";
    else if (info.isFile()) kind = "file";
    else {
      throw new LedgerError("BAD_INPUT", "is neither a file nor a directory", {
        file: shown,
        field: field2,
        fix: "name a data file or directory"
      });
    }
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    const missing = errnoCode(error) === "ENOENT";
    throw new LedgerError(
      "BAD_INPUT",
      missing ? "dataset not found" : `cannot read (${describeError(error)})`,
      {
        file: shown,
        field: field2,
        cause: error,
        fix: missing ? "check the path, relative to the repository root, or fetch the data first (e.g. `dvc pull`)" : "check the permissions"
      }
    );
  }
  if (kind === "file" && shown.endsWith(".dvc") && repoRelative)
    return dvcPointerEntry(context, repoRelative, field2, settings);
  const entry = kind === "directory" ? await directoryEntry(context, absolute, shown, settings) : await fileEntry(absolute, shown, settings);
  if (repoRelative) {
    const lineage = await dvcLineage(context.cwd, repoRelative);
    if (lineage) entry.lineage = lineage;
  }
  return entry;
}
async function fileEntry(absolute, shown, settings) {
  const { files } = await hashFiles([{ absolute, display: shown }], settings);
  const file = files[0];
  return {
    name: defaultName(shown),
    kind: "file",
    path: shown,
    digest: { sha256: file.sha256 },
    size: file.size,
    files: 1
  };
}
async function directoryEntry(context, absolute, shown, settings) {
  const digest = await hashDirectory(absolute, shown, settings);
  if (digest.symlinks.length > 0) {
    context.note(
      `datasets: ${shown}: ${digest.symlinks.length} symlink(s) inside the directory are not in its manifest (their targets are): ${digest.symlinks.slice(0, 5).join(", ")}`
    );
  }
  return {
    name: defaultName(shown),
    kind: "directory",
    path: shown,
    digest: { sha256: digest.manifest.digest },
    size: digest.size,
    files: digest.files.length,
    manifest: manifestRef(digest.manifest, context.attach.bind(context))
  };
}
async function dvcPointerEntry(context, relative2, field2, settings) {
  const pointer = await readDvcPointer(context.cwd, relative2);
  if (pointer.outs.length !== 1) {
    throw new LedgerError("BAD_INPUT", `has ${pointer.outs.length} outs; a dataset is one of them`, {
      file: relative2,
      field: "outs",
      fix: "name the tracked file or directory itself as the dataset"
    });
  }
  const out = pointer.outs[0];
  const present = await exists(join6(context.cwd, out.path));
  if (present) {
    const entry = await pathEntry(context, out.path, field2, settings);
    entry.lineage = { ...entry.lineage, dvc: dvcJson(pointer) };
    return entry;
  }
  const remote = await dvcRemoteUrl(context.cwd);
  const uri = (remote && remoteObjectUrl(remote, out.declared)) ?? `dvc://${relative2}`;
  const lineage = { dvc: dvcJson(pointer), digest: "sha256 of the URI text" };
  const stage = await findDvcStage(context.cwd, out.path);
  if (stage) lineage["dvcStage"] = { lockfile: stage.lockfile, stage: stage.stage, ...stage.content };
  const md5 = typeof out.declared["md5"] === "string" ? ` (md5 ${out.declared["md5"]})` : "";
  context.note(
    `datasets: ${out.path} is not in the working tree; recorded as ${relative2} declares it${md5}, not hashed \u2014 run \`dvc pull\` before recording to hash the data`
  );
  const size = out.declared["size"];
  const files = out.declared["nfiles"];
  return {
    name: defaultName(out.path),
    kind: "uri",
    uri,
    path: out.path,
    digest: { sha256: sha256Hex(uri) },
    size: typeof size === "number" ? size : 0,
    files: typeof files === "number" ? files : 0,
    lineage
  };
}
async function dvcLineage(cwd, relative2) {
  const lineage = {};
  const pointer = await findDvcPointer(cwd, relative2);
  if (pointer) lineage["dvc"] = dvcJson(pointer);
  const stage = await findDvcStage(cwd, relative2);
  if (stage) lineage["dvcStage"] = { lockfile: stage.lockfile, stage: stage.stage, ...stage.content };
  return Object.keys(lineage).length > 0 ? lineage : null;
}
function dvcJson(pointer) {
  return { file: pointer.file, ...pointer.content };
}
async function describe2(context, description, field2) {
  if (typeof description !== "object" || description === null || Array.isArray(description)) {
    throw new LedgerError("BAD_INPUT", "must be a mapping of descriptive fields", {
      field: field2,
      fix: "e.g. description: { license: CC-BY-4.0, split: train }"
    });
  }
  const notes = [];
  const result = toJsonValue(description, field2, notes, "config");
  notes.forEach((note) => context.note(`datasets: ${note}`));
  const schema = result["schema"];
  if (typeof schema === "string" && !isUri(schema)) {
    const absolute = isAbsolute3(schema) ? schema : join6(context.cwd, schema);
    if (await exists(absolute)) result["schemaSha256"] = (await hashFile(absolute)).sha256;
    else context.note(`datasets: ${field2}.schema: ${schema} not found; recorded as text`);
  }
  return result;
}
async function exists(path) {
  try {
    await lstat2(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return false;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, { file: path, cause: error });
  }
}
function defaultName(path) {
  const name = basename(path.replace(/\/+$/, "")).replace(/\.dvc$/, "");
  return name === "" || name === "." ? path : name;
}

// src/collect/models.ts
import { lstat as lstat3, stat as stat4 } from "node:fs/promises";
import { join as join7 } from "node:path";
var MAX_INSPECTED_IN_DIRECTORY = 1e5;
async function resolveModelPaths(cwd, patterns, symlinks = []) {
  const found = /* @__PURE__ */ new Set();
  for (const pattern of patterns) {
    if (hasGlobMagic(pattern)) {
      const matches = await expandGlob(cwd, pattern, { field: "models", symlinks });
      if (matches.length === 0) {
        throw new LedgerError("BAD_INPUT", `the glob "${pattern}" matches no file`, {
          field: "models",
          fix: "check the pattern against the repository layout, relative to the repository root"
        });
      }
      matches.forEach((match) => found.add(match));
    } else {
      const relative2 = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
      await modelPathKind(cwd, relative2);
      found.add(relative2);
    }
  }
  return [...found].sort(compareBytewise);
}
async function modelPathKind(cwd, relative2) {
  let stats;
  try {
    stats = await lstat3(join7(cwd, relative2));
  } catch (error) {
    const missing = errnoCode(error) === "ENOENT";
    throw new LedgerError(
      "BAD_INPUT",
      missing ? "model file not found" : `cannot read (${describeError(error)})`,
      {
        file: relative2,
        field: "models",
        cause: error,
        fix: missing ? "build the model before recording, or fix the path" : "check the file permissions"
      }
    );
  }
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "directory";
  throw new LedgerError(
    "BAD_INPUT",
    stats.isSymbolicLink() ? "is a symlink, not the model itself" : "is not a regular file or directory",
    {
      file: relative2,
      field: "models",
      fix: 'name the model files or directories themselves, or a glob such as "models/**/*.safetensors"'
    }
  );
}
var ModelsCollector = class {
  constructor(options) {
    this.options = options;
  }
  options;
  section = "models";
  async collect(context) {
    if (this.options.patterns.length === 0) return [];
    const symlinks = [];
    const paths = await resolveModelPaths(context.cwd, this.options.patterns, symlinks);
    if (symlinks.length > 0)
      context.log.warn(
        `models: the globs match ${symlinks.length} symlink(s), which are not recorded (their targets are, where a glob matches them): ${symlinks.slice(0, 5).join(", ")}`
      );
    const kinds = await Promise.all(paths.map((path) => modelPathKind(context.cwd, path)));
    const files = paths.filter((_, index) => kinds[index] === "file");
    const directories = paths.filter((_, index) => kinds[index] === "directory");
    const pool = new HashPool(
      this.options.concurrency === void 0 ? {} : { concurrency: this.options.concurrency }
    );
    const settings = hashSettingsFor(this.options, context.env, context.log, pool);
    const entries = [];
    let fromCache = 0;
    try {
      const hashed = await hashFiles(
        files.map((name) => ({ absolute: join7(context.cwd, name), display: name })),
        settings
      );
      fromCache += hashed.stats.fromCache;
      for (const [index, name] of files.entries()) {
        const digest = hashed.files[index];
        const entry = {
          name,
          kind: "file",
          digest: { sha256: digest.sha256 },
          size: digest.size
        };
        addFormat(entry, await inspectModelFile(join7(context.cwd, name), name));
        entries.push(entry);
      }
      for (const name of directories) {
        const entry = await collectDirectory(
          context,
          name,
          settings,
          this.options.maxScannedFiles ?? MAX_INSPECTED_IN_DIRECTORY
        );
        fromCache += entry.fromCache;
        entries.push(entry.entry);
      }
    } finally {
      await pool.close();
    }
    entries.sort((a, b) => compareBytewise(a.name, b.name));
    const cached = fromCache > 0 ? `, ${fromCache} digest(s) reused from the cache` : "";
    context.log.info(
      `models: ${files.length} file(s) and ${directories.length} directory(ies) hashed${cached}`
    );
    return entries;
  }
};
function addFormat(entry, info) {
  if (info.format !== "raw" || Object.keys(info.metadata).length > 0) entry.format = info.format;
  if (Object.keys(info.metadata).length > 0) entry.metadata = info.metadata;
  if (info.warnings.length > 0) entry.warnings = info.warnings;
  if (info.safety) entry.safety = info.safety;
}
async function collectDirectory(context, name, settings, maxScanned) {
  const digest = await hashDirectory(join7(context.cwd, name), name, settings);
  if (digest.symlinks.length > 0) {
    context.note(
      `models: ${name}: ${digest.symlinks.length} symlink(s) inside the directory are not in its manifest (their targets are): ${digest.symlinks.slice(0, 5).join(", ")}`
    );
  }
  const inspected = /* @__PURE__ */ new Map();
  const warnings = [];
  const verdicts = [];
  for (const file of digest.files.slice(0, maxScanned)) {
    const info = await inspectModelFile(join7(context.cwd, name, file.path), `${name}/${file.path}`);
    if (info.safety) verdicts.push({ member: file.path, safety: info.safety });
    warnings.push(...info.warnings);
    if (info.format === "raw" && Object.keys(info.metadata).length === 0) continue;
    inspected.set(file.path, { format: info.format, ...info.metadata });
  }
  const safety = combineSafety(verdicts);
  if (digest.files.length > maxScanned) {
    const message = `${name}: only the first ${maxScanned} of ${digest.files.length} files were scanned; all are hashed`;
    safety.incomplete(void 0, message);
    warnings.push({ code: "SCAN_INCOMPLETE", message });
    context.note(`models: ${message}`);
  }
  const names = new Set(digest.files.map((file) => file.path));
  const metadata = { files: Object.fromEntries(inspected) };
  const config = names.has("config.json") ? await readHuggingFaceConfig(join7(context.cwd, name, "config.json"), `${name}/config.json`, warnings) : null;
  if (config) metadata["config"] = config;
  const entry = {
    name,
    kind: "directory",
    digest: { sha256: digest.manifest.digest },
    size: digest.size,
    files: digest.files.length,
    format: directoryFormat(names, [...inspected.values()]),
    metadata,
    manifest: manifestRef(digest.manifest, context.attach.bind(context)),
    safety: safety.result()
  };
  if (warnings.length > 0) entry.warnings = warnings;
  return { entry, fromCache: digest.stats.fromCache };
}
function directoryFormat(names, inspected) {
  if (names.has("MLmodel")) return "mlflow";
  if (names.has("saved_model.pb")) return "tensorflow-saved-model";
  if (names.has("model_index.json")) return "diffusers";
  const weights = inspected.some((file) => {
    const format = file["format"];
    return typeof format === "string" && ["safetensors", "pytorch", "gguf", "onnx"].includes(format);
  });
  if (names.has("config.json") && weights) return "huggingface";
  return "directory";
}
var MAX_CONFIG_JSON_BYTES = 4 * 1024 * 1024;
var CONFIG_KEYS = [
  "architectures",
  "model_type",
  "torch_dtype",
  "dtype",
  "transformers_version",
  "_name_or_path"
];
async function readHuggingFaceConfig(path, display, warnings) {
  const size = (await stat4(path)).size;
  if (size > MAX_CONFIG_JSON_BYTES) return null;
  const text = await readBoundedText(path, MAX_CONFIG_JSON_BYTES, display);
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    warnings.push({
      code: "FORMAT",
      message: `${display}: nests deeper than ${MAX_JSON_DEPTH} levels, which no model configuration does; its fields were not read`
    });
    return null;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LedgerError("BAD_INPUT", `is not valid JSON (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: "fix or regenerate the model configuration (save_pretrained)"
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const config = parsed;
  const picked = CONFIG_KEYS.filter((key) => Object.hasOwn(config, key)).map((key) => [
    key,
    wellFormedJson(config[key] ?? null)
  ]);
  return picked.length > 0 ? Object.fromEntries(picked) : null;
}
function wellFormedJson(value) {
  if (typeof value === "string") return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormedJson(item)])
    );
  return value;
}

// src/collect/training.ts
import { stat as stat6 } from "node:fs/promises";
import { basename as basename2, dirname as dirname2, extname as extname2, isAbsolute as isAbsolute4, join as join9, relative as relativePath2, sep as sep3 } from "node:path";

// src/collect/mlflow.ts
import { readdir as readdir3, readFile as readFile3, stat as stat5 } from "node:fs/promises";
import { join as join8 } from "node:path";
var MAX_VALUE_FILE = 1024 * 1024;
var MAX_ENTRIES2 = 1e4;
async function readSmall(absolute, display) {
  try {
    const info = await stat5(absolute);
    if (info.size > MAX_VALUE_FILE) {
      throw new LedgerError(
        "BAD_INPUT",
        `is ${info.size} bytes, more than model-ledger reads from an MLflow value file`,
        {
          file: display,
          fix: "check the run folder"
        }
      );
    }
    return await readFile3(absolute);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: "check the permissions"
    });
  }
}
async function listValues(root, sub, display) {
  const found = [];
  const walk = async (relative2) => {
    let entries;
    try {
      entries = await readdir3(join8(root, sub, relative2), { withFileTypes: true });
    } catch (error) {
      if (relative2 === "" && errnoCode(error) === "ENOENT") return;
      throw new LedgerError("BAD_INPUT", `cannot list (${describeError(error)})`, {
        file: `${display}/${sub}/${relative2}`,
        cause: error
      });
    }
    for (const entry of entries) {
      const path = relative2 ? `${relative2}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(path);
      if (found.length > MAX_ENTRIES2) {
        throw new LedgerError("BAD_INPUT", `more than ${MAX_ENTRIES2} entries`, {
          file: `${display}/${sub}`,
          fix: "check the run folder"
        });
      }
    }
  };
  await walk("");
  return found.sort();
}
async function isMlflowRun(directory) {
  try {
    return (await stat5(join8(directory, "meta.yaml"))).isFile();
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return false;
    throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
      file: join8(directory, "meta.yaml"),
      cause: error
    });
  }
}
async function readMlmodel(absolute, display) {
  const text = await readSmall(absolute, display);
  const { value, notes } = parseStructuredObject(text.toString("utf8"), "yaml", display);
  return { value, text, notes };
}
async function readMlflowRun(directory, display) {
  const files = [];
  const notes = [];
  const read = async (relative2) => {
    const bytes = await readSmall(join8(directory, relative2), `${display}/${relative2}`);
    files.push({ path: relative2, sha256: sha256Hex(bytes) });
    return bytes;
  };
  const metaBytes = await read("meta.yaml");
  const meta = parseStructuredObject(metaBytes.toString("utf8"), "yaml", `${display}/meta.yaml`);
  notes.push(...meta.notes);
  const params = {};
  for (const key of await listValues(directory, "params", display)) {
    define2(params, key, (await read(`params/${key}`)).toString("utf8"));
  }
  const tags = {};
  for (const key of await listValues(directory, "tags", display)) {
    define2(tags, key, (await read(`tags/${key}`)).toString("utf8"));
  }
  const metrics = {};
  for (const key of await listValues(directory, "metrics", display)) {
    define2(
      metrics,
      key,
      parseMetric((await read(`metrics/${key}`)).toString("utf8"), `${display}/metrics/${key}`, key, notes)
    );
  }
  const run = { meta: meta.value, params, metrics, tags };
  const models = {};
  let artifacts = [];
  try {
    artifacts = (await readdir3(join8(directory, "artifacts"), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") {
      throw new LedgerError("BAD_INPUT", `cannot list (${describeError(error)})`, {
        file: `${display}/artifacts`,
        cause: error
      });
    }
  }
  for (const name of artifacts) {
    const relative2 = `artifacts/${name}/MLmodel`;
    try {
      await stat5(join8(directory, relative2));
    } catch (error) {
      if (errnoCode(error) === "ENOENT") continue;
      throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
        file: `${display}/${relative2}`,
        cause: error
      });
    }
    const model = await readMlmodel(join8(directory, relative2), `${display}/${relative2}`);
    files.push({ path: relative2, sha256: sha256Hex(model.text) });
    notes.push(...model.notes);
    define2(models, `artifacts/${name}`, model.value);
  }
  if (Object.keys(models).length > 0) run["models"] = models;
  return { run, files: files.sort((a, b) => compareBytewise(a.path, b.path)), notes };
}
function parseMetric(text, display, key, notes) {
  let latest;
  let points = 0;
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const parts = line.trim().split(/\s+/);
    const timestamp = Number(parts[0]);
    const value2 = parseValue(parts[1]);
    const step = parts[2] === void 0 ? 0 : Number(parts[2]);
    if (parts.length < 2 || parts.length > 3 || !Number.isFinite(timestamp) || value2 === void 0 || !Number.isFinite(step)) {
      throw new LedgerError("BAD_INPUT", `is not "<timestamp> <value> [<step>]"`, {
        file: display,
        field: `line ${index + 1}`,
        fix: "check the run folder"
      });
    }
    points++;
    if (!latest || step > latest.step || step === latest.step && timestamp >= latest.timestamp)
      latest = { value: value2, timestamp, step };
  });
  if (!latest) return { points: 0 };
  let value = latest.value;
  if (!Number.isFinite(latest.value)) {
    notes.push(`metrics.${key}: ${latest.value} kept as text (JSON has no such number)`);
    value = String(latest.value);
  }
  return { value, step: latest.step, timestamp: latest.timestamp, points };
}
function parseValue(text) {
  if (text === void 0) return void 0;
  const lower = text.toLowerCase();
  if (lower === "nan") return Number.NaN;
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return Number.isNaN(value) ? void 0 : value;
}
function define2(target, key, value) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// src/collect/training.ts
var MAX_TRAINING_FILE = 16 * 1024 * 1024;
var TrainingCollector = class {
  constructor(options) {
    this.options = options;
  }
  options;
  section = "training";
  async collect(context) {
    const given = this.options.path.replace(/^\.\//, "").replace(/\/+$/, "");
    if (given === "") return null;
    const absolute = isAbsolute4(given) ? given : join9(context.cwd, given);
    const inside = relativePath2(context.cwd, absolute);
    const source = inside === "" || inside.startsWith("..") || isAbsolute4(inside) ? given : inside.split(sep3).join("/");
    let info;
    try {
      info = await stat6(absolute);
    } catch (error) {
      const missing = errnoCode(error) === "ENOENT";
      throw new LedgerError(
        "BAD_INPUT",
        missing ? "training file not found" : `cannot read (${describeError(error)})`,
        {
          file: source,
          field: "training",
          cause: error,
          fix: missing ? "check the path, relative to the repository root" : "check the permissions"
        }
      );
    }
    if (!info.isFile() && !info.isDirectory()) {
      throw new LedgerError("BAD_INPUT", "is not a regular file or a folder", {
        file: source,
        field: "training",
        fix: "name a JSON or YAML file, an MLmodel file or an MLflow run folder"
      });
    }
    let section;
    let notes;
    if (info.isDirectory()) {
      ({ section, notes } = await readFolder(absolute, source));
    } else if (basename2(absolute) === "meta.yaml" && await isMlflowRun(dirname2(absolute))) {
      const folder = source.includes("/") ? source.slice(0, source.lastIndexOf("/")) : ".";
      ({ section, notes } = await readFolder(dirname2(absolute), folder));
    } else {
      ({ section, notes } = await readTrainingFile(absolute, source, info.size));
    }
    notes.forEach((note) => context.note(`training: ${note}`));
    context.log.info(`training: ${section.sourceKind} ${section.source}`);
    return section;
  }
};
async function readFolder(absolute, source) {
  if (await isMlflowRun(absolute)) {
    const read = await readMlflowRun(absolute, source);
    const manifest = buildManifest(read.files);
    return {
      section: { source, sourceSha256: manifest.digest, sourceKind: "mlflow-run", run: read.run },
      notes: read.notes
    };
  }
  let hasModel = false;
  try {
    hasModel = (await stat6(join9(absolute, "MLmodel"))).isFile();
  } catch (error) {
    if (errnoCode(error) !== "ENOENT")
      throw new LedgerError("BAD_INPUT", `cannot read (${describeError(error)})`, {
        file: `${source}/MLmodel`,
        cause: error
      });
  }
  if (!hasModel) {
    throw new LedgerError(
      "BAD_INPUT",
      "is a directory but neither an MLflow run folder (meta.yaml) nor an MLflow model (MLmodel)",
      {
        file: source,
        field: "training",
        fix: "name a JSON or YAML file, an MLflow run folder (mlruns/<experiment>/<run>) or an MLflow model folder"
      }
    );
  }
  const model = await readMlmodel(join9(absolute, "MLmodel"), `${source}/MLmodel`);
  return {
    section: {
      source: `${source}/MLmodel`,
      sourceSha256: sha256Hex(model.text),
      sourceKind: "mlflow-model",
      run: model.value
    },
    notes: model.notes
  };
}
async function readTrainingFile(absolute, source, size) {
  if (size > MAX_TRAINING_FILE) {
    throw new LedgerError("BAD_INPUT", `is ${size} bytes; a training description should be far smaller`, {
      file: source,
      field: "training",
      fix: "record the run parameters and metrics, not the data"
    });
  }
  if (basename2(absolute) === "MLmodel") {
    const model = await readMlmodel(absolute, source);
    return {
      section: { source, sourceSha256: sha256Hex(model.text), sourceKind: "mlflow-model", run: model.value },
      notes: model.notes
    };
  }
  const extension = extname2(absolute).toLowerCase();
  const kind = extension === ".json" ? "json" : extension === ".yaml" || extension === ".yml" ? "yaml" : null;
  if (!kind) {
    throw new LedgerError(
      "BAD_INPUT",
      `has the extension "${extension}"; model-ledger reads .json, .yaml and .yml training files`,
      {
        file: source,
        field: "training",
        fix: "rename the file, or name an MLflow run folder or MLmodel file"
      }
    );
  }
  const bytes = await readBoundedFile(absolute, MAX_TRAINING_FILE, source, { field: "training" });
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch (error) {
    throw new LedgerError("BAD_INPUT", "is not UTF-8 text", {
      file: source,
      field: "training",
      cause: error,
      fix: "save the file as UTF-8"
    });
  }
  const { value, notes } = parseStructuredObject(text, kind, source);
  return { section: { source, sourceSha256: sha256Hex(bytes), sourceKind: kind, run: value }, notes };
}

export {
  DEFAULT_CONFIG_FILE,
  loadConfig,
  isUri,
  parserForPath,
  SKIPPED_DIRECTORIES,
  MAX_SEARCH_DEPTH,
  MAX_CHANGED_FILES,
  changedFilesBetween,
  readWorkingTree,
  workingTreeState,
  CommitCollector,
  collectDependencies,
  dependenciesCollector,
  DatasetsCollector,
  ModelsCollector,
  TrainingCollector
};
