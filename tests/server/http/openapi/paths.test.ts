import { koaPathParams, toOpenApiPath } from '../../../../server/http/openapi/paths';

describe('Koa route paths written as OpenAPI path templates', () => {
  test('each :name becomes {name}, the rest stays as it is', () => {
    expect(toOpenApiPath('/api/villages/:villageId/months/:month')).toBe('/api/villages/{villageId}/months/{month}');
    expect(toOpenApiPath('/api/villages/:villageId/months/:month/export.csv')).toBe('/api/villages/{villageId}/months/{month}/export.csv');
    expect(toOpenApiPath('/m/:villageId/:month')).toBe('/m/{villageId}/{month}');
    expect(toOpenApiPath('/healthz')).toBe('/healthz');
  });

  test('a parameter ends where a name cannot go on: at a dot, a dash or a slash', () => {
    expect(toOpenApiPath('/api/images/:file')).toBe('/api/images/{file}');
    expect(toOpenApiPath('/files/:name.:ext')).toBe('/files/{name}.{ext}');
    expect(toOpenApiPath('/r/:from-:to')).toBe('/r/{from}-{to}');
    expect(koaPathParams('/files/:name.:ext')).toEqual(['name', 'ext']);
  });

  test('lists the parameters of a path in order', () => {
    expect(koaPathParams('/api/villages/:villageId/months/:month/status')).toEqual(['villageId', 'month']);
    expect(koaPathParams('/api/towns')).toEqual([]);
  });

  test('refuses what an OpenAPI path cannot express: wildcards, optional groups, quoted names, relative paths', () => {
    expect(() => toOpenApiPath('/files/*rest')).toThrow(/cannot express/);
    expect(() => toOpenApiPath('/users{/:id}')).toThrow(/cannot express/);
    expect(() => toOpenApiPath('/a/:"quoted name"')).toThrow(/cannot express/);
    expect(() => toOpenApiPath('api/towns')).toThrow(/must start with/);
  });
});
