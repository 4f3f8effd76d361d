export type { Generated } from "./options.js";
export { type VarOptions, type VarResult, generateVar } from "./var.js";
export { type Eigenvalues, eigenvalues, spectralRadius, companionMatrix, varSpectralRadius } from "./linalg.js";
