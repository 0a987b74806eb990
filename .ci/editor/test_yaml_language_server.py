"""yaml-language-server validates Agones manifests with the schemas of
`agones-lint schema --catalog`: found through its kubernetesCRDStore (the CRDs-catalog
layout, group/kind_version.json) and through a `$schema` modeline.

Run by .ci/test-editor.sh, which writes the catalog to $AGONES_CATALOG and installs the
server (npm) at $YAML_LANGUAGE_SERVER.
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CATALOG = pathlib.Path(os.environ["AGONES_CATALOG"])
SERVER = os.environ["YAML_LANGUAGE_SERVER"]

BROKEN_FLEET = """\
apiVersion: agones.dev/v1
kind: Fleet
metadata:
  name: lobby
spec:
  replicas: two
  scheduling: packed
  template:
    spec:
      ports:
        - name: default
          containerPort: 7654
          portPolcy: Dynamic
      template:
        spec:
          containers:
            - name: lobby
              image: example/lobby:1.0
"""

BROKEN_AUTOSCALER = """\
apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata:
  name: lobby
spec:
  fleetName: lobby
  policy:
    type: Buffer
    buffer:
      bufferSise: 5
      maxReplicas: 20
"""

GOOD_ALLOCATION = """\
apiVersion: allocation.agones.dev/v1
kind: GameServerAllocation
spec:
  selectors:
    - matchLabels:
        agones.dev/fleet: lobby
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=["node", SERVER, "--stdio"]),
)
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        return None

    lsp_client.set_configuration(
        {
            "validate": True,
            "hover": True,
            "completion": True,
            # Every file is a Kubernetes manifest; a custom resource's schema then comes from
            # the CRD store, which is the catalog written here.
            "schemas": {"kubernetes": "*.yaml"},
            "kubernetesCRDStore": {"enable": True, "url": CATALOG.as_uri()},
            "schemaStore": {"enable": False},
        },
        section="yaml",
    )
    capabilities = client_capabilities("visual-studio-code")
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities, root_uri=CATALOG.as_uri())
    )
    lsp_client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"yaml": lsp_client.get_configuration(section="yaml")}
        )
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(client: LanguageClient, name: str, text: str):
    uri = (CATALOG.parent / name).as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=text
            )
        )
    )
    # The first diagnostics can come before the schema is loaded; wait until they settle.
    for _ in range(40):
        await asyncio.sleep(0.25)
        found = client.diagnostics.get(uri)
        if found:
            await asyncio.sleep(0.5)
            return uri, client.diagnostics.get(uri)
    return uri, client.diagnostics.get(uri, [])


def messages(diags):
    return [(d.range.start.line, d.message) for d in diags]


@pytest.mark.asyncio(loop_scope="function")
async def test_the_crd_store_finds_the_catalog_schemas(client: LanguageClient):
    _, diags = await diagnostics_for(client, "fleet.yaml", BROKEN_FLEET)
    lines = {d.range.start.line for d in diags}
    # replicas: two (a string), scheduling: packed (not in the enum), portPolcy (unknown)
    assert {5, 6, 12} <= lines, messages(diags)
    _, diags = await diagnostics_for(client, "fleetautoscaler.yaml", BROKEN_AUTOSCALER)
    assert any(d.range.start.line == 9 for d in diags), messages(diags)
    _, diags = await diagnostics_for(client, "allocation.yaml", GOOD_ALLOCATION)
    assert list(diags) == [], messages(diags)


@pytest.mark.asyncio(loop_scope="function")
async def test_a_modeline_names_a_catalog_schema(client: LanguageClient):
    schema = CATALOG / "autoscaling.agones.dev" / "fleetautoscaler_v1.json"
    text = f"# yaml-language-server: $schema={schema.as_uri()}\n" + BROKEN_AUTOSCALER
    _, diags = await diagnostics_for(client, "modeline.yml", text)
    assert any(d.range.start.line == 10 for d in diags), messages(diags)


@pytest.mark.asyncio(loop_scope="function")
async def test_hover_shows_the_field_description(client: LanguageClient):
    uri, _ = await diagnostics_for(client, "hover.yaml", BROKEN_AUTOSCALER)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=10, character=8),  # maxReplicas
        )
    )
    assert hover is not None
    text = hover.contents.value if hasattr(hover.contents, "value") else str(hover.contents)
    assert "never goes above" in text, text
