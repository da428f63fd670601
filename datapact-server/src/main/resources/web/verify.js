// Checks, in the browser, that a ledger entry is in the log DataPact signed — trusting neither
// DataPact's server nor this page's other code: only the entry's bytes, the sibling hashes, the
// signed checkpoint and the public key, with WebCrypto's SHA-256 and Ed25519.
//
//   leaf  = SHA-256(0x00 ‖ entry)                         RFC 9162 §2.1.1
//   node  = SHA-256(0x01 ‖ left ‖ right)
//   root  = the leaf folded with the audit path           RFC 9162 §2.1.3.2
//   note  = "origin\nsize\nbase64(root)\ntimestamp …\n" + "\n— name base64(keyId ‖ sig)\n"
//   keyId = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0..4]   C2SP signed-note, Ed25519

const enc = new TextEncoder();
const b64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const hex = b => [...b].map(x => x.toString(16).padStart(2, '0')).join('');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const sha256 = async bytes => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
/** Whether two byte arrays hold the same bytes. */
export const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Folds a leaf hash with its audit path into the root of a tree of `size` leaves (RFC 9162). */
async function rootFromPath(index, size, leafHash, path) {
  let fn = BigInt(index), sn = BigInt(size) - 1n, r = leafHash;
  for (const p of path) {
    if (sn === 0n) return null; // a path longer than the tree is deep
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(concat(Uint8Array.of(1), p, r));
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = await sha256(concat(Uint8Array.of(1), r, p));
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/**
 * @param evidence what GET /api/v1/me/ledger/{index}/evidence answers
 * @return {ok, says: [plain sentences of what was checked], failure?: what did not hold}
 */
export async function verifyEntry(evidence) {
  const says = [];
  const fail = failure => ({ ok: false, says, failure });
  const entry = b64(evidence.entry);
  const leaf = await sha256(concat(Uint8Array.of(0), entry));
  says.push(`The entry's ${entry.length} bytes hash to leaf ${hex(leaf).slice(0, 16)}….`);

  const split = evidence.checkpoint.indexOf('\n\n');
  if (split < 0) return fail('the checkpoint is not a signed note');
  const body = evidence.checkpoint.slice(0, split + 1);
  const [origin, sizeText, rootText, stamp] = body.split('\n');
  const size = Number(sizeText);
  if (size !== evidence.size) return fail(`the checkpoint is for ${size} entries, the proof for ${evidence.size}`);

  const root = await rootFromPath(evidence.index, size, leaf, evidence.auditPath.map(b64));
  if (!root) return fail('the audit path does not fit a log of that size');
  if (!same(root, b64(rootText))) {
    return fail(`with the ${evidence.auditPath.length} sibling hashes the leaf reaches root ${hex(root).slice(0, 16)}…, not the signed root ${hex(b64(rootText)).slice(0, 16)}…`);
  }
  says.push(`With ${evidence.auditPath.length} sibling hashes it reaches the root of the log's first ${size.toLocaleString('en')} entries (${hex(root).slice(0, 16)}…).`);

  const key = b64(evidence.publicKey);
  const keyId = (await sha256(concat(enc.encode(evidence.keyName), Uint8Array.of(0x0a, 0x01), key))).slice(0, 4);
  const line = evidence.checkpoint.slice(split + 2).split('\n').find(l => l.startsWith(`\u2014 ${evidence.keyName} `));
  if (!line) return fail(`no signature by ${evidence.keyName} on the checkpoint`);
  const blob = b64(line.slice(`\u2014 ${evidence.keyName} `.length));
  if (blob.length !== 68 || !same(blob.slice(0, 4), keyId)) return fail('the signature names another key');
  const publicKey = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, blob.slice(4), enc.encode(body));
  if (!valid) return fail(`the Ed25519 signature of ${evidence.keyName} on the checkpoint does not verify`);
  const at = new Date(Number((stamp || '').replace('timestamp ', ''))).toISOString().slice(0, 19).replace('T', ' ');
  says.push(`${origin} signed that root with key ${evidence.keyName} (Ed25519, verified here) at ${at} UTC.`);
  says.push('So this entry was in the log when it was signed: changing or removing it would need a signed checkpoint contradicting this one.');
  return { ok: true, says };
}

/**
 * Checks a signed checkpoint note against the log's key.
 * @return {origin, size, root (bytes), at (Date)}; throws naming what failed
 */
export async function verifyNote(note, keyName, publicKeyB64) {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note');
  const body = note.slice(0, split + 1);
  const [origin, sizeText, rootText, stamp] = body.split('\n');
  const key = b64(publicKeyB64);
  const keyId = (await sha256(concat(enc.encode(keyName), Uint8Array.of(0x0a, 0x01), key))).slice(0, 4);
  const line = note.slice(split + 2).split('\n').find(l => l.startsWith(`\u2014 ${keyName} `));
  if (!line) throw new Error(`no signature by ${keyName} on the checkpoint`);
  const blob = b64(line.slice(`\u2014 ${keyName} `.length));
  if (blob.length !== 68 || !same(blob.slice(0, 4), keyId)) throw new Error('the signature names another key');
  const publicKey = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
  if (!await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, blob.slice(4), enc.encode(body))) {
    throw new Error(`the Ed25519 signature of ${keyName} on the checkpoint does not verify`);
  }
  return { origin, size: Number(sizeText), root: b64(rootText), at: new Date(Number((stamp || '').replace('timestamp ', ''))) };
}

