// The numeric routines shared by the method packages, one copy of each: optimisers (float64 Adam,
// tensor AdamW), Cholesky and triangular solves, mid-ranks, lagged Pearson correlations,
// log-gamma, digamma and the (log) incomplete beta behind F-test and Student-t p-values, the normal
// distribution's tails (erfc), and an FFT of any length.
export { ADAM_DEFAULTS, adamDelta, Adam } from "./adam.js";
export { AdamW } from "./adamw.js";
export { type CholeskyResult, choleskyInPlace, choleskyWithJitter, choleskySolveInPlace, invertLower, logDetFromCholesky } from "./linalg.js";
export { laggedPearson } from "./lagged-corr.js";
export { midRanks } from "./ranks.js";
export { logGamma, digamma, logBeta, logBetaInc, betaInc, logFSurvival, fSurvival, fCdf } from "./special.js";
export { type ComplexArray, fft, realFft, inverseRealFft } from "./fft.js";
export { erfc, normalCdf, normalSf, normalPdf, normalQuantile } from "./normal.js";
export { expm, luSolveInPlace } from "./expm.js";
export { type LbfgsbOptions, type LbfgsbResult, minimizeBounded } from "./lbfgsb.js";
export { type LassoPath, type LassoIcResult, lassoLarsPath, lassoLarsIC } from "./lars.js";
