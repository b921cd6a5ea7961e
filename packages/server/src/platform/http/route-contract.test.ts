import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { installRouteContract } from './route-contract.js';
import { ErrorResponse, errorResponses, IdParams } from './schemas.js';

const bare = () => {
  const app = Fastify();
  installRouteContract(app);
  return app;
};

describe('route contract', () => {
  it('refuses at start-up a route without a success response schema, naming the route', () => {
    const app = bare();
    expect(() =>
      app.get(
        '/api/v1/widgets',
        { config: { access: 'job:view' as never }, schema: { response: errorResponses } },
        () => [],
      ),
    ).toThrow(/route GET \/api\/v1\/widgets lacks a success \(2xx\) response schema/);
  });

  it('refuses a route whose path parameters, validated request or access gate have no schema', () => {
    expect(() =>
      bare().get('/api/v1/widgets/:id', { schema: { response: { 200: Type.Object({}) } } }, () => ({})),
    ).toThrow(/lacks a params schema/);
    expect(() =>
      bare().post(
        '/api/v1/widgets',
        { schema: { body: Type.Object({}), response: { 201: Type.Object({}) } } },
        () => ({}),
      ),
    ).toThrow(/lacks a 400 response/);
    expect(() =>
      bare().get(
        '/api/v1/widgets',
        { config: { access: 'job:view' as never }, schema: { response: { 200: Type.Object({}), 401: ErrorResponse } } },
        () => ({}),
      ),
    ).toThrow(/lacks a 403 response \(the access gate sends it\)/);
  });

  it('refuses an API route that hides itself, and exempts only the hidden routes outside the contract', () => {
    expect(() => bare().get('/api/v1/secret', { schema: { hide: true } }, () => 'x')).toThrow(
      /GET \/api\/v1\/secret lacks no schema.hide/,
    );
    const app = bare();
    expect(() => {
      app.get('/*', { schema: { hide: true } }, () => 'index.html');
      app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => ({}));
      app.get('/api/v1/ws', { schema: { hide: true } }, () => ({}));
    }).not.toThrow();
  });

  it('accepts a route that declares its request and every response it sends', () => {
    expect(() =>
      bare().get(
        '/api/v1/widgets/:id',
        {
          config: { access: 'job:view' as never },
          schema: { params: IdParams, response: { 200: Type.Object({ id: Type.String() }), ...errorResponses } },
        },
        () => ({ id: 'x' }),
      ),
    ).not.toThrow();
  });
});
