// PCMCI and PCMCI+ (Runge et al. 2019; Runge 2020) with ParCorr, RobustParCorr and CMIknn.
export type { CITest, CITestResult } from "./ci-test.js";
export { type ParCorrResult, type ParCorrTest, parCorr, robustParCorr, normalScores, logPvalueOfCorrelation } from "./parcorr.js";
export { type CmiKnnOptions, CMIKNN_DEFAULTS, cmiknnTest, cmiknnEstimate } from "./cmiknn.js";
export { type LinkAssumptions, noAssumptions, parseLinkAssumptions, linkState, LINK_TESTED, LINK_FORBIDDEN, LINK_REQUIRED } from "./links.js";
export { DEFAULT_PC_ALPHAS } from "./pc1.js";
export { type PcmciOptions, type PcmciResult, runPcmci } from "./pcmci.js";
export { type PcmciPlusOptions, type PcmciPlusResult, runPcmciPlus } from "./pcmciplus.js";
export type { Mark } from "./orient.js";
export type { TestName } from "./testers.js";
export { pcmciMethod, pcmciplusMethod, readPcAlpha } from "./method.js";
