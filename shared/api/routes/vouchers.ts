import { StaffVoucherList, UploadRefused, UploadResponse, VoucherPatch, VoucherResponse } from '../components';
import { errorResponse, errorResponses, notModified } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { idParams, villageMonthParams } from '../../schemas/params';
import { imageQuerySchema } from '../../schemas/vouchers';

const refused = (description: string) => ({ description, json: UploadRefused });

/** Editing a voucher: PATCH, and POST with the same body for WeChat, whose wx.request has no PATCH. */
const updateVoucher = {
  path: '/api/vouchers/:id',
  tag: 'vouchers',
  auth: 'staff',
  params: idParams,
  body: { json: VoucherPatch },
  responses: {
    200: { description: 'The voucher as saved, with its new version.', json: VoucherResponse },
    ...errorResponses(403, 404),
    409: errorResponse(409, 'Someone changed it meanwhile, it is still processing, or the month is closed for changes (`conflict`).'),
  },
} as const;

export const voucherRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/api/villages/:villageId/months/:month/vouchers',
    operationId: 'uploadVouchers',
    summary: "Upload receipt images into a month (the village's accountant)",
    description: 'Each file is filed on its own; the answer lists every file with its new voucher id or its problem. Processing (OCR, redaction) runs afterwards.',
    tag: 'vouchers',
    auth: 'staff',
    params: villageMonthParams,
    body: { multipart: { field: 'files', description: 'The images (JPEG, PNG, WebP or HEIC), one or more, under the field `files`.' } },
    responses: {
      202: { description: 'At least one file was filed and is being processed; `results` has one entry per file.', json: UploadResponse },
      ...errorResponses(403, 404),
      409: refused('The month is closed for changes; or no file was filed, the first having been uploaded before (`conflict`, `existingVoucherId`).'),
      415: refused('Not multipart/form-data; or no file was filed, the first not being an image we accept (`unsupported_media_type`).'),
      422: refused('The month has not come yet; or no file was filed, the first being unreadable (`validation_failed`).'),
      503: errorResponse(503, 'The file storage does not answer (`unavailable`, Retry-After); files filed before it stopped answering keep their vouchers (a retry gets 409 for them).'),
    },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month/vouchers',
    operationId: 'listMonthVouchers',
    summary: "A month's vouchers as its staff see them",
    tag: 'vouchers',
    auth: 'staff',
    params: villageMonthParams,
    responses: { 200: { description: 'The vouchers.', json: StaffVoucherList }, ...errorResponses(403, 404) },
  }),
  route({
    method: 'get',
    path: '/api/vouchers/:id',
    operationId: 'getVoucher',
    summary: 'One voucher as its staff see it',
    tag: 'vouchers',
    auth: 'staff',
    params: idParams,
    responses: { 200: { description: 'The voucher.', json: VoucherResponse }, ...errorResponses(403, 404) },
  }),
  route({
    method: 'patch',
    operationId: 'updateVoucher',
    summary: "Correct a voucher's fields or redaction boxes, or acknowledge its flags",
    ...updateVoucher,
  }),
  route({
    method: 'post',
    operationId: 'updateVoucherByPost',
    summary: "The same as PATCH /api/vouchers/{id}, for clients that cannot send PATCH (WeChat's wx.request)",
    ...updateVoucher,
  }),
  route({
    method: 'delete',
    path: '/api/vouchers/:id',
    operationId: 'deleteVoucher',
    summary: 'Remove a voucher from a month that is not submitted or published',
    tag: 'vouchers',
    auth: 'staff',
    params: idParams,
    responses: { 204: { description: 'Removed.' }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'post',
    path: '/api/vouchers/:id/reprocess',
    operationId: 'reprocessVoucher',
    summary: 'Run recognition on a voucher again',
    tag: 'vouchers',
    auth: 'staff',
    params: idParams,
    responses: { 202: { description: 'Queued; the voucher is processing.', json: VoucherResponse }, ...errorResponses(403, 404, 409) },
  }),
  route({
    method: 'get',
    path: '/api/vouchers/:id/image',
    operationId: 'getVoucherImage',
    summary: "A voucher's image: thumbnail, display copy or original, redacted or not",
    description: 'Anyone may see the redacted copies of a published voucher; the original and unredacted copies are for the staff of its village and town.',
    tag: 'vouchers',
    auth: 'optional',
    params: idParams,
    query: imageQuerySchema,
    responses: {
      200: {
        description: 'The image bytes; copies are JPEG or WebP, an original is as uploaded.',
        media: ['image/jpeg', 'image/webp', 'image/png', 'image/heic'],
        headers: { ETag: 'Strong tag: the stored content hash.', 'Cache-Control': '`private, no-cache`.' },
      },
      304: notModified,
      ...errorResponses(403, 404),
    },
  }),
];
