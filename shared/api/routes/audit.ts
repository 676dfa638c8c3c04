import { AuditList } from '../components';
import { errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { auditQuerySchema } from '../../schemas/audit';

export const auditRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/audit',
    operationId: 'listAuditEvents',
    summary: "The audit log: admins see everything, officials their town's villages",
    tag: 'audit',
    auth: 'staff',
    query: auditQuerySchema,
    responses: {
      200: { description: 'Events, newest first; `nextBeforeId` pages on.', json: AuditList },
      ...errorResponses(403, 404),
    },
  }),
];
