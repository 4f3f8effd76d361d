import { Alert, List, Text } from "@mantine/core";
import type { GraphWarning } from "@causeway/core";

/** What the run could not vouch for (formats.md "warnings"), shown above the results: one line each. */
export function Warnings({ warnings }: { warnings: GraphWarning[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <Alert color="yellow" title={`${warnings.length} warning${warnings.length > 1 ? "s" : ""}: read these before acting on the graph`} data-testid="warnings">
      <List size="sm" spacing={2}>
        {warnings.map((w, i) => (
          <List.Item key={i} data-testid="warning" data-code={w.code}>
            <Text span size="sm" ff="monospace">
              {w.code}
            </Text>
            {": "}
            {w.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
