import { setTimeout as delay } from 'node:timers/promises';
import type { MTConnectAgent } from './agent.js';
import { parseShdr, type ShdrRecord } from './shdr.js';

export interface ShdrReplayOptions {
  /** Device (name, uuid or machineId) the adapter feeds. */
  device: string;
  /** 1 = the log's own pace, 10 = ten times faster, Infinity (default) = as fast as possible. */
  speed?: number;
  /** Longest real pause between two lines: a log is often several runs glued together. Default 2000 ms. */
  maxPauseMs?: number;
  /** Stamp observations with the log's times (default, as an agent does) or with the replay time. */
  useLogTimestamps?: boolean;
  /** At full speed, yield to the event loop every this many lines so streams keep flowing. Default 25. */
  yieldEvery?: number;
  signal?: AbortSignal;
}

export interface ShdrReplayResult {
  records: number;
  /** Observations the agent stored, with their sequence and DataItem type, in order. */
  observations: { sequence: number; type: string; category: string; value: string }[];
  /** Observations equal to the DataItem's latest value, dropped as an agent does. */
  duplicates: number;
  /** Keys in the log that the device model does not have (ignored, as an agent does). */
  unknownKeys: string[];
  assets: number;
}

/** SHDR times are UTC even without a zone; anything unreadable becomes the replay time. */
function logTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Feeds an SHDR log into the agent, line by line in file order (never re-sorted by time: agents order
 * by arrival, and real logs have timestamps going backwards), pausing by the log's time differences
 * divided by `speed`.
 */
export async function replayShdr(
  agent: MTConnectAgent,
  text: string,
  options: ShdrReplayOptions,
): Promise<ShdrReplayResult> {
  const device = options.device;
  const isCondition = (key: string) => agent.hasItem(device, key) && agent.item(device, key).category === 'CONDITION';
  const records = parseShdr(text, isCondition);
  const speed = options.speed ?? Infinity;
  const maxPause = options.maxPauseMs ?? 2000;
  const yieldEvery = options.yieldEvery ?? 25;
  const useLog = options.useLogTimestamps ?? true;
  const result: ShdrReplayResult = {
    records: records.length,
    observations: [],
    duplicates: 0,
    unknownKeys: [],
    assets: 0,
  };
  const unknown = new Set<string>();
  let previous: number | undefined;
  let count = 0;
  for (const record of records) {
    if (options.signal?.aborted) break;
    const time = record.kind === 'meta' ? undefined : logTime(record.timestamp);
    if (time !== undefined && Number.isFinite(speed)) {
      const gap = previous === undefined ? 0 : time.getTime() - previous;
      if (gap > 0)
        await delay(Math.min(maxPause, gap / speed), undefined, { signal: options.signal }).catch(() => undefined);
    } else if (++count % yieldEvery === 0) {
      await delay(0);
    }
    if (time !== undefined) previous = time.getTime();
    const stamp = useLog ? time : undefined;
    apply(agent, device, record, stamp, result, unknown);
  }
  result.unknownKeys = [...unknown].sort();
  return result;
}

function apply(
  agent: MTConnectAgent,
  device: string,
  record: ShdrRecord,
  time: Date | undefined,
  result: ShdrReplayResult,
  unknown: Set<string>,
): void {
  switch (record.kind) {
    case 'meta':
      return;
    case 'asset':
      agent.addAsset(record.id, record.type, record.body);
      result.assets += 1;
      return;
    case 'remove-asset':
      agent.removeAsset(record.id);
      return;
    case 'remove-all-assets':
      agent.removeAllAssets(record.type || undefined);
      return;
    case 'data':
      break;
  }
  for (const item of record.items) {
    if (!agent.hasItem(device, item.key)) {
      unknown.add(item.key);
      continue;
    }
    const dataItem = agent.item(device, item.key);
    const timestamp = (time ?? new Date()).toISOString();
    const sequence =
      item.kind === 'condition'
        ? agent.condition(dataItem, {
            level: item.level,
            timestamp,
            value: item.message,
            ...(item.nativeCode === '' ? {} : { nativeCode: item.nativeCode }),
            ...(item.nativeSeverity === '' ? {} : { nativeSeverity: item.nativeSeverity }),
            ...(item.qualifier === '' ? {} : { qualifier: item.qualifier }),
          })
        : agent.observe(device, item.key, item.value, timestamp);
    if (sequence === undefined) {
      result.duplicates += 1;
    } else {
      result.observations.push({
        sequence,
        type: dataItem.type,
        category: dataItem.category,
        value: item.kind === 'condition' ? item.level : item.value.trim(),
      });
    }
  }
}
