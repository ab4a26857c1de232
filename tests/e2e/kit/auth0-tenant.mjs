/* global console, process, URL, URLSearchParams -- Node.js globals: the lint config declares them for .js files only */
/**
 * A stand-in for an Auth0 tenant, on loopback, for browser sign-in tests: oidc-provider (an
 * OpenID-certified authorization server) configured the way Auth0 behaves towards
 * @auth0/auth0-spa-js and towards our API:
 *
 * - the issuer ends with `/` (auth0-spa-js expects the ID token's `iss` to be `domain + '/'`), and
 *   Auth0's routes: `/authorize`, `/oauth/token`, `/.well-known/jwks.json`, `/v2/logout`;
 * - one public Single Page Application (no secret, so PKCE S256 is required) whose callback and
 *   logout URL are the app's `/app/`;
 * - Auth0's `audience` parameter names the API: access tokens for it are RS256 JWTs with
 *   `aud` = the audience and a `permissions` claim, as Auth0 RBAC issues them;
 * - refresh tokens (rotating) for `offline_access`, which auth0-spa-js asks for with
 *   `useRefreshTokens`; a username/password form as Universal Login, consent given by itself;
 * - `/v2/logout?client_id&returnTo` ends the session and comes back, like Auth0's.
 *
 * Plain .mjs: oidc-provider is ESM only, and its types break this project's type-check. Jest cannot
 * import ESM into a test, so tests run it as a child process: `node auth0-tenant.mjs '<options JSON>'`
 * prints `{"issuer", "origin"}` on one line and stops when its stdin closes (its parent has gone).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** An absolute URI for the API, as Resource Indicators require: Auth0 audiences need not be one. */
const resourceFor = (audience) =>
  /^[a-z][a-z0-9+.-]*:/i.test(audience) ? audience : `urn:casting-agency:audience:${encodeURIComponent(audience)}`;

const ACCESS_TOKEN_TTL_S = 3600;
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * oidc-provider warns once at import that Node 20 is not a runtime it supports; it works on it
 * (measured), and the version is pinned. That one line is kept out of the test output.
 */
