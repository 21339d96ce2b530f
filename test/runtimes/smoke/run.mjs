// Node, Bun and Deno: print the smoke results as one JSON line.
import { smoke } from './smoke.mjs';

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : `node ${process.version}`;
console.log(JSON.stringify(await smoke(runtime)));
