import { expect, it } from 'vitest';
import { runCli } from './cli.js';

function io(untilStop?: Promise<void>): { out: string[]; err: string[]; io: Parameters<typeof runCli>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l), untilStop } };
}

it('starts the first N demo machines on the chosen protocols and reports what it sent', async () => {
  const run = io(new Promise((r) => setTimeout(r, 300)));
  const code = await runCli(['--machines', '8', '--only', 'mqtt,sparkplug,mtconnect', '--speed', '600'], run.io);
  expect(code).toBe(0);
  const text = run.out.join('\n');
  expect(text).toContain('kerf-sim: 6 machines');
  expect(text).toMatch(/WELD-01 +weld +weld +mqtt/);
  expect(text).toMatch(/MTConnect agent: http:\/\/127\.0\.0\.1:\d+\/current/);
  expect(text).not.toContain('OPC UA');
  expect(text).toMatch(/events sent \{"mtconnect":\d+,"opcua":0,"mqtt":\d+,"sparkplug":\d+\}/);
});

it.each([
  [['--machines', '0'], '--machines'],
  [['--speed', '-1'], '--speed'],
  [['--only', 'modbus'], '--only'],
  [['--bogus'], 'bogus'],
])('rejects %j naming the option', async (argv, name) => {
  const run = io();
  expect(await runCli(argv, run.io)).toBe(2);
  expect(run.err[0]).toContain(name);
});
