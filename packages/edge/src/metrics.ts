/**
 * Counters of the gateway since the process started. The identity that must hold over a run:
 * received = buffered + dropped_intake + rejected, and every buffered event is eventually published
 * or dropped_oldest. `resent` counts events sent again after a cut because their PUBACK never came;
 * they carry the same (machine, source, sequence), so the server drops them as duplicates.
 */
export class EdgeCounters {
  received = 0;
  /** Events the source delivered that no codec could read (counted, logged, acknowledged). */
  rejected = 0;
  buffered = 0;
  published = 0;
  /** Published events that had waited in the buffer across an upstream (re)connect. */
  replayed = 0;
  resent = 0;
  droppedOldest = 0;
  droppedIntake = 0;
  reconnects = 0;
}

export interface Gauges {
  backlog: number;
  diskBytes: number;
  inflight: number;
  upstreamConnected: boolean;
  oldestAgeSeconds: number | null;
}

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(gatewayId: string, c: EdgeCounters, g: Gauges): string {
  const label = `gateway="${gatewayId.replace(/["\\\n]/g, '_')}"`;
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [extra, value] of samples) lines.push(`${name}{${label}${extra}} ${value}`);
  };
  metric('kerf_edge_received_total', 'counter', 'Events received from machine sources.', [['', c.received]]);
  metric('kerf_edge_rejected_total', 'counter', 'Source messages that could not be decoded.', [['', c.rejected]]);
  metric('kerf_edge_buffered_total', 'counter', 'Events persisted to the disk buffer.', [['', c.buffered]]);
  metric('kerf_edge_published_total', 'counter', 'Events acknowledged by the upstream broker (PUBACK).', [
    ['', c.published],
  ]);
  metric('kerf_edge_replayed_total', 'counter', 'Published events that waited in the buffer across a reconnect.', [
    ['', c.replayed],
  ]);
  metric('kerf_edge_resent_total', 'counter', 'Events sent again after a cut because no PUBACK came.', [
    ['', c.resent],
  ]);
  metric('kerf_edge_dropped_total', 'counter', 'Events lost to the buffer full-policy.', [
    [',reason="oldest"', c.droppedOldest],
    [',reason="intake"', c.droppedIntake],
  ]);
  metric('kerf_edge_upstream_reconnects_total', 'counter', 'Upstream connections established after the first.', [
    ['', c.reconnects],
  ]);
  metric('kerf_edge_backlog', 'gauge', 'Events in the disk buffer not yet acknowledged upstream.', [['', g.backlog]]);
  metric('kerf_edge_inflight', 'gauge', 'Events published and awaiting PUBACK.', [['', g.inflight]]);
  metric('kerf_edge_disk_bytes', 'gauge', 'Bytes of the buffer database and its WAL on disk.', [['', g.diskBytes]]);
  metric('kerf_edge_upstream_connected', 'gauge', '1 when connected to the upstream broker.', [
    ['', g.upstreamConnected ? 1 : 0],
  ]);
  metric('kerf_edge_oldest_event_age_seconds', 'gauge', 'Age of the oldest buffered event (0 when empty).', [
    ['', g.oldestAgeSeconds ?? 0],
  ]);
  return `${lines.join('\n')}\n`;
}
