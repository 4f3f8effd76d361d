import { ScrollArea, Table, Text } from "@mantine/core";
import type { GroundTruth, ScoredEdge } from "@causeway/core";

/** The thresholded lagged edges, strongest first; with a truth, whether each is a true edge. */
export function EdgeTable({ edges, truth }: { edges: ScoredEdge[]; truth: GroundTruth | null }) {
  const key = (e: { cause: string; effect: string; lag: number }) => `${e.cause}\u0000${e.effect}\u0000${truth?.summaryOnly ? 1 : e.lag}`;
  const inTruth = new Set((truth?.edges ?? []).map(key));
  if (edges.length === 0) return <Text c="dimmed" data-testid="edge-list-empty">No edge scores at or over the threshold.</Text>;
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
            {truth && <Table.Th>in truth</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {edges.map((e, i) => (
            <Table.Tr key={`${e.cause}-${e.effect}-${e.lag}`} data-testid="edge-row" data-cause={e.cause} data-effect={e.effect} data-lag={e.lag} data-score={String(e.score)}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{e.cause}</Table.Td>
              <Table.Td>{e.effect}</Table.Td>
              <Table.Td>{e.lag}</Table.Td>
              <Table.Td ta="right">{e.score.toPrecision(4)}</Table.Td>
              {truth && <Table.Td c={inTruth.has(key(e)) ? "green" : "red"}>{inTruth.has(key(e)) ? "yes" : "no"}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
