// Calls into the library: caller-owned output memory per nesting depth, statuses to exceptions.
import koffi from 'koffi';
import { C, ajwt_error } from './ffi.js';
import { AjwtError } from './errors.js';

// The error of a JS callback that failed during the current library call. Calls are
// synchronous on one thread, so one slot suffices; it becomes the AjwtError's `cause`.
let callbackError;

// Keeps the first error of a JS callback for the library call that is running.
export function keepCallbackError(error) {
  if (callbackError === undefined) {
    callbackError = error;
  }
}

// ---- call frames -------------------------------------------------------------------------------
// Caller-owned memory for the outputs of one library call: its ajwt_error, two out-pointers
// (T **out; ajwt_authenticate has two) and an out-length. They are allocated once and reused,
// and the error message is decoded only on failure. JS is single-threaded, but a JS callback
// may call into the library while an outer call is still running, so each nesting depth has a
// frame of its own.
const ERROR_SIZE = koffi.sizeof(ajwt_error);
const MESSAGE_OFFSET = koffi.offsetof(ajwt_error, 'message');

class Frame {
  err = Buffer.alloc(ERROR_SIZE);
  ptr = new BigUint64Array(1); // an address as a BigInt: koffi takes it for any pointer argument
  ptr2 = new BigUint64Array(1);
  len = new BigUint64Array(1);
}

const frames = [];
let depth = 0;

// A clean frame for the call about to run at the current depth.
function frameForCall() {
  const frame = frames[depth] ?? (frames[depth] = new Frame());
  frame.err[MESSAGE_OFFSET] = 0; // no stale message if a failure ever left it unset
  frame.ptr[0] = 0n;
  frame.ptr2[0] = 0n;
  frame.len[0] = 0n;
  return frame;
}

function errorMessage(err) {
  const end = err.indexOf(0, MESSAGE_OFFSET);
  return err.toString('utf8', MESSAGE_OFFSET, end < 0 ? err.length : end);
}

function check(status, err) {
  if (status === 0) {
    return;
  }
  const cause = callbackError;
  callbackError = undefined;
  throw new AjwtError(status, errorMessage(err) || C.status_str(status),
    cause === undefined ? undefined : { cause });
}

// Runs a library call that may call back into JS: `fn` receives a frame and passes its
// members as the call's outputs. Returns the frame; read its outputs at once, before the next
// library call reuses it.
export function call(fn) {
  const frame = frameForCall();
  callbackError = undefined;
  depth++;
  let status;
  try {
    status = fn(frame);
  } finally {
    depth--;
  }
  check(status, frame.err);
  callbackError = undefined;
  return frame;
}

// A call whose output is one new handle (T **out): its address.
export function callForHandle(fn) {
  return call(fn).ptr[0];
}

// The two handles (T **out, U **out2) a call returned, read out of its frame before any
// other call (or an await) can reuse it.
export function outputs(frame) {
  return { token: frame.ptr[0], key: frame.ptr2[0] };
}

// The length out-slot of accessors (size_t *len, no ajwt_error), which never call back into
// JS, so one slot is enough for all of them.
export const accessorLength = new BigUint64Array(1);
