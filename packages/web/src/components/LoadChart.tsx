/** Load against capacity per day (hours) as an ECharts bar + line chart. */
import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface DayLoad {
  key: string;
  loadMinutes: number;
  capacityMinutes: number;
}

export function LoadChart({ days, title, dark }: { days: DayLoad[]; title: string; dark: boolean }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    const h = (m: number) => Math.round((m / 60) * 10) / 10;
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['Planned load (h)', 'Capacity (h)'], top: 4, right: 16 },
      grid: { left: 48, right: 16, top: 48, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.key.slice(5)) },
      yAxis: { type: 'value', name: 'hours' },
      series: [
        {
          name: 'Planned load (h)',
          type: 'bar',
          data: days.map((d) => ({
            value: h(d.loadMinutes),
            itemStyle: { color: d.loadMinutes > d.capacityMinutes ? '#c0392b' : '#2e86c1' },
          })),
        },
        {
          name: 'Capacity (h)',
          type: 'line',
          step: 'middle',
          data: days.map((d) => h(d.capacityMinutes)),
          itemStyle: { color: '#7f8c8d' },
        },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [days, dark]);
  return <div ref={el} className="chart" role="img" aria-label={title} />;
}
