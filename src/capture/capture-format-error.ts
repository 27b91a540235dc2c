import { UsageError } from "../core/errors.js";

/** A file that is not a capture, or a corrupt or truncated one: one line, exit 2. */
export class CaptureFormatError extends UsageError {}
