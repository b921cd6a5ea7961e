/**
 * Credentials never reach the log. Browsers pass the WebSocket token as `?access_token=`, and
 * Fastify logs every request URL (and errors may quote one), so each log line is redacted on
 * its way out rather than each place that might log a URL.
 */

// Query parameters that carry a credential, in any URL a line mentions.
const SECRET_PARAMS = /([?&](?:access_token|token|api_key|apikey|password|secret)=)[^&#\s"\\]*/gi;
// Session and API key tokens wherever they appear (a key's 12-character prefix is not secret).
const TOKENS = /\b(kst|kak)_[A-Za-z0-9_-]{16,}/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMS, '$1[redacted]').replace(TOKENS, '$1_[redacted]');
}

/** A log destination that writes each line redacted to `destination`. */
export function redactingStream(destination: { write: (line: string) => unknown }): { write: (line: string) => void } {
  return { write: (line) => void destination.write(redactSecrets(line)) };
}
