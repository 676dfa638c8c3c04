import { AmendmentList, AmendmentRequest, AmendmentResponse, ApproveRequest, RejectRequest } from '../components';
import { errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { idParams, villageMonthParams } from '../../schemas/params';

export const amendmentRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/api/vouchers/:id/amendments',
    operationId: 'requestAmendment',
    summary: 'Ask to correct a voucher of a published month (village staff)',
    tag: 'amendments',
    auth: 'staff',
    params: idParams,
    body: { json: AmendmentRequest },
    responses: { 201: { description: 'The request, pending.', json: AmendmentResponse }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'post',
    path: '/api/amendments/:id/approve',
    operationId: 'approveAmendment',
    summary: "Approve a correction and publish it to the village chain (the town's official)",
    tag: 'amendments',
    auth: 'staff',
    params: idParams,
    body: { json: ApproveRequest, required: false },
    responses: { 200: { description: 'Approved and published.', json: AmendmentResponse }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'post',
    path: '/api/amendments/:id/reject',
    operationId: 'rejectAmendment',
    summary: "Turn a correction down with a reason (the town's official)",
    tag: 'amendments',
    auth: 'staff',
    params: idParams,
    body: { json: RejectRequest },
    responses: { 200: { description: 'Rejected.', json: AmendmentResponse }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month/amendments',
    operationId: 'listMonthAmendments',
    summary: "A month's correction requests, whatever their state",
    tag: 'amendments',
    auth: 'staff',
    params: villageMonthParams,
    responses: { 200: { description: 'The requests.', json: AmendmentList }, ...errorResponses(403, 404) },
  }),
  route({
    method: 'get',
    path: '/api/amendments/pending',
    operationId: 'listPendingAmendments',
    summary: 'Correction requests waiting for a decision, in the villages the caller looks after',
    description: "An official sees their town's, an accountant their village's, an admin every village's; oldest first.",
    tag: 'amendments',
    auth: 'staff',
    responses: { 200: { description: 'The requests.', json: AmendmentList } },
  }),
];
