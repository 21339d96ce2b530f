/** Every error embedlite throws on purpose is one of these; each carries a message a user can act on. */

/** Base class: `instanceof EmbedliteError` catches every typed error of the library. */
export class EmbedliteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed model bytes: not a TFLite file, truncated, offsets out of range, inconsistent tables. */
export class ModelError extends EmbedliteError {}

/** An operator (or op version, or type combination) the interpreter has no kernel for. */
export class UnsupportedOpError extends EmbedliteError {}

/** A well-formed model whose contents break a kernel's rules (shapes, types, quantization) at prepare time. */
export class PrepareError extends EmbedliteError {}

/**
 * A model that asks for more memory than the budget allows (option `maxArenaBytes`, CLI `--max-arena`), or for a
 * tensor larger than the platform's typed arrays can hold. The message says how much it asks for.
 */
export class BudgetError extends PrepareError {}

/** Wrong use of the interpreter API (bad tensor index, shape of the wrong rank, invoke before inputs…). */
export class InterpreterError extends EmbedliteError {}

/** A corrupt, truncated, unsupported or oversized image, or a bad image operation (ROI out of bounds…). */
export class ImageError extends EmbedliteError {}

/** A model the ImageEmbedder cannot use, or a bad embedder option / argument. */
export class EmbedderError extends EmbedliteError {}
