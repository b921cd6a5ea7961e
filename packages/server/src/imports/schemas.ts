import { Type } from 'typebox';
import { strict, nameSchemas } from '../platform/http/schemas.js';

export const ImportQuery = strict(
  Type.Object({
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'validate everything, write nothing' })),
  }),
);

export const CsvBody = Type.String({
  description: 'the CSV file (UTF-8; comma, semicolon or tab separated; first row = header)',
});

export const ImportResultSchema = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows read' }),
  imported: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  results: Type.Array(
    Type.Object({
      key: Type.String({ description: 'work center id or job number' }),
      row: Type.Integer({ description: 'first line of the file it was read from (header = 1)' }),
      action: Type.Union([Type.Literal('created'), Type.Literal('updated')]),
    }),
  ),
});

export const CSV_ERROR_DESCRIPTION =
  'invalid_csv: nothing was imported; details.errors lists every problem as { row, column, message } (row = line in the file, header = 1)';

nameSchemas({ ImportResult: ImportResultSchema });
