// Peer baseline for loading: parse every YAML file of a tree with one library, nothing else.
// usage: node bench/parse-all.mjs yaml|js-yaml DIR
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';

const [lib, dir] = process.argv.slice(2);
let documents = 0;
function walk(d) {
  for (const entry of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(entry.name)) {
      const text = readFileSync(p, 'utf8');
      documents += lib === 'yaml' ? parseAllDocuments(text).length : jsYaml.loadAll(text).length;
    }
  }
}
walk(dir);
console.log(documents);
