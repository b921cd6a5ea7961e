/** Utilisation per work center and day across the shop, as an ECharts heat map. */
import { useEffect, useRef } from 'react';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { DayLoad } from './LoadChart';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface CenterDays {
  id: string;
  days: DayLoad[];
}

/** Percent of capacity planned, or null on a closed day (no capacity). */
export const utilisation = (d: DayLoad) =>
  d.capacityMinutes > 0 ? Math.round((d.loadMinutes / d.capacityMinutes) * 100) : null;

export function LoadHeatmap({
  centers,
  dark,
  onChoose,
}: {
  centers: CenterDays[];
  dark: boolean;
  onChoose: (id: string) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const choose = useRef(onChoose);
  choose.current = onChoose;
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    const days = centers[0]?.days.map((d) => d.key) ?? [];
    // the first-ranked center on top
    const rows = [...centers].reverse();
    const data: [number, number, number | string][] = [];
    rows.forEach((c, y) =>
      c.days.forEach((d, x) => {
        const u = utilisation(d);
        data.push([x, y, u ?? '-']);
      }),
    );
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      tooltip: {
        formatter: (p: { value: [number, number, number | string] }) => {
          const [x, y, v] = p.value;
          return `${rows[y]?.id ?? ''} ${days[x] ?? ''}: ${v === '-' ? 'closed' : `${v} % of capacity`}`;
        },
      },
      grid: { left: 90, right: 16, top: 8, bottom: 60 },
      xAxis: { type: 'category', data: days.map((k) => k.slice(5)), splitArea: { show: true } },
      yAxis: { type: 'category', data: rows.map((c) => c.id), splitArea: { show: true } },
      visualMap: {
        min: 0,
        max: 120,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        text: ['120 %', '0 %'],
        inRange: { color: ['#e8f4ea', '#f9d65c', '#e67e22', '#b3261e'] },
      },
      series: [{ type: 'heatmap', data, label: { show: false } }],
    });
    chart.on('click', (p) => {
      const y = (p.value as [number, number])[1];
      const id = rows[y]?.id;
      if (id) choose.current(id);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [centers, dark]);
  return (
    <div
      ref={el}
      className="chart heatmap"
      style={{ height: Math.max(200, centers.length * 22 + 80) }}
      role="img"
      aria-label="Utilisation per work center and day (the table below has the same figures per work center)"
    />
  );
}
