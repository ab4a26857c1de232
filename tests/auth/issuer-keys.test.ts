import { IssuerKeys, KeysUnavailableError } from '../../src/auth/issuer-keys';
import { StandInIssuer } from './stand-in-issuer';

/*
 * The key cache's periods, on a clock the test moves: keys are kept 10 min and refreshed in the
 * background after that, a kid they lack is looked for at most every 30 s, a failure is remembered
 * for the back-off only, and old keys serve for up to an hour while the issuer is away.
 */
const JWKS = { keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] };
const MINUTE = 60_000;

let standIn: StandInIssuer;
beforeAll(async () => {
  standIn = await StandInIssuer.start(JWKS);
});
afterAll(() => standIn.close());
beforeEach(() => (standIn.behaviour = 'answers'));

const clock = { ms: 1_000_000 };
const keysWith = (retryAfterMs = 10_000) =>
  new IssuerKeys(new URL('.well-known/jwks.json', standIn.url), { timeoutMs: 300, retryAfterMs, now: () => clock.ms });
const fetchesDuring = async (act: () => Promise<unknown>) => {
  const before = standIn.requests;
  await act();
  await new Promise((resolve) => setTimeout(resolve, 50)); // a background fetch, if one started
  return standIn.requests - before;
};

describe('the issuer keys', () => {
  it('are fetched once, then served from memory for 10 min, then refreshed in the background', async () => {
    const keys = keysWith();
    expect(keys.ready('k1')).toBeUndefined();
    expect(await fetchesDuring(() => keys.forKid('k1'))).toBe(1);
    clock.ms += 9 * MINUTE;
    expect(await fetchesDuring(async () => expect(keys.ready('k1')).toEqual(JWKS))).toBe(0);
    clock.ms += 2 * MINUTE;
    expect(await fetchesDuring(async () => expect(keys.ready('k1')).toEqual(JWKS))).toBe(1);
  });

  it('look for a kid they lack at most every 30 s', async () => {
    const keys = keysWith();
    await keys.forKid('k1');
    clock.ms += 10_000;
    expect(await fetchesDuring(async () => expect(await keys.forKid('new')).toEqual(JWKS))).toBe(0);
    clock.ms += 25_000;
    expect(keys.ready('new')).toBeUndefined();
    expect(await fetchesDuring(() => keys.forKid('new'))).toBe(1);
  });

  it('remember a failure for the back-off only, without fetching meanwhile', async () => {
    const keys = keysWith(5_000);
    standIn.behaviour = 'fails';
    await expect(keys.forKid('k1')).rejects.toMatchObject({ name: 'KeysUnavailableError', retryAfterMs: 5_000 });
    clock.ms += 3_000;
    let refusal: unknown;
    expect(await fetchesDuring(() => keys.forKid('k1').catch((err: unknown) => (refusal = err)))).toBe(0);
    expect(refusal).toBeInstanceOf(KeysUnavailableError);
    expect((refusal as KeysUnavailableError).retryAfterMs).toBe(2_000);
    standIn.behaviour = 'answers';
    clock.ms += 2_000;
    expect(await keys.forKid('k1')).toEqual(JWKS);
  });

  it('refuse an answer that is not a key set, as a failure', async () => {
    standIn.behaviour = 'answers no key set';
    await expect(keysWith().forKid('k1')).rejects.toBeInstanceOf(KeysUnavailableError);
  });

  it('keep serving for up to an hour while the issuer is away, then are unavailable', async () => {
    const keys = keysWith();
    await keys.forKid('k1');
    standIn.behaviour = 'fails';
    clock.ms += 59 * MINUTE;
    expect(keys.ready('k1')).toEqual(JWKS);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the background refresh fails
    clock.ms += 2 * MINUTE;
    expect(keys.ready('k1')).toBeUndefined();
    await expect(keys.forKid('k1')).rejects.toBeInstanceOf(KeysUnavailableError);
  });
});
