import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKey } from '../auth/dev-identity';
import { ROLES, type Role } from '../auth/permissions';
import { roleClaims, signJwt } from '../auth/tokens';

// npm run token -- assistant|director|producer: a 24 h token that the local server (no issuer) accepts.
const role = process.argv[2];
if (!role || !Object.hasOwn(ROLES, role)) {
  console.error(`usage: npm run token -- ${Object.keys(ROLES).join('|')}`);
  process.exit(2);
}
console.log(signJwt(roleClaims({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, role: role as Role }), loadOrCreateDevKey()));
