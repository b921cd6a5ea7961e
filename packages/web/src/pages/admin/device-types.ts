/** MQTT device credentials as the API shows them (`/mqtt-devices`, docs/machines.md "Devices"). */
export interface MqttDevice {
  id: string;
  username: string;
  allowedTopics: string[];
  machineId: string | null;
  machineCode: string | null;
  enabled: boolean;
  version: number;
  rotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer of create and rotate: the only time the password is shown. */
export interface MqttDeviceSecret extends MqttDevice {
  password: string;
  /** the embedded broker as the server sees it; null when Kerf reads an external broker (MQTT_URL) */
  mqttUrl: string | null;
}

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
