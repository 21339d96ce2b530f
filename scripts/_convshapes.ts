import fs from 'node:fs';
import { Interpreter } from '../src/interpreter.js';
const file = process.argv[2]!;
const it = Interpreter.create(new Uint8Array(fs.readFileSync(file)), { backend: 'wasm' });
it.invoke();
const prof: Record<number, number> = {};
for (let r = 0; r < 5; r++) for (const t of it.invokeProfiled()) prof[t.node] = Math.min(prof[t.node] ?? 1e9, t.ms);
const nodes = (it as any).nodes as any[];
const rows = nodes.filter((n) => n.opName === 'CONV_2D' || n.opName === 'FULLY_CONNECTED' || n.opName.includes('Transpose')).map((n) => {
  const x = n.inputs[0].shape, f = n.inputs[1].shape, y = n.outputs[0].shape;
  const macs = y.reduce((a: number, b: number) => a * b, 1) * f.slice(1).reduce((a: number, b: number) => a * b, 1);
  const o = n.options ?? {};
  return { node: n.index, op: n.opName, x: x.join('x'), f: f.join('x'), s: o.strideH, ms: prof[n.index] ?? 0, gmacs: macs / ((prof[n.index] ?? 1) * 1e6) };
}).sort((a, b) => b.ms - a.ms);
for (const r of rows.slice(0, 12)) console.log(JSON.stringify(r));
console.log('total conv ms', rows.reduce((s, r) => s + r.ms, 0).toFixed(2));