/**
 * RFC 9162 §2.1.4.2: whether the tree of `second` leaves with `secondRoot` extends the tree of
 * `first` leaves with `firstRoot`, given the consistency proof (bytes).
 */
export async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && same(firstRoot, secondRoot);
  if (first === 0) return true; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  let path = proof;
  if ((first & (first - 1)) === 0) path = [firstRoot, ...proof]; // first is a power of two
  let fn = BigInt(first - 1), sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await sha256(concat(Uint8Array.of(1), c, fr));
      sr = await sha256(concat(Uint8Array.of(1), c, sr));
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      sr = await sha256(concat(Uint8Array.of(1), sr, c));
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && same(fr, firstRoot) && same(sr, secondRoot);
}

export const base64 = bytes => btoa(String.fromCharCode(...bytes));
export { b64 as fromBase64, hex as toHex };

/**
 * C2SP tlog-cosignature (Ed25519, cosignature/v1): whether `note` carries a valid cosignature by the
 * witness whose verifier key is `vkey` (name+id+base64(0x04 ‖ key)).
 * @return the cosignature's time (Date), or null when the note carries none by that key; throws when one fails
 */
export async function verifyCosignature(note, vkey) {
  const [name, , keyText] = vkey.trim().split(/\+(.*?)\+(.*)/s).filter(x => x !== undefined && x !== '');
  const typed = b64(keyText);
  if (typed.length !== 33 || typed[0] !== 0x04) throw new Error(`${name}: not an Ed25519 cosignature key`);
  const key = typed.slice(1);
  const keyId = (await sha256(concat(enc.encode(name), Uint8Array.of(0x0a, 0x04), key))).slice(0, 4);
  const split = note.indexOf('\n\n');
  const body = note.slice(0, split + 1);
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line.startsWith(`\u2014 ${name} `)) continue;
    const blob = b64(line.slice(`\u2014 ${name} `.length));
    if (blob.length !== 76 || !same(blob.slice(0, 4), keyId)) continue;
    const time = new DataView(blob.buffer, blob.byteOffset + 4, 8).getBigUint64(0);
    const message = enc.encode(`cosignature/v1\ntime ${time}\n${body}`);
    const publicKey = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    if (!await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, blob.slice(12), message)) throw new Error(`the cosignature of ${name} does not verify`);
    return new Date(Number(time) * 1000);
  }
  return null;
}
