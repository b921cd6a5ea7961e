/**
 * After a machine is saved: exactly what it (or its edge gateway) must publish to, or what Kerf
 * connects to, and a device login for MQTT. Registering a machine should not need the docs.
 */
import { useState, type FormEvent } from 'react';
import { client, ok } from '../../api/client';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { DeviceSecret } from '../admin/DeviceSecret';
import type { MqttDeviceSecret } from '../../api/models';
import type { RegisteredMachine } from './machine-registration-types';

const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v.trim() : fallback);

export function MachineInstructions({ machine }: { machine: RegisteredMachine }) {
  const publishes = machine.protocol === 'mqtt' || machine.protocol === 'sparkplug';
  return (
    <section className="editor machine-instructions" aria-labelledby="instructions-title">
      <h3 id="instructions-title">How {machine.code} reports to Kerf</h3>
      {machine.protocol === 'mqtt' && <MqttSteps machine={machine} />}
      {machine.protocol === 'sparkplug' && <SparkplugSteps machine={machine} />}
      {machine.protocol === 'mtconnect' && <MtconnectSteps machine={machine} />}
      {machine.protocol === 'opcua' && <OpcUaSteps machine={machine} />}
      <DeviceLogin machine={machine} primary={publishes} />
    </section>
  );
}

function MqttSteps({ machine }: { machine: RegisteredMachine }) {
  const base = `shopfloor/${machine.departmentId}/${machine.code}`;
  const example = JSON.stringify({ ts: '2026-12-02T08:00:00Z', seq: 1, src: `${machine.code}-gw`, value: 'running' });
  return (
    <>
      <p>
        Publish JSON with QoS 1 to the broker below, one topic per value, under <code>{base}/</code>:
      </p>
      <ul>
        <li>
          <code data-testid="machine-topic">{base}/state</code>: <code>running</code>, <code>idle</code>,{' '}
          <code>setup</code>, <code>alarm</code>, <code>offline</code> or <code>stopped</code>
        </li>
        <li>
          <code>{base}/part_count</code>: the part counter (a number)
        </li>
        <li>
          <code>{base}/alarm</code>: <code>{'{"code", "active", "severity", "message"}'}</code>
        </li>
        <li>
          <code>{base}/&lt;metric&gt;</code>: any other value, e.g. <code>spindle_speed</code>
        </li>
      </ul>
      <p>Example payload (ts and seq may be left out; seq keeps redelivered messages from counting twice):</p>
      <pre className="example">{example}</pre>
      <p className="muted">
        The topic's department ({machine.departmentId}) must be the machine's: anything else is refused by the broker.
      </p>
    </>
  );
}

function SparkplugSteps({ machine }: { machine: RegisteredMachine }) {
  const group = str(machine.connection.groupId, machine.departmentId);
  const edge = str(machine.connection.edgeNodeId, '<edge node id>');
  return (
    <>
      <p>Publish Sparkplug B (spBv1.0) from an edge node with these ids:</p>
      <dl>
        <dt>Group id</dt>
        <dd>
          <code>{group}</code>
        </dd>
        <dt>Edge node id</dt>
        <dd>
          <code>{edge}</code>
        </dd>
        <dt>Device id</dt>
        <dd>
          <code>{machine.code}</code> (the machine code)
        </dd>
      </dl>
      <p>
        Topics: <code data-testid="machine-topic">{`spBv1.0/${group}/DBIRTH/${edge}/${machine.code}`}</code>, then{' '}
        <code>DDATA</code> and <code>DDEATH</code> on the same path; the node's <code>NBIRTH</code> first. Metrics{' '}
        <code>State</code> and <code>PartCount</code> become the machine's state and part count.
      </p>
    </>
  );
}

function MtconnectSteps({ machine }: { machine: RegisteredMachine }) {
  const url = str(machine.connection.url, '');
  return (
    <p>
      Kerf connects to the MTConnect agent at <code data-testid="machine-endpoint">{url || '(no agent URL yet)'}</code>{' '}
      and reads device <code>{str(machine.connection.device, machine.code)}</code> from its <code>/sample</code> stream.
      The agent must be reachable from the Kerf server; the connection state is under Machines.
    </p>
  );
}

function OpcUaSteps({ machine }: { machine: RegisteredMachine }) {
  const endpoint = str(machine.connection.endpointUrl, '');
  return (
    <p>
      Kerf connects to the OPC UA endpoint <code data-testid="machine-endpoint">{endpoint || '(no endpoint yet)'}</code>{' '}
      ({str(machine.connection.securityMode, 'SignAndEncrypt')}) and reads the machine's nodes under namespace{' '}
      <code>{str(machine.connection.namespaceUri, '(a node mapping)')}</code>. The server must trust Kerf's client
      certificate.
    </p>
  );
}

function DeviceLogin({ machine, primary }: { machine: RegisteredMachine; primary: boolean }) {
  const save = useSave();
  const [username, setUsername] = useState(machine.code.toLowerCase());
  const [secret, setSecret] = useState<MqttDeviceSecret | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    void save.run(
      async () =>
        setSecret(await ok(client.POST('/api/v1/mqtt-devices', { body: { username, machineId: machine.id } }))),
      `Device login ${username} created for ${machine.code}.`,
    );
  };
  if (secret) return <DeviceSecret secret={secret} onDone={() => setSecret(null)} />;
  return (
    <form className="inline" onSubmit={create} aria-label={`Device login for ${machine.code}`}>
      <p>
        {primary
          ? 'The machine logs in to the broker with a device login that may publish only its own topics.'
          : "If an edge gateway publishes this machine's data over MQTT instead, give it a device login."}
      </p>
      <Field label="Device user name" error={save.fieldError('username')}>
        <input value={username} onChange={(e) => setUsername(e.target.value)} required />
      </Field>
      <div className="actions">
        <button type="submit" className={primary ? 'primary' : undefined} disabled={save.busy}>
          Create device login
        </button>
      </div>
      <SaveStatus state={save} />
    </form>
  );
}
