import { PublicVillage, PublicVoucherDetail, PublishedMonth, SearchResult, VillageStats } from '../components';
import { ETAG_HEADER, errorResponse, errorResponses, notModified } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { idParams, imageFileParams, villageMonthParams, villageParams } from '../../schemas/params';
import { searchQuerySchema, statsQuerySchema } from '../../schemas/public';

/** Public JSON answers are fixed bytes with a strong ETag; a month can be amended, so caches ask each time. */
const snapshot = (description: string, json: RouteSpec['responses'][number]['json']) => ({
  200: { description, json, headers: { ...ETAG_HEADER, 'Cache-Control': '`public, no-cache`.' } },
  304: notModified,
});

const notPublished = errorResponse(404, 'No such village, or the month is not published (`not_found`).');

export const publicRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/villages/:villageId',
    operationId: 'getPublicVillage',
    summary: 'A village and its published months, newest first',
    tag: 'public',
    auth: 'public',
    params: villageParams,
    responses: { ...snapshot('The village and its months.', PublicVillage), ...errorResponses(404) },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month',
    operationId: 'getPublishedMonth',
    summary: 'A published month: every receipt, the total, the corrections and the chain digests',
    tag: 'public',
    auth: 'public',
    params: villageMonthParams,
    responses: { ...snapshot('The month as published, with its approved corrections.', PublishedMonth), 404: notPublished },
  }),
  route({
    method: 'get',
    path: '/api/vouchers/:id/public',
    operationId: 'getPublicVoucher',
    summary: 'One published receipt with its corrections',
    tag: 'public',
    auth: 'public',
    params: idParams,
    responses: {
      ...snapshot('The receipt.', PublicVoucherDetail),
      404: errorResponse(404, 'No such receipt, or its month is not published (`not_found`).'),
    },
  }),
  route({
    method: 'get',
    path: '/api/search',
    operationId: 'searchPublicVouchers',
    summary: 'Search published receipts by payee, description or invoice number',
    tag: 'public',
    auth: 'public',
    query: searchQuerySchema,
    responses: { 200: { description: 'One page of matches, newest month first.', json: SearchResult } },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/stats',
    operationId: 'getVillageStats',
    summary: "A village's published spending in a year: by month and by category",
    tag: 'public',
    auth: 'public',
    params: villageParams,
    query: statsQuerySchema,
    responses: { ...snapshot('The year, all twelve months.', VillageStats), ...errorResponses(404) },
  }),
  route({
    method: 'get',
    path: '/api/images/:file',
    operationId: 'getPublicImage',
    summary: "A published receipt's redacted image, by content address",
    description: 'Only images that a published month shows now are served; the address is the sha256 of the bytes, so they never change.',
    tag: 'public',
    auth: 'public',
    params: imageFileParams,
    responses: {
      200: {
        description: 'The image bytes.',
        media: ['image/jpeg', 'image/webp'],
        headers: { ETag: 'The sha256, quoted.', 'Cache-Control': '`public, max-age=31536000, immutable`.' },
      },
      302: {
        description: 'With `PUBLIC_IMAGE_DELIVERY=redirect` (S3 storage): a short-lived presigned link on the storage, which serves the bytes.',
        headers: { Location: 'The presigned link; it expires after `PUBLIC_IMAGE_URL_TTL_SECONDS`.', 'Cache-Control': '`public, max-age=` half that time.' },
      },
      304: notModified,
      404: errorResponse(404, 'No such image, or no published month shows it (`not_found`).'),
      503: errorResponse(503, 'The file storage does not answer (`unavailable`); try again later.'),
    },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month/export.csv',
    operationId: 'exportPublishedMonthCsv',
    summary: 'A published month as a CSV file, for spreadsheets',
    tag: 'public',
    auth: 'public',
    params: villageMonthParams,
    responses: {
      200: {
        description: 'One row per receipt.',
        media: ['text/csv'],
        headers: { 'Content-Disposition': 'An attachment named after the village and month.', 'Cache-Control': '`public, no-cache`: a month can be amended.' },
      },
      404: notPublished,
    },
  }),
  route({
    method: 'get',
    path: '/api/villages/:villageId/months/:month/board.pdf',
    operationId: 'getPublishedMonthBoardPdf',
    summary: "A published month as a printable sheet for the village's bulletin board, with a QR code to its page",
    tag: 'public',
    auth: 'public',
    params: villageMonthParams,
    responses: {
      200: {
        description: 'The PDF.',
        media: ['application/pdf'],
        headers: { 'Content-Disposition': 'Inline, so it opens ready to print; named after the village and month.', 'Cache-Control': '`public, no-cache`: a month can be amended.' },
      },
      404: notPublished,
    },
  }),
  route({
    method: 'get',
    path: '/m/:villageId/:month',
    operationId: 'openMonthShortLink',
    summary: "Short link printed as a QR code: redirects to the month's page in the app",
    description: 'It names only the village and month, so the printed code keeps working; the page it opens tells whether the month is published.',
    tag: 'public',
    auth: 'public',
    params: villageMonthParams,
    responses: {
      302: {
        description: "Redirect to the app's page of that month.",
        headers: { Location: "The month's page in the app.", 'Cache-Control': '`public, max-age=86400`.' },
      },
    },
  }),
];
