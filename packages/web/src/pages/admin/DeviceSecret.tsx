/** A device's user name and new password, shown once after create or rotate, with where to log in. */
import type { MqttDeviceSecret } from '../../api/models';
import { brokerAddress } from './device-types';

export function DeviceSecret({ secret, onDone }: { secret: MqttDeviceSecret; onDone: () => void }) {
  const broker = brokerAddress(secret.mqttUrl);
  return (
    <section className="editor device-secret" role="status" aria-labelledby="device-secret-title">
      <h3 id="device-secret-title">Credentials for {secret.username}</h3>
      <p>
        <strong>Copy the password now: it is shown only this once.</strong> Kerf keeps only its hash; if it is lost,
        rotate it.
      </p>
      <dl>
        <dt>Broker</dt>
        <dd>
          {broker ? (
            <code>{broker}</code>
          ) : (
            <span>Kerf reads an external broker (MQTT_URL): create this login on that broker instead.</span>
          )}
        </dd>
        <dt>User name</dt>
        <dd>
          <code data-testid="device-username">{secret.username}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="device-password">{secret.password}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(secret.password)}>
            Copy
          </button>
        </dd>
        <dt>May publish under</dt>
        <dd>
          {secret.allowedTopics.map((t) => (
            <code key={t}>{t} </code>
          ))}
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
