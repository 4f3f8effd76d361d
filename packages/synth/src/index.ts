export type { Generated } from "./options.js";
export type { LaggedGraphOptions, Parent } from "./graph.js";
export {
  type NoiseDistribution,
  type NoiseShapeOptions,
  type Heteroscedastic,
  NOISE_DISTRIBUTIONS,
  unitNoise,
  gammaDraw,
} from "./noise.js";
export { type VarOptions, type VarResult, generateVar } from "./var.js";
export { type NonstationaryOptions, type NonstationaryResult, generateNonstationary } from "./nonstationary.js";
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
export {
  type Lorenz96Options,
  type Lorenz96Result,
  type Rk4Scratch,
  generateLorenz96,
  integrateLorenz96,
  lorenz96Derivative,
  lorenz96Step,
  rk4Scratch,
} from "./lorenz96.js";
export {
  type KuramotoOptions,
  type KuramotoResult,
  type KuramotoDrivers,
  generateKuramoto,
  integrateKuramoto,
  kuramotoDrift,
} from "./kuramoto.js";
export {
  type CollectionSpec,
  type CollectionName,
  type CollectionItem,
  type GeneratorName,
  COLLECTIONS,
  generateCollection,
  generateFromSpec,
  getCollection,
} from "./collections.js";
export { type Eigenvalues, eigenvalues, spectralRadius, companionMatrix, varSpectralRadius } from "./linalg.js";
export { type SvarNoise, type SvarOptions, type SvarResult, SVAR_NOISES, generateSvar } from "./svar.js";
export { type SpikingOptions, type SpikingResult, generateSpiking } from "./spiking.js";
export { type BoldOptions, type BoldResult, generateBold, doubleGammaHrf } from "./bold.js";
export { type ConfoundedOptions, type ConfoundedResult, generateConfounded } from "./confounded.js";
export {
  type MixtureFamily,
  type MixtureSpec,
  type MixtureItem,
  type MixtureOptions,
  MIXTURE_FAMILIES,
  EVALUATION_SEED_START,
  randomSpec,
  sampleMixture,
} from "./mixture.js";
