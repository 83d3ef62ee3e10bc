// The lifetime of library handles.
import { AjwtError, Status } from './errors.js';

const disposeSymbol = Symbol.dispose ?? Symbol.for('nodejs.dispose');

// Safety net for handles nobody freed: the held value is the release function.
const finalizer = new FinalizationRegistry((release) => release());

// The held value of the FinalizationRegistry must not reach the handle object.
function releaser(release, ptr) {
  return () => release(ptr);
}

/** Base of every wrapper of a library handle: explicit free(), `using`, and GC as a fallback. */
export class Handle {
  #ptr;
  #release;

  constructor(ptr, release) {
    if (!ptr) {
      throw new AjwtError(Status.AJWT_ERR_INTERNAL, 'the library returned no handle');
    }
    this.#ptr = ptr;
    this.#release = releaser(release, ptr);
    finalizer.register(this, this.#release, this);
  }

  /** The raw handle; throws after free(). */
  get handle() {
    if (!this.#ptr) {
      throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT, `${this.constructor.name} was freed`);
    }
    return this.#ptr;
  }

  get freed() {
    return !this.#ptr;
  }

  /** Releases the handle now; later calls are no-ops. */
  free() {
    if (!this.#ptr) {
      return;
    }
    finalizer.unregister(this);
    this.#ptr = null;
    this.#release();
  }

  [disposeSymbol]() {
    this.free();
  }
}
