// Cross-checks idpd's server/jose against an independent JOSE implementation, the npm `jose`
// package. Driven by tests/unit/jose/interop_test.cpp; each subcommand prints one JSON line on
// stdout, or a reason on stderr and exits 1.
//
//   node jose_interop.mjs sign <alg> <typ> <iss> <aud> <iat>
//       generates a key pair, signs a JWT; prints {"jwks": {...}, "token": "..."}
//   node jose_interop.mjs verify <jwks-file> <token> <typ> <iss> <aud> <now>
//       verifies a JWT (signature, typ, iss, aud, exp) at time <now>; prints {"header", "payload"}
//   node jose_interop.mjs thumbprint <jwk-file>
//       prints {"thumbprint": RFC 7638 SHA-256 thumbprint of the JWK}
//   node jose_interop.mjs assertion <alg> <client_id> <aud> <iat> <jti>
//       generates a key pair and a private_key_jwt client assertion (RFC 7523 §3: iss = sub =
//       client_id, aud, iat, exp = iat + 60, jti); prints {"jwks": {...}, "token": "..."}
//   node jose_interop.mjs dpop <alg> <htm> <htu> <iat> [access-token]
//       generates a key pair and signs an RFC 9449 DPoP proof (ath when an access token is
//       given); prints {"proof": "...", "jkt": RFC 7638 thumbprint of its public key}
import { readFileSync } from 'node:fs';
import * as jose from 'jose';

async function sign([alg, typ, iss, aud, iat]) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  jwk.kid = await jose.calculateJwkThumbprint(jwk);
  jwk.alg = alg;
  jwk.use = 'sig';
  const issuedAt = Number(iat);
  const token = await new jose.SignJWT({ sub: 'interop', scope: 'openid' })
    .setProtectedHeader({ alg, kid: jwk.kid, typ })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 300)
    .sign(privateKey);
  return { jwks: { keys: [jwk] }, token };
}

async function verify([jwksFile, token, typ, iss, aud, now]) {
  const jwks = jose.createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
  const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, {
    typ,
    issuer: iss,
    audience: aud,
    currentDate: new Date(Number(now) * 1000),
    requiredClaims: ['exp', 'iat'],
  });
  return { header: protectedHeader, payload };
}

async function thumbprint([jwkFile]) {
  const jwk = JSON.parse(readFileSync(jwkFile, 'utf8'));
  // importJWK proves the JWK is a usable key to jose, not just a well-formed object.
  await jose.importJWK(jwk, jwk.alg);
  return { thumbprint: await jose.calculateJwkThumbprint(jwk) };
}

async function assertion([alg, clientId, aud, iat, jti]) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  jwk.kid = await jose.calculateJwkThumbprint(jwk);
  jwk.alg = alg;
  jwk.use = 'sig';
  const issuedAt = Number(iat);
  const token = await new jose.SignJWT({})
    .setProtectedHeader({ alg, kid: jwk.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(aud)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 60)
    .setJti(jti)
    .sign(privateKey);
  return { jwks: { keys: [jwk] }, token };
}

async function dpop([alg, htm, htu, iat, accessToken]) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  const claims = { htm, htu, jti: crypto.randomUUID() };
  if (accessToken) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
    claims.ath = jose.base64url.encode(new Uint8Array(digest));
  }
  const proof = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
    .setIssuedAt(Number(iat))
    .sign(privateKey);
  return { proof, jkt: await jose.calculateJwkThumbprint(jwk) };
}

const commands = { sign, verify, thumbprint, assertion, dpop };
const [command, ...args] = process.argv.slice(2);
if (!(command in commands)) {
  console.error(`usage: jose_interop.mjs ${Object.keys(commands).join('|')} ...`);
  process.exit(2);
}
try {
  console.log(JSON.stringify(await commands[command](args)));
} catch (error) {
  console.error(`${error.code ?? 'error'}: ${error.message}`);
  process.exit(1);
}
