// ECharts in React: one instance per element, resized with its box (phones rotate), disposed on
// unmount. Only the chart kinds the dashboard uses are registered, to keep the bundle small. The
// element names what it shows (role img) and, for tests, the series drawn and the legend's entries.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  FunnelChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** The names of the series the legend shows: the test of "a legend only for what is drawn". */
const legendOf = (option: ChartOption): string => {
  const legend = (option as { legend?: { data?: unknown } }).legend;
  return Array.isArray(legend?.data) ? legend.data.map(String).join('|') : '';
};

/** The names of the series drawn. */
const seriesOf = (option: ChartOption): string => {
  const series = (option as { series?: unknown }).series;
  return Array.isArray(series) ? series.map((s: { name?: unknown }) => String(s.name ?? '')).join('|') : '';
};

export function Chart({
  option,
  height = 280,
  testId,
  label,
}: {
  option: ChartOption;
  height?: number;
  testId?: string;
  /** What the chart shows, for screen readers (a canvas says nothing). */
  label?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return (
    <div
      ref={el}
      className="chart"
      style={{ height }}
      data-testid={testId}
      data-legend={legendOf(option)}
      data-series={seriesOf(option)}
      {...(label ? { role: 'img', 'aria-label': label } : {})}
    />
  );
}
