export type { Generated } from "./options.js";
export type { Parent } from "./graph.js";
export { type VarOptions, type VarResult, generateVar } from "./var.js";
export {
  type NonlinearFunction,
  type NonlinearTerm,
  type NonlinearEquation,
  type NonlinearOptions,
  type NonlinearResult,
  NONLINEAR_FUNCTIONS,
  INPUT_SCALE,
  generateNonlinear,
  evaluateTerm,
  termFunction,
} from "./nonlinear.js";
export { type Eigenvalues, eigenvalues, spectralRadius, companionMatrix, varSpectralRadius } from "./linalg.js";