async function importProvider() {
  const warn = console.warn;
  console.warn = (...args) => (String(args[0]).includes('Unsupported runtime') ? undefined : warn(...args));
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

/** Universal Login's page, reduced to what a person needs: an email, a password, Continue. */
const loginPage = ({ uid, email = '', problem }) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | Stand-in Auth0</title></head>
<body><main>
<h1>Log in to the casting board</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <p><label for="email">Email address</label> <input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Continue</button></p>
</form>
</main></body></html>`;

/** Auth0's /v2/logout asks nothing: the confirmation oidc-provider shows is submitted by itself. */
const logoutPage = (form) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out | Stand-in Auth0</title></head>
<body><main><h1>Signing out…</h1>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<script>document.getElementById('op.logoutForm').submit()</script></main></body></html>`;

const errorPage = (out) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Stand-in Auth0</title></head>
<body><main><h1>Something went wrong</h1>${Object.entries(out)
  .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
  .join('')}</main></body></html>`;

/**
 * Everything the tenant remembers (sessions, grants, codes, refresh tokens), in this process only.
 * oidc-provider's own memory store is shared by every provider in the process and warns about it.
 */
function memoryAdapterFor() {
  const store = new Map();
  const expired = (entry) => entry.expiresAt !== undefined && entry.expiresAt <= Date.now();
  return class MemoryAdapter {
    constructor(model) {
      this.model = model;
    }
    key(id) {
      return `${this.model}:${id}`;
    }
    async upsert(id, payload, expiresIn) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    }
    async find(id) {
      const entry = store.get(this.key(id));
      if (!entry || expired(entry)) return undefined;
      return entry.payload;
    }
    async findByUid(uid) {
      return [...store].find(([key, e]) => key.startsWith(`${this.model}:`) && e.payload.uid === uid && !expired(e))?.[1].payload;
    }
    async findByUserCode(userCode) {
      return [...store].find(([key, e]) => key.startsWith(`${this.model}:`) && e.payload.userCode === userCode && !expired(e))?.[1].payload;
    }
    async consume(id) {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId) {
      for (const [key, e] of store) if (e.payload.grantId === grantId) store.delete(key);
    }
  };
}

const readForm = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });

/** The account behind an Auth0 user id (`auth0|<local part of the email>`), with its profile claims. */
const accountsOf = (users) => {
  const bySub = new Map(users.map((u) => [`auth0|${u.email.split('@')[0]}`, u]));
  const subOf = (email) => [...bySub].find(([, u]) => u.email === email)?.[0];
  return { bySub, subOf };
};

/**
 * Starts the tenant on 127.0.0.1 (an ephemeral port). `appOrigin`: where the SPA runs (its callback
 * and logout URL is `<appOrigin>/app/`); `audience`: the API identifier; `users`: who can sign in and
 * the permissions RBAC gives each. `clientId` defaults to a fixed string.
 *
 * @param {{ appOrigin: string, audience: string, clientId?: string,
 *   users: { email: string, password: string, name?: string, permissions: string[] }[],
 *   accessTokenTtlSeconds?: number }} options
 */
export async function startTenant({
  appOrigin,
  audience,
  clientId = 'casting-board-spa',
  users,
  accessTokenTtlSeconds = ACCESS_TOKEN_TTL_S,
}) {
  const { default: Provider, errors } = await importProvider();
  const resource = resourceFor(audience);
  const accounts = accountsOf(users);
  const appUrl = `${new URL(appOrigin).origin}/app/`;
  const allPermissions = [...new Set(users.flatMap((u) => u.permissions))].sort().join(' ');

  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const issuer = `${origin}/`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    adapter: memoryAdapterFor(),
    clients: [
      {
        client_id: clientId,
        client_name: 'Casting board',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [appUrl],
        post_logout_redirect_uris: [appUrl],
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: `stand-in-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' }],
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      end_session: '/v2/logout',
      userinfo: '/userinfo',
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name', 'nickname'], email: ['email', 'email_verified'] },
    // Auth0's name for the API a token is for; mapped to a resource indicator below.
    extraParams: ['audience'],
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => {
      const user = accounts.bySub.get(sub);
      if (!user) return undefined;
      const name = user.name ?? user.email;
      return { accountId: sub, claims: () => ({ sub, name, nickname: user.email.split('@')[0], email: user.email, email_verified: true }) };
    },
    // Auth0 RBAC: the user's permissions in every access token for the API.
    extraTokenClaims: (_ctx, token) =>
      token.kind === 'AccessToken' && token.aud === audience
        ? { permissions: [...(accounts.bySub.get(token.accountId)?.permissions ?? [])] }
        : undefined,
    clientBasedCORS: (_ctx, requestOrigin, client) => client.redirectUris.some((uri) => new URL(uri).origin === requestOrigin),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      Interaction: 600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = errorPage({ signed_out: 'yes' });
        },
      },
      resourceIndicators: {
        enabled: true,
        // auth0-spa-js names the API with `audience`, never `resource`.
        defaultResource: (ctx) => {
          const requested = ctx.oidc.params.audience;
          if (requested === undefined) return undefined;
          if (requested !== audience) throw new errors.InvalidTarget(`Service not found: ${requested}`);
          return resource;
        },
        // auth0-spa-js sends neither `resource` nor `audience` to the token endpoint: the token is for
        // the API granted at /authorize (without this it would be opaque, and the API would answer 401).
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: allPermissions,
            audience,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });

  const interactions = {
    /** The login form, or (once signed in) consent, given at once: Auth0 asks none for first-party apps. */
    async show(req, res) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(loginPage({ uid: details.uid }));
        return;
      }
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    },
    async login(req, res) {
      const details = await provider.interactionDetails(req, res);
      const form = await readForm(req);
      const email = form.get('email') ?? '';
      const sub = accounts.subOf(email);
      if (!sub || accounts.bySub.get(sub).password !== form.get('password')) {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(loginPage({ uid: details.uid, email, problem: 'Wrong email or password.' }));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    },
  };

  const handleProvider = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (interaction) {
      const step = interaction[2]
        ? req.method === 'POST'
          ? interactions.login
          : undefined
        : req.method === 'GET'
          ? interactions.show
          : undefined;
      if (!step) return void res.writeHead(405).end();
      step(req, res).catch((err) => {
        if (!res.headersSent)
          res
            .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
            .end(errorPage({ error: err.name, error_description: err.message }));
      });
      return;
    }
    if (
      url.pathname === '/authorize' &&
      url.searchParams.get('scope')?.split(' ').includes('offline_access') &&
      !url.searchParams.has('prompt')
    ) {
      // Auth0 issues a refresh token for `offline_access` without asking again; oidc-provider only when
      // consent is prompted for (OpenID Connect Core 11), and consent here is given by itself.
      url.searchParams.set('prompt', 'consent');
      req.url = `${url.pathname}${url.search}`;
    }
    if (url.pathname === '/v2/logout' && url.searchParams.has('returnTo')) {
      // Auth0 names the way back `returnTo`; OpenID's logout, `post_logout_redirect_uri`.
      url.searchParams.set('post_logout_redirect_uri', url.searchParams.get('returnTo'));
      url.searchParams.delete('returnTo');
      req.url = `${url.pathname}${url.search}`;
    }
    handleProvider(req, res);
  });

  return {
    issuer,
    origin,
    clientId,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// As a child process (tests/e2e/board-auth0.test.ts): options from argv, the address on stdout.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tenant = await startTenant(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(`${JSON.stringify({ issuer: tenant.issuer, origin: tenant.origin, clientId: tenant.clientId })}\n`);
  const stop = () => void tenant.close().then(() => process.exit(0));
  process.stdin.on('end', stop).on('close', stop).resume();
  process.on('SIGTERM', stop);
}
