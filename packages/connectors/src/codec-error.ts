/**
 * Thrown by every Kerf wire codec (MQTT JSON topics, Sparkplug B, MTConnect, OPC UA mapping) when
 * input cannot be turned into a MachineEvent. Ingest loops catch exactly this type to drop or
 * dead-letter one bad message without killing the connection; anything else is a bug.
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';

  /**
   * @param field what was wrong, as a path the sender can act on: "topic", "payload", "payload.ts",
   *   "payload.value.code", "metrics[3].alias", ...
   * @param reason what is wrong with it and, where possible, what is expected instead.
   */
  constructor(
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${reason}`, options);
  }
}

export function isCodecError(error: unknown): error is CodecError {
  return error instanceof CodecError;
}
