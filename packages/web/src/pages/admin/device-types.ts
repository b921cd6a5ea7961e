/**
 * The broker address for a device: the server reports its own view (often 127.0.0.1), a machine
 * on the shop floor reaches the host this browser reached Kerf on.
 */
export function brokerAddress(mqttUrl: string | null): string | null {
  if (!mqttUrl) return null;
  const url = new URL(mqttUrl);
  const local = ['127.0.0.1', 'localhost', '0.0.0.0', '[::1]'].includes(url.hostname);
  return `mqtt://${local ? window.location.hostname : url.hostname}:${url.port || '1883'}`;
}
