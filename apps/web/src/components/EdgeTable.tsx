import { ScrollArea, Table, Text } from "@mantine/core";
import type { GroundTruth, ScoredEdge } from "@causeway/core";
import { trustColumns } from "../lib/trust.js";

/** A p-value as people read it: three significant digits, exponent form below 1e-3. */
const fmtP = (p: number | undefined) => (p === undefined ? "" : p < 1e-3 ? p.toExponential(2) : p.toFixed(3));

/**
 * The selected edges, strongest first: p-value, q-value (adjusted p) and bootstrap stability where
 * the graph has them, the orientation of lag-0 links; with a truth, whether each is a true edge.
 */
export function EdgeTable({ edges, truth, reach }: { edges: ScoredEdge[]; truth: GroundTruth | null; reach?: number | null }) {
  const cols = trustColumns(edges);
  const key = (e: { cause: string; effect: string; lag: number }) => `${e.cause}\u0000${e.effect}\u0000${truth?.summaryOnly ? 1 : e.lag}`;
  const inTruth = new Set((truth?.edges ?? []).map(key));
  if (edges.length === 0) return <Text c="dimmed" data-testid="edge-list-empty">No edge passes the current selection.</Text>;
  return (
    <ScrollArea h={520}>
      <Table striped highlightOnHover stickyHeader data-testid="edge-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>cause</Table.Th>
            <Table.Th>effect</Table.Th>
            <Table.Th>lag</Table.Th>
            <Table.Th ta="right">score</Table.Th>
            {cols.pvalue && <Table.Th ta="right">p</Table.Th>}
            {cols.qvalue && <Table.Th ta="right">q (adjusted)</Table.Th>}
            {cols.stability && <Table.Th ta="right">stability</Table.Th>}
            {cols.orientation && <Table.Th>lag 0</Table.Th>}
            {truth && <Table.Th>in truth</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {edges.map((e, i) => (
            <Table.Tr
              key={`${e.cause}-${e.effect}-${e.lag}`}
              data-testid="edge-row"
              data-cause={e.cause}
              data-effect={e.effect}
              data-lag={e.lag}
              data-score={String(e.score)}
              data-pvalue={e.pvalue}
              data-qvalue={e.qvalue}
              data-stability={e.stability}
              data-orientation={e.orientation}
              c={reach != null && e.lag > reach ? "dimmed" : undefined}
              title={reach != null && e.lag > reach ? `lag ${e.lag} is beyond what the method can score (lag ${reach}): not evidence` : undefined}
            >
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{e.cause}</Table.Td>
              <Table.Td>{e.effect}</Table.Td>
              <Table.Td>{e.lag}</Table.Td>
              <Table.Td ta="right">{e.score.toPrecision(4)}</Table.Td>
              {cols.pvalue && <Table.Td ta="right">{fmtP(e.pvalue)}</Table.Td>}
              {cols.qvalue && <Table.Td ta="right">{fmtP(e.qvalue)}</Table.Td>}
              {cols.stability && <Table.Td ta="right">{e.stability === undefined ? "" : e.stability.toFixed(2)}</Table.Td>}
              {cols.orientation && <Table.Td>{e.lag === 0 ? e.orientation ?? "directed" : ""}</Table.Td>}
              {truth && <Table.Td c={inTruth.has(key(e)) ? "green" : "red"}>{inTruth.has(key(e)) ? "yes" : "no"}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
