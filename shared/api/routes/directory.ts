import { TownList } from '../components';
import { ETAG_HEADER, notModified } from '../responses';
import { route, type RouteSpec } from '../route-spec';

export const directoryRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/towns',
    operationId: 'listTowns',
    summary: 'Every town with its villages, for the village picker',
    tag: 'directory',
    auth: 'public',
    responses: { 200: { description: 'Towns and villages, by name.', json: TownList, headers: ETAG_HEADER }, 304: notModified },
  }),
];
