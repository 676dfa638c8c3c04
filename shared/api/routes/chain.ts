import { ChainManifest, VillageChain } from '../components';
import { errorResponses } from '../responses';
import { route, type RouteSpec } from '../route-spec';
import { digestParams, villageParams } from '../../schemas/params';

export const chainRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/api/villages/:villageId/chain',
    operationId: 'getVillageChain',
    summary: "A village's public chain, oldest entry first",
    tag: 'chain',
    auth: 'public',
    params: villageParams,
    responses: { 200: { description: 'The chain.', json: VillageChain }, ...errorResponses(404) },
  }),
  route({
    method: 'get',
    path: '/api/chain/:digest',
    operationId: 'getChainManifest',
    summary: 'One manifest, byte for byte as hashed: its sha256 is the digest',
    tag: 'chain',
    auth: 'public',
    params: digestParams,
    responses: {
      200: {
        description: 'The manifest bytes (canonical JSON). They never change, so they may be cached forever.',
        json: ChainManifest,
        headers: { ETag: 'The digest, quoted.', 'Cache-Control': '`public, max-age=31536000, immutable`.' },
      },
      ...errorResponses(404),
    },
  }),
];
