import type { BenchSuite } from "../types.js";
import { suite as attention } from "./attention.js";
import { suite as backends } from "./backends.js";
import { suite as budget } from "./budget.js";
import { suite as checks } from "./checks.js";
import { suite as discovery } from "./discovery.js";
import { suite as granger } from "./granger.js";
import { suite as lcm } from "./lcm.js";
import { suite as pcmci } from "./pcmci.js";
import { suite as pcmciTests } from "./pcmci-tests.js";
import { suite as relevance } from "./relevance.js";
import { suite as scale } from "./scale.js";
import { suite as speed } from "./speed.js";
import { suite as structural } from "./structural.js";
import { suite as surrogates } from "./surrogates.js";
import { suite as transformer } from "./transformer.js";

/** Every benchmark suite; `pnpm bench <name>` runs one. */
export const SUITES: BenchSuite[] = [discovery, backends, attention, lcm, relevance, scale, pcmci, pcmciTests, granger, checks, structural, surrogates, speed, transformer, budget];
