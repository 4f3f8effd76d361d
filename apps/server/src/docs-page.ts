// The /docs page: one self-contained HTML page rendered from the OpenAPI document (routes,
// parameters, request and response schemas, examples). No script, stylesheet, font or image
// is fetched: it reads offline and under a `default-src 'none'` content security policy.

/** The parts of an OpenAPI 3.1 document the page reads (what @fastify/swagger writes). */
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
  security?: unknown[];
}

interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Record<string, Media>; required?: boolean; description?: string };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}

// JSON Schema as it appears in the document: read loosely, rendered defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

/** The content security policy the page is served with: nothing but its own inline style. */
export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const METHODS = ["get", "post", "put", "patch", "delete"];

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:980px;margin:0 auto;padding:1.5rem}
h1{margin:.2rem 0}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de}h3{margin:1.2rem 0 .4rem}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:.7rem;overflow-x:auto;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:.3rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.route{border:1px solid #d0d7de;border-radius:6px;padding:.3rem 1rem 1rem;margin:1rem 0}
.verb{display:inline-block;min-width:4.2rem;text-align:center;font-weight:700;border-radius:4px;padding:0 .4rem;color:#fff;background:#57606a}
.get{background:#0969da}.post{background:#1a7f37}.delete{background:#cf222e}.muted{color:#57606a}
nav li{margin:.1rem 0}
`;

/** HTML-escape text (every string from the document goes through here). */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const anchor = (method: string, path: string) => `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
const refName = (ref: string) => decodeURIComponent(ref.split("/").pop() ?? ref);

/** Follow a local `$ref` (`#/components/schemas/Job`) to its schema; unknown refs stay as they are. */
function deref(doc: OpenApiDoc, schema: Schema): Schema {
  if (typeof schema.$ref !== "string" || !schema.$ref.startsWith("#/")) return schema;
  let node: unknown = doc;
  for (const part of schema.$ref.slice(2).split("/")) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return (node as Schema | undefined) ?? schema;
}

/** A one-line type: `string (uuid)`, `array of Job`, `integer 1..1000`, `"a" | "b"`. */
function typeLabel(schema: Schema): string {
  if (typeof schema.$ref === "string") return `<a href="#schema-${escapeHtml(refName(schema.$ref))}">${escapeHtml(refName(schema.$ref))}</a>`;
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  if (type === "array" && schema.items) return `array of ${typeLabel(schema.items)}`;
  const bits: string[] = [];
  if (schema.format) bits.push(schema.format);
  const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? `>${schema.exclusiveMinimum}` : undefined);
  const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? `<${schema.exclusiveMaximum}` : undefined);
  if (lo !== undefined || hi !== undefined) bits.push(`${lo ?? ""}..${hi ?? ""}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) bits.push(`length ${schema.minLength ?? 0}..${schema.maxLength ?? ""}`);
  return escapeHtml(type) + (bits.length ? ` <span class="muted">(${escapeHtml(bits.join(", "))})</span>` : "");
}

/** A table of an object schema's properties, nested objects one level down; other schemas as one line. */
function schemaView(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): string {
  if (!schema) return `<p class="muted">no schema</p>`;
  if (typeof schema.$ref === "string" && depth > 0) return `<p>${typeLabel(schema)}</p>`;
  const s = deref(doc, schema);
  if (s.type === "array" && s.items && !s.items.$ref && deref(doc, s.items).properties) return `<p>array of</p>${schemaView(doc, s.items, depth)}`;
  const head = schema.$ref ? `<p>${typeLabel(schema)}</p>` : "";
  const props = s.properties as Record<string, Schema> | undefined;
  const desc = s.description && depth === 0 ? `<p>${escapeHtml(s.description)}</p>` : "";
  if (!props) return head + desc + (schema.$ref ? "" : `<p>${typeLabel(s)}</p>`);
  const required = new Set<string>(s.required ?? []);
  const rows = Object.entries(props).map(([name, p]) => {
    const inner = deref(doc, p);
    const nested = depth < 2 && !p.$ref && (inner.properties || inner.items?.properties) ? schemaView(doc, inner.properties ? inner : inner.items, depth + 1) : "";
    const dflt = p.default !== undefined ? ` <span class="muted">default <code>${escapeHtml(JSON.stringify(p.default))}</code></span>` : "";
    return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? " <b>*</b>" : ""}</td><td>${typeLabel(p)}${dflt}</td><td>${escapeHtml(p.description ?? "")}${nested}</td></tr>`;
  });
  const extra = s.additionalProperties === true ? `<p class="muted">other properties allowed</p>` : "";
  return `${head}${desc}<table><tr><th>property (* required)</th><th>type</th><th>description</th></tr>${rows.join("")}</table>${extra}`;
}

/** A media type's example (where @fastify/swagger moves a schema's `examples`), else the schema's own. */
function exampleOf(doc: OpenApiDoc, media: Media | undefined, schema: Schema | undefined = media?.schema): unknown {
  const s = schema ? deref(doc, schema) : undefined;
  return media?.example ?? Object.values(media?.examples ?? {})[0]?.value ?? s?.examples?.[0] ?? s?.example;
}

