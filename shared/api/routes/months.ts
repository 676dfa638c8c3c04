import { MonthStatus } from '../components';
import { errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { villageMonthParams } from '../../schemas/params';

export const monthRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month/status',
    operationId: 'getMonthStatus',
    summary: "A village's month as its staff see it: draft, submitted, rejected (with the reason) or published",
    tag: 'months',
    auth: 'staff',
    params: villageMonthParams,
    responses: { 200: { description: "The month's status.", json: MonthStatus }, ...errorResponses(403, 404) },
  }),
];
