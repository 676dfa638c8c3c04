import { ApproveRequest, MonthStatus, RejectRequest, ReviewQueue } from '../components';
import { errorResponse, errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { villageMonthParams } from '../../schemas/params';

const base = '/api/villages/:villageId/months/:month';

export const reviewRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: `${base}/submit`,
    operationId: 'submitMonth',
    summary: "Submit a month for review (the village's accountant)",
    tag: 'review',
    auth: 'staff',
    params: villageMonthParams,
    responses: {
      200: { description: 'Submitted.', json: MonthStatus },
      ...errorResponses(403, 404),
      409: errorResponse(409, 'Not in a state that can be submitted, or vouchers still need work (`conflict`, `state`).'),
      422: errorResponse(422, 'The month has not come yet (`validation_failed`).'),
    },
  }),
  route({
    method: 'post',
    path: `${base}/approve`,
    operationId: 'approveMonth',
    summary: "Approve and publish a submitted month (the town's official)",
    description:
      'Publishing appends an entry to the village chain. A body is optional; `overrideReason` publishes even though personal data was found outside every redaction box.',
    tag: 'review',
    auth: 'staff',
    params: villageMonthParams,
    body: { json: ApproveRequest, required: false },
    responses: {
      200: { description: 'Published.', json: MonthStatus },
      ...errorResponses(403, 404),
      409: errorResponse(409, 'Not submitted, or personal data is left uncovered without an override (`conflict`, `state`).'),
    },
  }),
  route({
    method: 'post',
    path: `${base}/reject`,
    operationId: 'rejectMonth',
    summary: "Send a submitted month back with a reason (the town's official)",
    tag: 'review',
    auth: 'staff',
    params: villageMonthParams,
    body: { json: RejectRequest },
    responses: { 200: { description: 'Rejected.', json: MonthStatus }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'get',
    path: '/api/review-queue',
    operationId: 'getReviewQueue',
    summary: "Submitted months waiting for the official's town",
    tag: 'review',
    auth: 'staff',
    responses: { 200: { description: 'The months waiting, oldest submission first.', json: ReviewQueue }, ...errorResponses(403) },
  }),
];
