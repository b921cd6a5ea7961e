import { describe, expect, it } from 'vitest';
import { laborMinutes } from './labor-split.js';
import { decide, type OperationState } from './operation-rules.js';

const state = (over: Partial<OperationState> = {}): OperationState => ({
  status: 'running',
  startedAt: new Date(0),
  good: 0,
  scrap: 0,
  quantity: 10,
  active: new Set(['ann']),
  cancelled: false,
  ...over,
});
const tx = (type: 'start' | 'pause' | 'resume' | 'finish' | 'count', over: object = {}) => ({
  type,
  employeeId: 'ann',
  good: 0,
  scrap: 0,
  ...over,
});

describe('operation rules', () => {
  it('counts are deltas: 8 of 10, then a finish with 2 more, is 10, never 18', () => {
    const first = decide(state(), tx('count', { good: 8 }));
    expect(first).toMatchObject({ status: 'applied', effect: { good: 8 } });
    const last = decide(state({ good: 8 }), tx('finish', { good: 2 }));
    expect(last).toMatchObject({ status: 'applied', effect: { next: 'finished', good: 2, labor: 'end_all' } });
    expect(decide(state({ good: 8 }), tx('finish', { good: 10 }))).toMatchObject({ status: 'rejected', field: 'good' });
  });

  it('an overrun needs an overrun reason; scrap a scrap reason; unknown codes are named', () => {
    expect(
      decide(state({ good: 10 }), tx('count', { good: 1, reason: { code: 'OVERRUN_SPARES', kind: 'overrun' } })),
    ).toMatchObject({ status: 'applied', effect: { overrunReason: 'OVERRUN_SPARES' } });
    expect(decide(state(), tx('count', { scrap: 1, reason: { code: 'BREAK', kind: 'pause' } }))).toMatchObject({
      status: 'rejected',
      field: 'reason',
    });
    expect(decide(state(), tx('count', { good: 1, reason: { code: 'NOPE', kind: null } }))).toMatchObject({
      status: 'rejected',
      field: 'reason',
    });
    expect(decide(state(), tx('count', { good: -1 }))).toMatchObject({ status: 'rejected', field: 'good' });
  });

  it('a finished operation takes nothing more; a paused one cannot be finished twice either', () => {
    for (const type of ['start', 'pause', 'resume', 'finish', 'count'] as const) {
      expect(decide(state({ status: 'finished', active: new Set() }), tx(type, { good: 1 })).status).toBe('conflict');
    }
  });

  it('pause needs a pause reason and someone working; the last one out pauses the operation', () => {
    const reason = { code: 'BREAK', kind: 'pause' };
    expect(decide(state(), tx('pause'))).toMatchObject({ status: 'rejected', field: 'reason' });
    expect(decide(state({ active: new Set(['bob']) }), tx('pause', { reason }))).toMatchObject({ status: 'conflict' });
    expect(decide(state({ active: new Set(['ann', 'bob']) }), tx('pause', { reason }))).toMatchObject({
      effect: { next: 'running', labor: 'end' },
    });
    expect(decide(state(), tx('pause', { reason }))).toMatchObject({
      effect: { next: 'paused', labor: 'end', pauseReason: 'BREAK' },
    });
  });

  it('a second operator joins running work; nobody starts a cancelled operation', () => {
    expect(decide(state(), tx('start', { employeeId: 'bob' }))).toMatchObject({ status: 'applied', message: 'joined' });
    expect(decide(state(), tx('start'))).toMatchObject({ status: 'conflict' });
    expect(decide(state({ status: 'not_started', active: new Set(), cancelled: true }), tx('start')).status).toBe(
      'conflict',
    );
    expect(decide(state({ status: 'not_started', active: new Set() }), tx('count', { good: 1 })).status).toBe(
      'conflict',
    );
  });
});

describe('labor split', () => {
  const m = 60_000;
  it('shares a person’s time across the operations worked at once, and adds people', () => {
    const minutes = laborMinutes([
      { routingId: 'a', employeeId: 'ann', start: 0, end: 60 * m },
      { routingId: 'b', employeeId: 'ann', start: 30 * m, end: 90 * m },
      { routingId: 'a', employeeId: 'bob', start: 0, end: 60 * m },
    ]);
    // ann: 30 alone on a, 30 shared, 30 alone on b; bob 60 on a.
    expect(minutes.get('a')).toBeCloseTo(30 + 15 + 60);
    expect(minutes.get('b')).toBeCloseTo(15 + 30);
    expect([...minutes.values()].reduce((x, y) => x + y)).toBeCloseTo(90 + 60);
  });
});
