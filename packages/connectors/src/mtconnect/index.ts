export * from './types.js';
export * from './errors.js';
export { normalizeTimestamp } from './timestamp.js';
export { parseMTConnectDocument, parseDevicesDocument, parseStreamsDocument } from './parse-document.js';
export { MTConnectMapper, SEQUENCE_SLOTS, type MTConnectMappingOptions } from './mapper.js';
export { MultipartReader, multipartBoundary } from './multipart.js';
export { MTConnectTimeoutError } from './http.js';
export { MTConnectClient, type MTConnectClientOptions, type MTConnectClientStatus } from './client.js';
