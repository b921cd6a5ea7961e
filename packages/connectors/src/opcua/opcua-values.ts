import { readFileSync } from 'node:fs';
import {
  DataType,
  NodeId,
  UserTokenType,
  VariantArrayType,
  type DataValue,
  type UserIdentityInfo,
} from 'node-opcua-client';
import type { NodeReport } from './opcua-event-builder.js';
import type { ResolvedNode } from './opcua-resolve.js';

export type OpcUaIdentity =
  | { type: 'anonymous' }
  | { type: 'username'; userName: string; password: string }
  /** X.509 user certificate and its private key, PEM files */
  | { type: 'certificate'; certificateFile: string; privateKeyFile: string };

/** node-opcua's identity for a session; certificate files are read here so a missing file fails start(). */
export function userIdentity(identity: OpcUaIdentity = { type: 'anonymous' }): UserIdentityInfo {
  switch (identity.type) {
    case 'anonymous':
      return { type: UserTokenType.Anonymous };
    case 'username':
      return { type: UserTokenType.UserName, userName: identity.userName, password: identity.password };
    case 'certificate':
      return {
        type: UserTokenType.Certificate,
        certificateData: pemToDer(readFileSync(identity.certificateFile, 'utf8'), identity.certificateFile),
        privateKey: readFileSync(identity.privateKeyFile, 'utf8'),
      };
  }
}

/**
 * The value of a notification as the event builder takes it, or null when there is nothing to report (no
 * value, a state object whose name is unknown, a type Kerf has no use for). `stateNames` maps state object
 * NodeIds (CurrentState/Id values) to their BrowseName.
 */
export function decodeValue(
  node: ResolvedNode,
  dataValue: DataValue,
  stateNames: ReadonlyMap<string, string>,
): NodeReport['value'] | null {
  const variant = dataValue.value;
  const raw: unknown = variant?.value;
  if (raw === null || raw === undefined) return null;
  switch (node.mode) {
    case 'stateId':
      return raw instanceof NodeId ? (stateNames.get(raw.toString()) ?? null) : null;
    case 'stateText':
      return localizedText(raw);
    case 'value':
      break;
  }
  if (node.spec.role.role === 'alarms') {
    if (typeof raw === 'string') return [raw];
    return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : null;
  }
  if (variant.dataType === DataType.Int64 || variant.dataType === DataType.UInt64) {
    // node-opcua carries a 64-bit integer as [high, low] 32-bit words; arrays of them are not a Kerf value
    const scalar = variant.arrayType === VariantArrayType.Scalar;
    if (scalar && Array.isArray(raw) && raw.length === 2) return Number(raw[0]) * 2 ** 32 + Number(raw[1]);
    return null;
  }
  if (variant.arrayType !== VariantArrayType.Scalar) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (raw instanceof Date) return raw.toISOString();
  return localizedText(raw);
}

function localizedText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (raw && typeof raw === 'object' && 'text' in raw && typeof raw.text === 'string') return raw.text;
  return null;
}

function pemToDer(pem: string, file: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new Error(`identity.certificateFile: ${file} holds no PEM certificate`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}
