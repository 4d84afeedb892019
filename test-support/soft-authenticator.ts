/**
 * A software WebAuthn authenticator on node:crypto, for tests that speak to the provider over HTTP
 * as a browser with a platform authenticator would: ES256 keys, "none" attestation, the user
 * verified (UV) unless told otherwise, a signature counter that moves forward with each use.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

import { isoCBOR } from "@simplewebauthn/server/helpers";

type Credential = { id: Buffer; privateKey: KeyObject; userHandle: string; counter: number };

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const uint32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};

export type SignOptions = { userVerified?: boolean; origin?: string; rpId?: string; credentialId?: string };

export class SoftAuthenticator {
  private readonly credentials: Credential[] = [];

  constructor(private readonly rpId: string, private readonly origin: string) {}

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a new resident ES256 credential for `options`, as @simplewebauthn/browser sends it. */
  create(options: { challenge: string; user: { id: string } }, { userVerified = true }: SignOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const credential: Credential = { id: randomBytes(32), privateKey, userHandle: options.user.id, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authenticatorData = Buffer.concat([
      sha256(this.rpId),
      Buffer.from([FLAG_UP | FLAG_AT | (userVerified ? FLAG_UV : 0)]),
      uint32(credential.counter),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      credential.id,
      Buffer.from(isoCBOR.encode(coseKey)),
    ]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authenticatorData]]) as never);
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge, this.origin)),
        attestationObject: b64url(attestationObject),
        transports: ["internal", "hybrid"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform" as const,
    };
  }

  /** navigator.credentials.get(): an assertion over `challenge` with the newest credential (or the one named). */
  get({ challenge }: { challenge: string }, { userVerified = true, origin = this.origin, rpId = this.rpId, credentialId }: SignOptions = {}) {
    const credential = credentialId ? this.credentials.find((each) => b64url(each.id) === credentialId) : this.credentials.at(-1);
    if (!credential) throw new Error("SoftAuthenticator has no such credential");
    credential.counter += 1;
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([FLAG_UP | (userVerified ? FLAG_UV : 0)]), uint32(credential.counter)]);
    const clientDataJSON = this.clientData("webauthn.get", challenge, origin);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform" as const,
    };
  }
}
