/**
 * Prior knowledge about links (tigramite's link_assumptions) in a short text form:
 * comma-separated rules `cause->effect[:lags]` (the link must exist) and `!cause->effect[:lags]`
 * (it must not), with `lags` one lag `2` or a range `1-3` (default: every lag tested). Variables by
 * name or by 0-based index; `*` stands for every variable. Example: `"x0->x1:1,!x2->*"`.
 */
import { InputError } from "@causeway/core";

/** Per link `(cause * V + effect) * (tauMax + 1) + lag`: 0 tested, 1 forbidden, 2 required. */
export const LINK_TESTED = 0;
export const LINK_FORBIDDEN = 1;
export const LINK_REQUIRED = 2;

/** Link states `[V, V, tauMax + 1]` (cause-major, as tigramite's matrices). */
export interface LinkAssumptions {
  V: number;
  tauMax: number;
  state: Uint8Array;
}

/** Every link tested. */
export function noAssumptions(V: number, tauMax: number): LinkAssumptions {
  return { V, tauMax, state: new Uint8Array(V * V * (tauMax + 1)) };
}

/** The state of cause(t - lag) -> effect(t). */
export function linkState(a: LinkAssumptions, cause: number, effect: number, lag: number): number {
  return a.state[(cause * a.V + effect) * (a.tauMax + 1) + lag];
}

/**
 * Parse the rules against the variable names. Throws InputError naming the bad rule. A lag-0 rule
 * applies to the unordered pair: forbidden, or required to be adjacent (its direction is left to
 * PCMCI+'s orientation phase).
 */
export function parseLinkAssumptions(text: string, variables: readonly string[], tauMax: number): LinkAssumptions {
  const V = variables.length;
  const out = noAssumptions(V, tauMax);
  const rules = text.split(",").map((r) => r.trim()).filter((r) => r.length > 0);
  const fail = (rule: string, why: string): never => {
    throw new InputError(`links: rule "${rule}" ${why}; write rules like "x0->x1:1-3" (required) or "!x2->x0" (forbidden), comma separated`);
  };
  const vars = (rule: string, name: string): number[] => {
    if (name === "*") return variables.map((_, v) => v);
    const byName = variables.indexOf(name);
    if (byName >= 0) return [byName];
    if (/^\d+$/.test(name) && Number(name) < V) return [Number(name)];
    return fail(rule, `names an unknown variable "${name}" (variables: ${variables.slice(0, 8).join(", ")}${V > 8 ? ", ..." : ""})`);
  };
  for (const rule of rules) {
    const m = /^(!?)\s*([^\s:>!-][^:>]*?)\s*->\s*([^\s:]+)\s*(?::\s*(\d+)\s*(?:-\s*(\d+))?)?$/.exec(rule);
    if (!m) fail(rule, "is not of the form [!]cause->effect[:lag or lo-hi]");
    const [, bang, c, e, lo, hi] = m!;
    const from = lo === undefined ? 0 : Number(lo);
    const to = hi === undefined ? (lo === undefined ? tauMax : from) : Number(hi);
    if (from > to || to > tauMax) fail(rule, `asks for lags ${from}..${to} outside 0..tauMax = ${tauMax}`);
    for (const cause of vars(rule, c))
      for (const effect of vars(rule, e))
        for (let lag = from; lag <= to; lag++) {
          if (lag === 0 && cause === effect) continue;
          const s = bang ? LINK_FORBIDDEN : LINK_REQUIRED;
          out.state[(cause * V + effect) * (tauMax + 1) + lag] = s;
          if (lag === 0) out.state[(effect * V + cause) * (tauMax + 1)] = s;
        }
  }
  return out;
}
