/** Types of auth0-tenant.mjs (written by hand: oidc-provider's own types break this project's type-check). */

/** Someone who can sign in at the stand-in tenant, and the permissions Auth0 RBAC gives them. */
export type TenantUser = { email: string; password: string; name?: string; permissions: readonly string[] };

export type TenantOptions = {
  /** Where the single-page app runs: its callback and logout URL is `<appOrigin>/app/`. */
  appOrigin: string;
  /** The API identifier access tokens are issued for (their `aud`). */
  audience: string;
  users: readonly TenantUser[];
  clientId?: string;
  accessTokenTtlSeconds?: number;
};

export type Tenant = {
  /** `http://127.0.0.1:<port>/`, with its trailing slash, as Auth0 writes `iss`. */
  issuer: string;
  /** The issuer without its slash: what auth0-spa-js takes as `domain`. */
  origin: string;
  clientId: string;
  close(): Promise<void>;
};

export function startTenant(options: TenantOptions): Promise<Tenant>;
