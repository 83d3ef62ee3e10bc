// Values in and out of the library: text as (pointer, length) buffers, library-owned strings, int64.
import koffi from 'koffi';
import { C } from './ffi.js';
import { call, callForHandle } from './calls.js';

// koffi passes an empty Buffer as NULL, which the library rightly calls an invalid argument;
// an empty view of a real allocation keeps (non-NULL, 0) so that '' gets its proper status.
const EMPTY = Buffer.alloc(1).subarray(0, 0);

export function bytes(value, what) {
  let buf;
  if (typeof value === 'string') {
    buf = Buffer.from(value, 'utf8');
  } else if (value instanceof Uint8Array) {
    buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  } else {
    throw new TypeError(`${what} must be a string or a Uint8Array`);
  }
  return buf.length === 0 ? EMPTY : buf;
}

// Token text for a parse is encoded into one reused buffer, passed whole with the text's
// length, rather than into a new Buffer (or even a subarray) per call. Safe because a parse
// never calls back into JS, so nothing can reuse the buffer while the library reads it; every
// other call keeps using bytes(). 3 bytes per UTF-16 unit is UTF-8's worst case.
const tokenScratch = Buffer.alloc(16384);

// Runs `parse(buf, len, frame)` on the token text; returns the new token's address.
export function parseText(token, parse) {
  if (typeof token === 'string' && token.length * 3 <= tokenScratch.length) {
    const len = tokenScratch.write(token, 'utf8');
    return callForHandle((f) => parse(tokenScratch, len, f));
  }
  const buf = bytes(token, 'token');
  return callForHandle((f) => parse(buf, buf.length, f));
}

// True when `text`, decoded by koffi up to the first NUL, is exactly the `len` bytes it came
// from: nothing cut off by an embedded NUL, no byte replaced as invalid UTF-8 (which could
// also make the lengths agree by chance).
function isWholeText(text, len) {
  return Buffer.byteLength(text, 'utf8') === len && !text.includes('\uFFFD');
}

// `len` bytes at `ptr` as UTF-8. koffi's own decoding of char text is several times faster
// than copying the bytes out into a Buffer, but stops at a NUL; the bytes are data, so text it
// did not take whole is decoded again exactly.
export function decodeText(ptr, len) {
  const n = Number(len);
  if (!ptr || n === 0) {
    return '';
  }
  const text = koffi.decode(ptr, 'char', n);
  return isWholeText(text, n) ? text : Buffer.from(koffi.decode(ptr, 'uint8_t', n)).toString('utf8');
}

// Library-allocated output (char **out, size_t *out_len): read it, then ajwt_free it.
export function takeString(fn) {
  const frame = call((f) => fn(f.ptr, f.len, f.err));
  const ptr = koffi.decode(frame.ptr, 'void *'); // koffi.decode reads through pointer objects only
  const len = frame.len[0];
  try {
    return decodeText(ptr, len);
  } finally {
    C.free(ptr);
  }
}

export function toInt64(value, what) {
  if (typeof value === 'bigint') {
    return value;
  }
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what} must be an integer number of seconds`);
  }
  return value;
}
