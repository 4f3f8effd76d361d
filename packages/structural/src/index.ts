// @causeway/structural: structural VAR baselines with instantaneous effects, VARLiNGAM and DYNOTEARS.
export { varlingamMethod, dynotearsMethod } from "./methods.js";
export { type VarCriterion, type VarLingamOptions, type VarLingamResult, VAR_CRITERIA, varLingam, jarqueBeraP } from "./varlingam.js";
export { type DynotearsOptions, type DynotearsResult, dynotears } from "./dynotears.js";
export { directLingamOrder, adaptiveLasso } from "./direct-lingam.js";
