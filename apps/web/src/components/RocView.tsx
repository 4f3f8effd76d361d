import { Table, Text } from "@mantine/core";
import type { GraphScore } from "@causeway/metrics";
import { forwardRef } from "react";
import type { RocPoint } from "../lib/analysis.js";

// The plot square and the margins around it (title above, tick labels and axis titles outside).
const SIZE = 340;
const LEFT = 56;
const TOP = 36;
const W = LEFT + SIZE + 16;
const H = TOP + SIZE + 48;

/** The ROC curve of the scores against the truth, with its AUROC. */
export const RocCurve = forwardRef<SVGSVGElement, { points: RocPoint[]; auc: number; level: string; threshold: number }>(function RocCurve({ points, auc, level, threshold }, ref) {
  const x = (f: number) => LEFT + f * SIZE;
  const y = (t: number) => TOP + (1 - t) * SIZE;
  const d = points.map((p, i) => `${i ? "L" : "M"} ${x(p.fpr).toFixed(2)} ${y(p.tpr).toFixed(2)}`).join(" ");
  // The operating point of the current threshold: the last point whose threshold is >= it.
  const op = [...points].reverse().find((p) => p.threshold >= threshold) ?? points[0];
  return (
    <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width={W} style={{ maxWidth: "100%", height: "auto" }} role="img" aria-label="ROC curve" data-testid="roc-curve" data-auc={String(auc)}>
      <text x={LEFT + SIZE / 2} y={20} fontSize={13} textAnchor="middle" fontWeight={600}>ROC ({level}), AUROC {auc.toFixed(3)}</text>
      <rect x={LEFT} y={TOP} width={SIZE} height={SIZE} fill="none" stroke="#ccc" />
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <text x={x(t)} y={TOP + SIZE + 16} fontSize={10} textAnchor="middle">{t}</text>
          <text x={LEFT - 6} y={y(t) + 3} fontSize={10} textAnchor="end">{t}</text>
        </g>
      ))}
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#bbb" strokeDasharray="4 4" />
      <path d={d} fill="none" stroke="#1c7ed6" strokeWidth={2} />
      <circle cx={x(op.fpr)} cy={y(op.tpr)} r={5} fill="#e03131" />
      <text x={LEFT + SIZE / 2} y={H - 10} fontSize={11} textAnchor="middle">false positive rate</text>
      <text x={16} y={TOP + SIZE / 2} fontSize={11} textAnchor="middle" transform={`rotate(-90 16 ${TOP + SIZE / 2})`}>true positive rate</text>
      <text x={Math.min(x(op.fpr) + 8, LEFT + SIZE - 88)} y={Math.min(y(op.tpr) + 16, TOP + SIZE - 6)} fontSize={10} fill="#e03131">at the threshold</text>
    </svg>
  );
});

const fmt = (v: number | null) => (v === null ? "—" : v.toFixed(3));

/** The metrics of `scoreGraph` at the current threshold. */
export function MetricsTable({ score }: { score: GraphScore }) {
  const rows: [string, number | null][] = [
    ["AUROC lagged", score.aurocLagged],
    ["AUROC summary", score.aurocSummary],
    ["AUROC summary, no self", score.aurocSummaryNoSelf],
    ["AUROC skeleton", score.aurocSkeleton],
    ["AUPRC lagged", score.auprcLagged],
    ["AUPRC summary", score.auprcSummary],
    ["precision / recall / F1 (lagged)", null],
    ["precision / recall / F1 (summary)", null],
    ["SHD lagged", score.shd],
    ["SHD summary", score.shdSummary],
  ];
  return (
    <>
      <Table striped withTableBorder data-testid="metrics" style={{ maxWidth: 420 }}>
        <Table.Tbody>
          {rows.map(([name, v]) => (
            <Table.Tr key={name}>
              <Table.Td>{name}</Table.Td>
              <Table.Td ta="right" data-metric={name}>
                {name.startsWith("precision / recall / F1 (lagged)")
                  ? `${fmt(score.precision)} / ${fmt(score.recall)} / ${fmt(score.f1)}`
                  : name.startsWith("precision / recall / F1 (summary)")
                    ? `${fmt(score.precisionSummary)} / ${fmt(score.recallSummary)} / ${fmt(score.f1Summary)}`
                    : name.startsWith("SHD")
                      ? (v ?? "—")
                      : fmt(v)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {score.notes.map((n) => (
        <Text key={n} size="xs" c="dimmed">{n}</Text>
      ))}
    </>
  );
}
