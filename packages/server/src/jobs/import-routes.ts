import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';

/** CSV import routes (work centers; jobs with parts and routings). */
export function registerImportRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
