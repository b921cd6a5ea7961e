/**
 * Owns one vis-timeline instance. React never renders the bars: datasets are updated in place,
 * and drag callbacks go through refs so the timeline is built once.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { DataSet } from 'vis-data';
import moment, { type MomentInput } from 'moment';
import { Timeline, type DataGroup, type DataItem, type TimelineItem } from 'vis-timeline';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import './background-layout-patch';
import { offsetMinutes } from '../../format';

// The axis, its day/shift lines and snapping read the shop's clock, not the browser's: each
// instant gets the shop zone's offset at that instant (daylight saving included).
const shopMoment = (input?: MomentInput) => {
  const m = moment(input);
  return m.utcOffset(offsetMinutes(m.valueOf()));
};

export type ItemCallback = (item: TimelineItem | null) => void;
export interface DragHandlers {
  onMoving: (item: TimelineItem) => void;
  onMove: (item: TimelineItem, callback: ItemCallback) => void;
}

export interface TimelineApi {
  timeline: Timeline;
  items: DataSet<DataItem>;
  groups: DataSet<DataGroup>;
}

export function useTimeline(
  container: RefObject<HTMLDivElement | null>,
  handlers: RefObject<DragHandlers>,
  initial: { start: Date; end: Date },
): RefObject<TimelineApi | null> {
  const api = useRef<TimelineApi | null>(null);
  const initialWindow = useRef(initial);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const items = new DataSet<DataItem>();
    const groups = new DataSet<DataGroup>();
    const timeline = new Timeline(el, items, groups, {
      moment: shopMoment,
      rtl: false, // vis-timeline stays invisible without it (DEPENDENCIES.md)
      stack: false,
      orientation: 'top',
      start: initialWindow.current.start,
      end: initialWindow.current.end,
      zoomMin: 60 * 60 * 1000,
      zoomMax: 60 * 86_400_000,
      editable: { updateTime: true, updateGroup: true, add: false, remove: false, overrideItems: false },
      itemsAlwaysDraggable: { item: true, range: true },
      groupOrder: 'order',
      // data-id on each bar: the precedence arrows find bars by it
      dataAttributes: ['id'],
      margin: { item: { horizontal: 0, vertical: 4 } },
      tooltip: { followMouse: true, overflowMethod: 'cap' },
      snap: null,
      verticalScroll: true,
      maxHeight: '100%',
      onMoving: (item, callback) => {
        handlers.current?.onMoving(item);
        callback(item);
      },
      onMove: (item, callback) => handlers.current?.onMove(item, callback),
    });
    api.current = { timeline, items, groups };
    return () => {
      timeline.destroy();
      api.current = null;
    };
  }, [container, handlers]);
  return api;
}
