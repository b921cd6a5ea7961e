import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-error.js';
import { MTConnectAgentError } from './errors.js';
import { MTConnectMapper } from './mapper.js';
import { parseMTConnectDocument, parseStreamsDocument } from './parse-document.js';

const FIXTURES = fileURLToPath(new URL('../../test-data/mtconnect', import.meta.url));
const documents = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'))
  // keep each run fast: mutate the small documents and the start of the big ones
  .map((xml) => (xml.length > 6000 ? xml.slice(0, 6000) : xml));

/** Parse, and map when it is a Streams document; only the typed errors may escape. */
function parseAndMap(xml: string): void {
  try {
    const doc = parseStreamsDocument(xml);
    new MTConnectMapper().current(doc);
    new MTConnectMapper().sample(doc);
  } catch (error) {
    if (error instanceof CodecError || error instanceof MTConnectAgentError) return;
    throw error;
  }
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '<',
      '>',
      '"',
      '&',
      '</Streams>',
      '<Fault dataItemId="x" sequence="1">',
      ' sequence="x"',
      '&#0;',
      ']]>',
      '<!DOCTYPE a [<!ENTITY e "x">]>',
    ),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(xml: string, ops: { op: string; at: number; len?: number; text?: string }[]): string {
  let out = xml;
  for (const raw of ops) {
    const at = out.length === 0 ? 0 : raw.at % out.length;
    if (raw.op === 'delete') out = out.slice(0, at) + out.slice(at + (raw.len ?? 1));
    else if (raw.op === 'insert') out = out.slice(0, at) + (raw.text ?? '') + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

describe('MTConnect parser fuzz', () => {
  it('random text never throws anything but CodecError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseMTConnectDocument(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('mutated fixture documents never throw anything but the typed errors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...documents), fc.array(mutation, { minLength: 1, maxLength: 4 }), (xml, ops) => {
        parseAndMap(mutate(xml, ops));
      }),
      { numRuns: 600 },
    );
  });

  it('generated well-formed streams with hostile attribute values never throw anything but the typed errors', () => {
    const attrValue = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[<&"]/g, '')),
      fc.constantFrom('-1', '1e3', '9007199254740993', '', 'UNAVAILABLE', 'NaN', '__proto__', 'constructor'),
      fc.nat().map(String),
    );
    const element = fc.constantFrom(
      'Execution',
      'PartCount',
      'Normal',
      'Fault',
      'Warning',
      'Unavailable',
      'Weird',
      '__proto__',
    );
    const section = fc.constantFrom('Samples', 'Events', 'Condition');
    const obs = fc.record({
      section,
      element,
      id: attrValue,
      seq: attrValue,
      ts: attrValue,
      code: attrValue,
      text: attrValue,
    });
    fc.assert(
      fc.property(fc.array(obs, { maxLength: 8 }), attrValue, attrValue, (items, instance, next) => {
        const body = items
          .map(
            (o) =>
              `<${o.section}><${o.element} dataItemId="${o.id}" sequence="${o.seq}" timestamp="${o.ts}" nativeCode="${o.code}">${o.text}</${o.element}></${o.section}>`,
          )
          .join('');
        parseAndMap(
          `<MTConnectStreams><Header instanceId="${instance}" nextSequence="${next}"/><Streams><DeviceStream name="${instance || 'd'}"><ComponentStream component="Path">${body}</ComponentStream></DeviceStream></Streams></MTConnectStreams>`,
        );
      }),
      { numRuns: 500 },
    );
  });
});
