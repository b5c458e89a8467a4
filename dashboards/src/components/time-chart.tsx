import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface TimeChartProps {
  /** Bucket starts in seconds and their counts (uPlot's columns). */
  data: [number[], number[]];
  height?: number;
  /** Series name in the legend, e.g. "events". */
  label: string;
}

const barPaths = uPlot.paths.bars?.({ size: [0.8, 48], align: 1 });

/** A bar chart of counts over time, resized with its container. */
export function TimeChart({ data, height = 220, label }: TimeChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [{ stroke: '#6b7280', grid: { show: false } }, { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, size: 56 }],
      series: [{}, { label, stroke: '#d9480f', fill: 'rgba(217,72,15,0.55)', width: 1, paths: barPaths, points: { show: false } }],
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = undefined;
    };
    // Built once per mount (the first data included); later data goes through setData below.
  }, [height, label]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const total = data[1].reduce((a, b) => a + b, 0);
  return <div class="time-chart" ref={box} data-points={data[0].length} data-total={total} />;
}
