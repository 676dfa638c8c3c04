/** A Koa route parameter: `:name`, as @koa/router (path-to-regexp 8) reads it. */
const PARAM = /:([A-Za-z_$][\w$]*)/g;

/** path-to-regexp syntax that OpenAPI path templates cannot express: wildcards, optional groups, quoted names. */
const UNSUPPORTED = /[*{}()?+"\\]/;

/** `/api/villages/:villageId/months/:month` → `/api/villages/{villageId}/months/{month}`. */
export function toOpenApiPath(koaPath: string): string {
  if (!koaPath.startsWith('/')) throw new Error(`route path must start with /: ${koaPath}`);
  if (UNSUPPORTED.test(koaPath)) throw new Error(`route path ${koaPath} uses syntax an OpenAPI path cannot express; use plain :name parameters`);
  return koaPath.replace(PARAM, '{$1}');
}

/** The parameter names of a Koa path, in order. */
export function koaPathParams(koaPath: string): string[] {
  return [...koaPath.matchAll(PARAM)].map((match) => match[1]);
}
