import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { errorResponses, IdParams } from '../platform/http/schemas.js';
import { resolveScan } from './scan-resolve.js';
import { travelerJobs } from './traveler-data.js';
import { renderTravelers } from './traveler-pdf.js';
import { PdfResponse, ScanAnswer, ScanQuery, TravelerBatch } from './traveler-schemas.js';

const tags = ['floor'];

/** A file name any browser and OS keeps as it is. */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);

function sendPdf(reply: FastifyReply, pdf: Buffer, filename: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(pdf);
}

/** Printed job travelers and what their codes (and every other Kerf code) resolve to. */
export function registerTravelerRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => ctx.database.db;
  const print = async (jobIds: string[], field: string) => {
    const jobs = await travelerJobs(db(), jobIds, field);
    const pdf = await renderTravelers(jobs, { timeZone: ctx.config.timeZone, printedAt: new Date() });
    return { pdf, jobNumbers: jobs.map((j) => j.jobNumber) };
  };

  app.get('/api/v1/jobs/:id/traveler.pdf', {
    config: { access: 'job:view' },
    schema: {
      tags,
      summary: 'The job traveler: header, routing, a Code 128 per step (step id + routing revision)',
      params: IdParams,
      response: { 200: PdfResponse, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { pdf, jobNumbers } = await print([req.params.id], 'id');
      return sendPdf(reply, pdf, `traveler-${fileSafe(jobNumbers[0]!)}.pdf`);
    },
  });

  app.post('/api/v1/travelers', {
    config: { access: 'job:view' },
    schema: {
      tags,
      summary: 'Travelers of several jobs as one PDF, each job from a new page',
      body: TravelerBatch,
      response: { 200: PdfResponse, ...errorResponses },
    },
    handler: async (req, reply) => {
      const { pdf, jobNumbers } = await print(req.body.jobIds, 'jobIds');
      return sendPdf(reply, pdf, `travelers-${jobNumbers.length}-jobs.pdf`);
    },
  });

  app.get('/api/v1/floor/scan', {
    config: { access: 'production:report' },
    schema: {
      tags,
      summary: 'What a scanned code names; an old traveler code says what changed since it was printed',
      querystring: ScanQuery,
      response: { 200: ScanAnswer, ...errorResponses },
    },
    handler: async (req) => resolveScan(db(), req.query.code),
  });
}
