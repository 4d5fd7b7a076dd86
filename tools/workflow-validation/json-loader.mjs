// @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20 refuses;
// this hook serves .json files as modules whose default export is the parsed document.
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".json")) return nextLoad(url, context);
  const text = await readFile(new URL(url), "utf8");
  return { format: "module", shortCircuit: true, source: `export default ${text};` };
}
