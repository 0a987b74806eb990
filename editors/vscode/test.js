// The extension's glue, with VS Code and the client library stood in for: it starts
// `agones-lint lsp` for YAML with the settings as initialization options. Run: node test.js
const assert = require("assert");
const Module = require("module");

const started = [];
const settings = { path: "/opt/agones-lint", featureGates: "CountsAndLists=true", rulesUrl: "" };
const stubs = {
  vscode: { workspace: { getConfiguration: (section) => (assert.strictEqual(section, "agonesLint"), { get: (k) => settings[k] }) } },
  "vscode-languageclient/node": {
    LanguageClient: class {
      constructor(id, name, server, client) {
        Object.assign(this, { id, server, client });
      }
      start() {
        started.push(this);
        return Promise.resolve();
      }
      stop() {}
      dispose() {}
    },
  },
};
const load = Module._load;
Module._load = (request, ...rest) => (request in stubs ? stubs[request] : load(request, ...rest));

const extension = require("./extension.js");
const subscriptions = [];
extension.activate({ subscriptions });
assert.strictEqual(started.length, 1);
const c = started[0];
assert.deepStrictEqual(c.server, { command: "/opt/agones-lint", args: ["lsp"] });
assert.deepStrictEqual(c.client.documentSelector.map((d) => d.language), ["yaml", "yaml"]);
assert.deepStrictEqual(c.client.initializationOptions, { featureGates: "CountsAndLists=true" });
assert.strictEqual(subscriptions.length, 1);
settings.path = "";
assert.strictEqual(extension.options({ get: (k) => settings[k] }).server.command, "agones-lint");
console.log("vscode extension: ok");
