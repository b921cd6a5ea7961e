import { eq } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import { customers, jobRoutings, jobs } from './tables.js';

/**
 * Every routing step with its job and customer, as a subquery another module joins its rows to
 * on `routingId`. Other modules read steps through this (planning/schedule-reads.ts), never
 * through the jobs tables, and still get one SQL statement instead of a second round trip.
 * Built without a database handle, so it joins into a query on any connection or transaction.
 */
export function routingStepsWithJob(alias = 'routing_step') {
  return new QueryBuilder()
    .select({
      routingId: jobRoutings.id,
      jobId: jobRoutings.jobId,
      sequence: jobRoutings.sequence,
      operationCode: jobRoutings.operationCode,
      workCenterType: jobRoutings.workCenterType,
      setupMinutes: jobRoutings.setupMinutes,
      runMinutesPerUnit: jobRoutings.runMinutesPerUnit,
      quantity: jobRoutings.quantity,
      totalMinutes: jobRoutings.totalMinutes,
      dependencies: jobRoutings.dependencies,
      jobNumber: jobs.jobNumber,
      dueDate: jobs.dueDate,
      priority: jobs.priority,
      jobStatus: jobs.status,
      customer: customers.name,
    })
    .from(jobRoutings)
    .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
    .leftJoin(customers, eq(customers.id, jobs.customerId))
    .as(alias);
}

/** The subquery under its usual alias. */
export const routingStep = routingStepsWithJob();
