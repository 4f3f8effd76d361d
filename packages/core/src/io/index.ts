// Time-series, ground-truth and graph readers/writers (formats.md). Filled in by the I/O work.
export {};
