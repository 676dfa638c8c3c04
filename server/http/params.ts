// The schemas live in shared so the OpenAPI contract (shared/api) describes what routes parse.
export {
  digestParams,
  idParam,
  idParams,
  imageFileParam,
  imageFileParams,
  villageMonthParams,
  villageParams,
} from '../../shared/schemas/params';
