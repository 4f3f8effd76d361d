// The trust layer (issue #17): p-values, multiple-testing control, edges selected at alpha.
export { DEFAULT_ALPHA, DEFAULT_CORRECTION, adjustPvalues, checkAlpha } from "./multiple-testing.js";
export { type ContemporaneousResult, type EdgeSelection, selectByPvalue, contemporaneousEdges } from "./edges.js";
