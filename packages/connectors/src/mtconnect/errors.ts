import type { MTConnectErrorEntry, MTConnectHeader } from './types.js';

/** Error codes of the MTConnectError schema (2.7) plus the older ones agents still send. */
export type MTConnectErrorCode =
  | 'UNAUTHORIZED'
  | 'NO_DEVICE'
  | 'OUT_OF_RANGE'
  | 'TOO_MANY'
  | 'INVALID_URI'
  | 'INVALID_REQUEST'
  | 'INTERNAL_ERROR'
  | 'INVALID_PATH'
  | 'UNSUPPORTED'
  | 'ASSET_NOT_FOUND'
  | 'INVALID_XPATH'
  | 'QUERY_ERROR'
  | 'INVALID_PARAMETER_VALUE';

/**
 * An agent answered with an MTConnectError document. `code` is the first error's code (the one a
 * client acts on: OUT_OF_RANGE -> re-sync from /current, NO_DEVICE -> configuration problem).
 */
export class MTConnectAgentError extends Error {
  override readonly name = 'MTConnectAgentError';
  readonly code: string;

  constructor(
    readonly errors: MTConnectErrorEntry[],
    readonly header: MTConnectHeader,
    /** HTTP status of the response, when it came over HTTP. */
    readonly status?: number,
  ) {
    const first = errors[0] ?? { code: 'UNKNOWN', message: 'MTConnectError without an Error element' };
    super(`MTConnect agent error ${first.code}: ${first.message}`);
    this.code = first.code;
  }

  has(code: MTConnectErrorCode | (string & {})): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

export function isMTConnectAgentError(error: unknown): error is MTConnectAgentError {
  return error instanceof MTConnectAgentError;
}
