// Starts `agones-lint lsp` for YAML files; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function options(config) {
  const initializationOptions = {};
  const version = config.get("agonesVersion");
  if (version) initializationOptions.agonesVersion = version;
  const gates = config.get("featureGates");
  if (gates) initializationOptions.featureGates = gates;
  const rulesUrl = config.get("rulesUrl");
  if (rulesUrl) initializationOptions.rulesUrl = rulesUrl;
  return {
    server: { command: config.get("path") || "agones-lint", args: ["lsp"] },
    client: {
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "untitled", language: "yaml" },
      ],
      initializationOptions,
    },
  };
}

function activate(context) {
  const o = options(vscode.workspace.getConfiguration("agonesLint"));
  client = new LanguageClient("agones-lint", "agones-lint", o.server, o.client);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, options };
