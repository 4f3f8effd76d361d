export default { test: { testTimeout: 60_000 } };
