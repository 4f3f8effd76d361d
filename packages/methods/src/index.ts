import { corrMethod, listMethods, registerMethod, type Discoverer } from "@causeway/core";
import { clstmMethod, cmlpMethod, varMethod } from "@causeway/granger";
import { tcdfMethod } from "@causeway/tcdf";
import { lcmMethod } from "@causeway/lcm";
import { transformerMethod } from "@causeway/transformer";
import { pcmciMethod, pcmciplusMethod } from "@causeway/pcmci";
import { dynotearsMethod, varlingamMethod } from "@causeway/structural";

/** Every method shipped with Causeway, in the order `causeway methods` lists them. */
export const ALL_METHODS: Discoverer[] = [
  corrMethod,
  varMethod,
  cmlpMethod,
  clstmMethod,
  tcdfMethod,
  transformerMethod,
  lcmMethod,
  varlingamMethod,
  dynotearsMethod,
  pcmciMethod,
  pcmciplusMethod,
  // each method package adds its Discoverer objects here, one line each
];

/** Register every shipped method (idempotent). Returns the registered list. */
export function registerAllMethods(): Discoverer[] {
  for (const m of ALL_METHODS) registerMethod(m);
  return listMethods();
}
