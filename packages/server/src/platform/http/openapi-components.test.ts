import { describe, expect, it } from 'vitest';
import { hoistTitledSchemas } from './openapi-components.js';

const job = { title: 'Job', type: 'object', properties: { id: { type: 'string' } } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form document walked by path
const json = (schema: any) => ({ content: { 'application/json': { schema } } });

describe('hoistTitledSchemas', () => {
  it('moves titled schemas into named components and refers to them, nested ones too', () => {
    const doc = hoistTitledSchemas({
      paths: {
        '/jobs/{id}': { get: { responses: { 200: json(job) } } },
        '/jobs': {
          get: { responses: { 200: json({ type: 'object', properties: { items: { type: 'array', items: job } } }) } },
        },
        '/page': { get: { responses: { 200: json({ title: 'Page', type: 'object', properties: { first: job } }) } } },
      },
    });
    expect(doc.paths['/jobs/{id}'].get.responses[200]).toEqual(json({ $ref: '#/components/schemas/Job' }));
    expect(doc.paths['/jobs'].get.responses[200].content['application/json'].schema.properties.items.items).toEqual({
      $ref: '#/components/schemas/Job',
    });
    expect((doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas).toEqual({
      Job: job,
      Page: { title: 'Page', type: 'object', properties: { first: { $ref: '#/components/schemas/Job' } } },
    });
  });

  it('leaves a different schema under a title already taken inline', () => {
    const other = { ...job, description: 'another shape' };
    const doc = hoistTitledSchemas({ paths: { '/a': { get: json(job) }, '/b': { get: json(other) } } });
    expect(doc.paths['/b'].get).toEqual(json(other));
  });
});
