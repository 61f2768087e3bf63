// Prints, as one JSON object, the datafile text @tinybirdco/sdk generates
// for every case of cases.mjs: {"<case id>": {"name": …, "ext": …,
// "content": …}}. With --golden DIR it also writes each text to
// DIR/<case id>.<ext>, the golden files of the Go table tests.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mkdirSync, writeFileSync } from "node:fs";
import { cases } from "./cases.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = join(here, "node_modules", "@tinybirdco", "sdk");
const gen = (f) => import(pathToFileURL(join(sdkDir, "dist", "generator", f)).href);
const { generateDatasource } = await gen("datasource.js");
const { generatePipe } = await gen("pipe.js");
const { generateConnection } = await gen("connection.js");
const { version } = createRequire(import.meta.url)(join(sdkDir, "package.json"));

const out = {};
for (const [id, build] of Object.entries(cases)) {
  const def = build();
  let result, ext;
  if (def._type === "datasource") [result, ext] = [generateDatasource(def), "datasource"];
  else if (def._type === "pipe") [result, ext] = [generatePipe(def), "pipe"];
  else if (def._type === "connection") [result, ext] = [generateConnection(def), "connection"];
  else throw new Error(`case ${id}: unknown definition type ${def._type}`);
  out[id] = { name: result.name, ext, content: result.content };
}

const g = process.argv.indexOf("--golden");
if (g >= 0) {
  const dir = process.argv[g + 1];
  for (const [id, r] of Object.entries(out)) {
    const path = join(dir, `${id}.${r.ext}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, r.content);
  }
}
process.stdout.write(JSON.stringify({ sdkVersion: version, cases: out }));
