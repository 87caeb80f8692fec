import { Box, ColorSwatch, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group as SvgGroup } from '@visx/group';
import { scaleBand, scaleLinear, scaleOrdinal } from '@visx/scale';
import { BarStack, Pie } from '@visx/shape';

/** One series of a chart: its key in the data, its name as people read it, its Mantine colour (`green.6`). */
export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

/** A Mantine colour (`green.6`) as the CSS variable the theme defines for it. */
const cssColor = (color: string) => `var(--mantine-color-${color.replace('.', '-')})`;

/** Which colour is which: the same swatches beside every chart. */
function Legend({ series }: { series: readonly ChartSeries[] }) {
  return (
    <Group gap="md" mt="xs" aria-hidden>
      {series.map((s) => (
        <Group key={s.key} gap={6} wrap="nowrap">
          <ColorSwatch color={cssColor(s.color)} size={12} withShadow={false} />
          <Text size="sm">{s.label}</Text>
        </Group>
      ))}
    </Group>
  );
}

const MARGIN = { top: 8, right: 8, bottom: 28, left: 44 };
const MAX_BAR_WIDTH = 72;

/**
 * Stacked bars, one per category (a bloc), as wide as their card. The figures are in the table
 * beside it: the picture is named by a sentence (`description`) for screen readers.
 */
export function StackedBars<T extends Record<string, string | number | null>>({
  data,
  category,
  series,
  height,
  description,
}: {
  data: readonly T[];
  category: keyof T & string;
  series: readonly ChartSeries[];
  height: number;
  description: string;
}) {
  const { ref, width } = useElementSize();
  const innerWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const total = (row: T) => series.reduce((sum, s) => sum + Number(row[s.key] ?? 0), 0);
  const x = scaleBand<string>({ domain: data.map((row) => String(row[category])), range: [0, innerWidth], padding: 0.3 });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...data.map(total))], range: [innerHeight, 0], nice: true });
  const color = scaleOrdinal<string, string>({ domain: series.map((s) => s.key), range: series.map((s) => cssColor(s.color)) });
  return (
    <Box ref={ref}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={description}>
          <SvgGroup left={MARGIN.left} top={MARGIN.top}>
            <BarStack<T, string>
              data={[...data]}
              keys={series.map((s) => s.key)}
              x={(row) => String(row[category])}
              xScale={x}
              yScale={y}
              color={color}
              value={(row, key) => Number(row[key] ?? 0)}
            >
              {(stacks) =>
                stacks.map((stack) =>
                  stack.bars.map((bar) => {
                    // A few blocs would make slabs of their bands: bars stay slim, centred in them.
                    const barWidth = Math.min(bar.width, MAX_BAR_WIDTH);
                    return (
                      <rect
                        key={`${stack.index}-${bar.index}`}
                        x={bar.x + (bar.width - barWidth) / 2}
                        y={bar.y}
                        width={barWidth}
                        height={Math.max(0, bar.height)}
                        fill={bar.color}
                      />
                    );
                  }),
                )
              }
            </BarStack>
            <AxisLeft
              scale={y}
              numTicks={5}
              tickFormat={(value) => String(value)}
              stroke="var(--mantine-color-gray-5)"
              tickStroke="var(--mantine-color-gray-5)"
              tickLabelProps={{ fill: 'var(--mantine-color-text)', fontSize: 12, textAnchor: 'end', dx: -4, dy: 4 }}
            />
            <AxisBottom
              top={innerHeight}
              scale={x}
              stroke="var(--mantine-color-gray-5)"
              tickStroke="var(--mantine-color-gray-5)"
              tickLabelProps={{ fill: 'var(--mantine-color-text)', fontSize: 12, textAnchor: 'middle' }}
            />
          </SvgGroup>
        </svg>
      )}
      <Legend series={series} />
    </Box>
  );
}

/** A ring of the parts of a whole; the figures are the links beside it, the ring a picture of them. */
export function Donut({
  parts,
  size,
  thickness,
  description,
}: {
  parts: readonly { key: string; value: number; color: string }[];
  size: number;
  thickness: number;
  description: string;
}) {
  const radius = size / 2;
  const shown = parts.filter((part) => part.value > 0);
  return (
    <svg width={size} height={size} role="img" aria-label={description}>
      <SvgGroup top={radius} left={radius}>
        {shown.length === 0 ? (
          <circle r={radius - thickness / 2} fill="none" stroke="var(--mantine-color-gray-3)" strokeWidth={thickness} />
        ) : (
          <Pie data={shown} pieValue={(part) => part.value} outerRadius={radius} innerRadius={radius - thickness} padAngle={0.01} pieSortValues={null}>
            {(pie) => pie.arcs.map((arc) => <path key={arc.data.key} d={pie.path(arc) ?? ''} fill={cssColor(arc.data.color)} />)}
          </Pie>
        )}
      </SvgGroup>
    </svg>
  );
}
