import type { Request, Response } from 'express';
import { auth, InvalidTokenError, type AuthResult, type PublicKeyInput } from 'express-oauth2-jwt-bearer';
import { claimsProblem } from './claims';

/** The request's verified token; rejects with the error to answer (400, 401, or 503 while the keys cannot be had). */
export type VerifyToken = (req: Request, res: Response) => Promise<AuthResult>;

export type JwtVerifierOptions = {
  audience: string;
  issuer: string;
  publicKey: PublicKeyInput;
  /** Seconds of leeway on `exp`/`nbf`/`iat`, for the library's checks and ours alike. */
  clockTolerance: number;
};

/**
 * express-oauth2-jwt-bearer's verifier with a fixed issuer and key (RS256 only, no DPoP), plus the
 * claim checks it lacks (claims.ts), as one promise. The library also leaves its result on
 * `req.auth`; it is taken from there, so that `req.caller` (caller.ts) stays the one record of who
 * is calling.
 */
export function jwtVerifier({ audience, issuer, publicKey, clockTolerance }: JwtVerifierOptions): VerifyToken {
  const verify = auth({
    audience,
    issuer,
    publicKey,
    // It would read ISSUER_BASE_URL, JWKS_URI and SECRET from the environment, which conflict with `publicKey`.
    issuerBaseURL: '',
    jwksUri: '',
    secret: '',
    tokenSigningAlg: 'RS256',
    authRequired: true,
    dpop: { enabled: false },
    clockTolerance,
  });
  return (req, res) =>
    new Promise((resolve, reject) => {
      void verify(req, res, (err?: unknown) => {
        const result = req.auth;
        req.auth = undefined;
        if (err) return reject(err);
        if (result === undefined) return reject(new Error('the verifier accepted a request without a token'));
        const problem = claimsProblem(result.payload, clockTolerance);
        if (problem === undefined) resolve(result);
        else reject(new InvalidTokenError(problem));
      });
    });
}