function example(doc: OpenApiDoc, media: Media | undefined, schema?: Schema): string {
  const ex = exampleOf(doc, media, schema);
  return ex === undefined ? "" : `<h4>Example</h4><pre>${escapeHtml(JSON.stringify(ex, null, 2))}</pre>`;
}

function curl(method: string, path: string, op: Operation, secured: boolean, doc: OpenApiDoc): string {
  const auth = secured && path.startsWith("/v1/") ? ` -H "authorization: Bearer $CAUSEWAY_TOKEN"` : "";
  const query = (op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=…`);
  const url = `"$CAUSEWAY_URL${path}${query.length ? "?" + query.join("&") : ""}"`;
  const verb = method === "get" ? "" : ` -X ${method.toUpperCase()}`;
  const content = op.requestBody?.content ?? {};
  let body = "";
  const ex = content["application/json"] ? exampleOf(doc, content["application/json"]) : undefined;
  if (ex !== undefined) body = ` -H 'content-type: application/json' -d '${JSON.stringify(ex)}'`;
  else if (content["text/csv"]) body = ` -H 'content-type: text/csv' --data-binary @data.csv`;
  return `<pre>${escapeHtml(`curl -s${verb}${auth}${body} ${url}`)}</pre>`;
}

function operationView(doc: OpenApiDoc, path: string, method: string, op: Operation): string {
  const secured = (doc.security ?? []).length > 0;
  const params = op.parameters ?? [];
  const paramTable = params.length
    ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>${params
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? " <b>*</b>" : ""}</td><td>${escapeHtml(p.in)}</td><td>${p.schema ? typeLabel(p.schema) : ""}${p.schema?.default !== undefined ? ` <span class="muted">default <code>${escapeHtml(JSON.stringify(p.schema.default))}</code></span>` : ""}</td><td>${escapeHtml(p.description ?? p.schema?.description ?? "")}</td></tr>`,
        )
        .join("")}</table>`
    : "";
  const body = op.requestBody
    ? `<h4>Request body <span class="muted">${Object.keys(op.requestBody.content).map(escapeHtml).join(", ")}</span></h4>${
        op.requestBody.content["application/json"]?.schema && deref(doc, op.requestBody.content["application/json"].schema).properties
          ? schemaView(doc, op.requestBody.content["application/json"].schema) + example(doc, op.requestBody.content["application/json"])
          : `<p>${escapeHtml(op.requestBody.description ?? Object.values(op.requestBody.content)[0]?.schema?.description ?? "")}</p>`
      }`
    : "";
  const responses = Object.entries(op.responses ?? {})
    .map(([code, r]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      const schema = media?.schema;
      const ok = code.startsWith("2");
      const shown = !schema ? "" : ok && !schema.$ref ? schemaView(doc, schema) + example(doc, media) : `<p>${typeLabel(schema)}</p>`;
      return `<tr><td><b>${escapeHtml(code)}</b></td><td>${escapeHtml(r.description ?? "")} <span class="muted">${escapeHtml(type ?? "")}</span>${shown}</td></tr>`;
    })
    .join("");
  return `<section class="route" id="${anchor(method, path)}">
<h3><span class="verb ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? "")}${op.description ? ` ${escapeHtml(op.description)}` : ""}</p>
${paramTable}${body}<h4>Responses</h4><table><tr><th>status</th><th>body</th></tr>${responses}</table>
<h4>curl</h4>${curl(method, path, op, secured, doc)}
</section>`;
}

/** Every documented (path, method) pair, in document order. */
export function documentedOperations(doc: OpenApiDoc): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((method) => ({ path, method, op: ops[method] })));
}

/** The whole page. */
export function renderDocsPage(doc: OpenApiDoc): string {
  const ops = documentedOperations(doc);
  const secured = (doc.security ?? []).length > 0;
  const nav = ops.map(({ path, method, op }) => `<li><a href="#${anchor(method, path)}"><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></a> ${escapeHtml(op.summary ?? "")}</li>`).join("");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, s]) => `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${schemaView(doc, s)}${example(doc, undefined, s)}</section>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(doc.info.title)} <span class="muted">${escapeHtml(doc.info.version)}</span></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p>
<p>OpenAPI ${escapeHtml(doc.openapi)} document: <a href="/openapi.json"><code>/openapi.json</code></a>. In the examples, <code>$CAUSEWAY_URL</code> is this server's address${
    secured ? " and <code>$CAUSEWAY_TOKEN</code> its bearer token: every <code>/v1</code> route needs <code>authorization: Bearer …</code>" : ""
  }. Errors are <a href="#schema-Error">Error</a> objects whose message says what to fix.</p>
<nav><h2>Routes</h2><ul>${nav}</ul></nav>
<h2>Operations</h2>${ops.map(({ path, method, op }) => operationView(doc, path, method, op)).join("\n")}
<h2>Schemas</h2>${schemas}
</main></body></html>
`;
}
