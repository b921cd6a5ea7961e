import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { findCycle, resolveRoutingDependencies } from './routing-rules.js';
import type { RoutingInputT } from './schemas.js';

const step = (sequence: number, dependsOn?: number[]): RoutingInputT => ({
  sequence,
  operationCode: `OP${sequence}`,
  workCenterType: 'laser',
  runMinutesPerUnit: 1,
  ...(dependsOn ? { dependsOn } : {}),
});

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

describe('routing rules', () => {
  it('defaults to the previous sequence and keeps explicit joins', () => {
    const deps = resolveRoutingDependencies([step(10), step(20, []), step(30, [10, 20]), step(40)]);
    expect(Object.fromEntries(deps)).toEqual({ 10: [], 20: [], 30: [10, 20], 40: [30] });
  });

  it('rejects a cycle naming the field', () => {
    const err = errorOf(() => resolveRoutingDependencies([step(10, [30]), step(20, [10]), step(30, [20])]));
    expect(err.code).toBe('routing_cycle');
    expect(err.field).toMatch(/^routings\[\d\]\.dependsOn$/);
    expect(err.message).toMatch(/cycle/);
  });

  it('rejects self-dependency, unknown steps and duplicate sequences', () => {
    expect(errorOf(() => resolveRoutingDependencies([step(10, [10])])).field).toBe('routings[0].dependsOn');
    expect(errorOf(() => resolveRoutingDependencies([step(10), step(20, [99])])).field).toBe('routings[1].dependsOn');
    expect(errorOf(() => resolveRoutingDependencies([step(10), step(10)])).field).toBe('routings[1].sequence');
  });

  it('findCycle finds none in a DAG with joins', () => {
    expect(
      findCycle(
        new Map([
          [1, []],
          [2, [1]],
          [3, [1]],
          [4, [2, 3]],
        ]),
      ),
    ).toBeUndefined();
    expect(
      findCycle(
        new Map([
          [1, [2]],
          [2, [1]],
        ]),
      ),
    ).toEqual([1, 2, 1]);
  });
});
