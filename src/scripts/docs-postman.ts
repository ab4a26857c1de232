import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../openapi/document';
import { POSTMAN_FILE, toPostmanCollection } from '../openapi/postman';

// npm run docs:postman: regenerates the Postman collection from the OpenAPI document.
toPostmanCollection(buildOpenApiDocument())
  .then((collection) => {
    writeFileSync(POSTMAN_FILE, `${JSON.stringify(collection, null, 2)}\n`);
    console.log(`wrote ${POSTMAN_FILE}`);
  })
  .catch((err: unknown) => {
    console.error(`docs:postman: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
