// The independent side of the SD-JWT VC interoperability tests: OpenWallet Foundation's sd-jwt-js.
// Reads one JSON request on stdin, writes one JSON answer on stdout.
//   {"op":"verify","token","issuer_jwk","nonce","aud","now"} → {"ok":true,"claims":{…},"kb":{…}} | {"ok":false,"error"}
//   {"op":"issue","now","nonce","aud","vct","iss","claims":{…},"disclose":[…]} → {"issuer_jwk","credential","presentation"}
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const kbVerifier = async (data, sig, payload) => {
  const verify = await ES256.getVerifier(payload.cnf.jwk);
  return verify(data, sig);
};

async function verify(req) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier(req.issuer_jwk),
    kbVerifier,
  });
  try {
    const result = await sdjwt.verify(req.token, { keyBindingNonce: req.nonce, currentDate: req.now, skewSeconds: 300 });
    if (!result.kb || result.kb.payload.aud !== req.aud) throw new Error('wrong or missing key-binding audience');
    return { ok: true, claims: result.payload, kb: result.kb.payload };
  } catch (err) {
    return { ok: false, error: String(err && err.message ? err.message : err) };
  }
}

async function issue(req) {
  const issuer = await ES256.generateKeyPair();
  const holder = await ES256.generateKeyPair();
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signer: await ES256.getSigner(issuer.privateKey),
    signAlg: ES256.alg,
    verifier: await ES256.getVerifier(issuer.publicKey),
    kbSigner: await ES256.getSigner(holder.privateKey),
    kbSignAlg: ES256.alg,
    kbVerifier,
  });
  const { kty, crv, x, y } = holder.publicKey;
  const payload = { iss: req.iss, iat: req.now - 60, exp: req.now + 86400, vct: req.vct, cnf: { jwk: { kty, crv, x, y } }, ...req.claims };
  const credential = await sdjwt.issue(payload, { _sd: Object.keys(req.claims) }, { header: { kid: 'node-1' } });
  const frame = Object.fromEntries(req.disclose.map((name) => [name, true]));
  const presentation = await sdjwt.present(credential, frame, {
    kb: { payload: { iat: req.now, aud: req.aud, nonce: req.nonce } },
  });
  const pub = issuer.publicKey;
  return { issuer_jwk: { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y }, credential, presentation };
}

const req = await readStdin();
const answer = req.op === 'verify' ? await verify(req) : req.op === 'issue' ? await issue(req) : { ok: false, error: 'unknown op' };
process.stdout.write(JSON.stringify(answer));
