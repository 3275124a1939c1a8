/**
 * Types for the block-level modules of unbzip2-stream, which ships none. Its stream wrapper
 * (index.js) is not used: it decodes every buffered block in one go, so it cannot stop at the
 * scan's inflated-bytes bound; bzip2.ts drives these block functions itself.
 */

declare module 'unbzip2-stream/lib/bit_iterator.js' {
  /** Reads `n` bits (big-endian), or aligns to the next byte when `n` is null. */
  interface BitReader {
    (n: number): number;
    (n: null): undefined;
    /** Bytes started so far (whole bytes consumed once aligned). */
    bytesRead: number;
  }
  /** `nextBuffer` is called, synchronously, whenever the bytes handed over so far are used up. */
  function bitIterator(nextBuffer: () => Uint8Array): BitReader;
  export = bitIterator;
}

declare module 'unbzip2-stream/lib/bzip2.js' {
  import type bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
  type BitReader = ReturnType<typeof bitIterator>;
  const bzip2: {
    /** Reads a stream header (`BZh1`–`BZh9`) and returns its block size in units of 100 000 bytes. */
    header(bits: BitReader): number;
    /**
     * Decodes one block, calling `write` for each output byte, and returns the running stream CRC;
     * null at the end-of-stream marker (whose CRC it has checked). Throws on corrupt data.
     * Must be called as a method: it keeps its tables on the module object.
     */
    decompress(
      bits: BitReader,
      write: (byte: number) => void,
      buffer: Int32Array,
      bufferSize: number,
      streamCRC: number,
    ): number | null;
  };
  export = bzip2;
}
