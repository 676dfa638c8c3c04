import { apiRoutes, namedSchemas, schemaName } from '../../../shared/api';
import { jsonSnapshot, type JsonSnapshot } from '../../services/public/json-snapshot';
import packageJson from '../../../package.json';
import { buildOpenApiDocument, type OpenApiDocument } from './build-document';

let cached: JsonSnapshot<OpenApiDocument> | undefined;

/** The server's OpenAPI document, built on first use and kept as bytes with their strong ETag. */
export function openApiDocument(): JsonSnapshot<OpenApiDocument> {
  cached ??= jsonSnapshot(
    buildOpenApiDocument(
      apiRoutes,
      {
        title: '一眼明 (yiyanming) API',
        version: packageJson.version,
        description: "Villagers check the original receipts behind their village's spending, month by month. Error messages are plain Simplified Chinese.",
      },
      { all: namedSchemas(), of: schemaName },
    ),
  );
  return cached;
}
