// Cedar's own engine through @cedar-policy/cedar-wasm on the decision benchmark's policies and
// requests (exported by org.datapact.bench.CedarExport). Uses the fastest documented path:
// preparsePolicySet once, then statefulIsAuthorized per request. Checks that every decision
// equals DataPact's before timing. Usage: node bench.mjs <export-dir> [seconds]
import { readFileSync } from 'node:fs';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';

const dir = process.argv[2];
const seconds = Number(process.argv[3] ?? 10);
const policies = readFileSync(`${dir}/policies.cedar`, 'utf8');
const requests = JSON.parse(readFileSync(`${dir}/requests.json`, 'utf8'));

const parsed = preparsePolicySet('bench', { staticPolicies: policies });
if (parsed.type !== 'success') throw new Error('cannot parse policies: ' + JSON.stringify(parsed.errors));

const calls = requests.map(r => ({
  principal: r.principal, action: r.action, resource: r.resource, context: r.context,
  entities: r.entities, preparsedPolicySetId: 'bench',
}));

function decide(i) {
  const a = statefulIsAuthorized(calls[i]);
  if (a.type !== 'success') throw new Error('cedar-wasm failed: ' + JSON.stringify(a.errors));
  return a.response.decision;
}

let disagreements = 0;
for (let i = 0; i < calls.length; i++) {
  if (decide(i) !== requests[i].expected) disagreements++;
}
if (disagreements > 0) throw new Error(`${disagreements} of ${calls.length} decisions differ from DataPact's`);

// warm up, then sample every call
const warmEnd = process.hrtime.bigint() + 2_000_000_000n;
let n = 0;
while (process.hrtime.bigint() < warmEnd) decide(n++ % calls.length);
const samples = [];
const end = process.hrtime.bigint() + BigInt(seconds) * 1_000_000_000n;
for (let i = 0; process.hrtime.bigint() < end; i++) {
  const t0 = process.hrtime.bigint();
  decide(i % calls.length);
  samples.push(Number(process.hrtime.bigint() - t0));
}
samples.sort((a, b) => a - b);
const q = p => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
console.log(`cedar-wasm ${process.versions.node}: ${calls.length} requests agree with DataPact; ` +
  `${samples.length} samples: mean=${mean.toFixed(0)} ns p50=${q(0.5)} ns p99=${q(0.99)} ns p99.9=${q(0.999)} ns`);
