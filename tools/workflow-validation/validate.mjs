// Validates GitHub Actions workflow files with @actions/workflow-parser (parse plus template conversion, which
// checks expressions, needs, runs-on and environments) and with @action-validator/cli.
// Usage: node --import ./register.mjs validate.mjs <workflow.yml>...   Exit 0: all valid; 1: errors printed on stderr.
import { readFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";

const actionValidator = fileURLToPath(new URL("./node_modules/@action-validator/cli/cli.mjs", import.meta.url));

async function workflowParserErrors(file) {
  const content = await readFile(file, "utf8");
  const parsed = parseWorkflow({ name: path.basename(file), content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !parsed.value) return errors;
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...(template.errors ?? []).map((error) => error.Message ?? error.message), ...parsed.context.errors.getErrors().map((error) => error.message)];
}

async function actionValidatorErrors(file) {
  try {
    await promisify(execFile)(process.execPath, [actionValidator, file], { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    return [];
  } catch (failure) {
    return [`${(failure.stdout ?? "").trim()} ${(failure.stderr ?? "").trim()}`.trim() || String(failure)];
  }
}

let failed = false;
for (const file of process.argv.slice(2)) {
  const errors = [
    ...(await workflowParserErrors(file)).map((message) => `workflow-parser: ${message}`),
    ...(await actionValidatorErrors(file)).map((message) => `action-validator: ${message}`),
  ];
  for (const message of [...new Set(errors)]) console.error(`${file}: ${message}`);
  if (errors.length > 0) failed = true;
  else console.log(`${file}: valid`);
}
process.exit(failed ? 1 : 0);
