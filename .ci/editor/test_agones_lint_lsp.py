"""`agones-lint lsp`, driven by a real LSP client (pytest-lsp): a broken Fleet and
FleetAutoscaler pair in a workspace, diagnostics at the right ranges, edits, code actions,
fix all, hover, latency on a 500-line manifest, memory over 1,000 edits, a clean shutdown.

Run by .ci/test-editor.sh with $AGONES_LINT pointing at the binary.
"""

import asyncio
import os
import pathlib
import statistics
import tempfile
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

BINARY = os.environ["AGONES_LINT"]
WORKSPACE = pathlib.Path(tempfile.mkdtemp(prefix="agones-lint-lsp-"))

FLEET = """\
apiVersion: agones.dev/v1
kind: Fleet
metadata:
  name: lobby
spec:
  template:
    spec:
      counters:
        rooms:
          count: 0
          capacity: 10
      ports:
        - name: default
          containerPort: 7654
      template:
        spec:
          containers:
            - name: lobby
              image: example/lobby:1.0
"""

AUTOSCALER = """\
apiVersion: autoscaling.agones.dev/v1
kind: FleetAutoscaler
metadata:
  name: lobby
spec:
  fleetName: lobby
  policy:
    type: Counter
    counter:
      key: room
      bufferSize: 5
      maxCapacity: 100
      minCapacit: 10
"""

(WORKSPACE / "fleet.yaml").write_text(FLEET)
(WORKSPACE / "autoscaler.yaml").write_text(AUTOSCALER)
(WORKSPACE / ".agones-lint.yaml").write_text("feature-gates: CountsAndLists=true\n")


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BINARY, "lsp"]),
)
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        return None

    capabilities = client_capabilities("visual-studio-code")
    folder = types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="ws")
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities, workspace_folders=[folder])
    )
    assert result.server_info.name == "agones-lint"
    yield
    await lsp_client.shutdown_session()


class Published(dict):
    """The client's diagnostics by URI, counting each publication (an empty list published
    twice is two publications)."""

    def __init__(self):
        super().__init__()
        self.count = {}

    def __setitem__(self, uri, diagnostics):
        self.count[uri] = self.count.get(uri, 0) + 1
        super().__setitem__(uri, diagnostics)


class Buffer:
    """A document as the editor holds it, sending its edits to the server."""

    def __init__(self, client: LanguageClient, name: str, text: str):
        self.client, self.text, self.version = client, text, 1
        self.uri = (WORKSPACE / name).as_uri()
        if not isinstance(client.diagnostics, Published):
            client.diagnostics = Published()
        self.seen = client.diagnostics.count.get(self.uri, 0)

    async def open(self):
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id="yaml", version=1, text=self.text
                )
            )
        )
        return await self.diagnostics()

    async def diagnostics(self, timeout=10.0):
        """The next diagnostics published for this document."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            count = self.client.diagnostics.count.get(self.uri, 0)
            if count > self.seen:
                self.seen = count
                return list(self.client.diagnostics[self.uri])
            await asyncio.sleep(0.001)
        raise AssertionError(f"no diagnostics for {self.uri} within {timeout}s")

    def position(self, needle: str, after: int = 0) -> types.Position:
        """The position (UTF-16) of `needle` in the text."""
        offset = self.text.index(needle) + after
        line = self.text.count("\n", 0, offset)
        col = offset - (self.text.rfind("\n", 0, offset) + 1)
        return types.Position(line=line, character=col)

    def replace(self, old: str, new: str):
        start = self.position(old)
        end = types.Position(line=start.line, character=start.character + len(old))
        self.text = self.text.replace(old, new, 1)
        self.send([types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=new)])

    def send(self, changes):
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=changes,
            )
        )

    def apply(self, edits):
        """Applies text edits (as an editor applies a code action) and sends the result."""
        lines = self.text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)

        def offset(p):
            return offsets[p.line] + p.character

        for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
            self.text = self.text[: offset(e.range.start)] + e.new_text + self.text[offset(e.range.end) :]
        self.send([types.TextDocumentContentChangeWholeDocument(text=self.text)])


def by_code(diags):
    return {d.code: d for d in diags}


@pytest.mark.asyncio
async def test_diagnostics_follow_edits_and_code_actions_fix_them(client: LanguageClient):
    doc = Buffer(client, "autoscaler.yaml", AUTOSCALER)
    diags = by_code(await doc.open())
    # The unknown field, and the Counter key the Fleet in the other file does not define.
    assert {"SCH001", "REF002"} <= diags.keys(), diags
    typo = diags["SCH001"].range
    assert typo.start == doc.position("minCapacit"), typo
    assert typo.end.character - typo.start.character == len("minCapacit")
    key = diags["REF002"].range
    assert key.start == doc.position("key: room"), key
    assert "rooms" in diags["REF002"].message

    # Typing the fix: the diagnostic goes, the other stays.
    doc.replace("minCapacit", "minCapacity")
    diags = by_code(await doc.diagnostics())
    assert "SCH001" not in diags and "REF002" in diags, diags

    # The quick fix of REF002, applied as the editor would.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri),
            range=diags["REF002"].range,
            context=types.CodeActionContext(diagnostics=[diags["REF002"]]),
        )
    )
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == ["use the Fleet's Counter `rooms` (REF002)"], actions
    doc.apply(quick[0].edit.changes[doc.uri])
    assert "key: rooms\n" in doc.text
    diags = by_code(await doc.diagnostics())
    assert "REF002" not in diags, diags


@pytest.mark.asyncio
async def test_fix_all_and_hover(client: LanguageClient):
    broken = AUTOSCALER.replace("key: room", "key: rooms").replace("bufferSize: 5", 'bufferSize: "5"').replace("minCapacit:", "minCapacit:")
    doc = Buffer(client, "autoscaler.yaml", broken)
    await doc.open()
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in actions] == ["source.fixAll.agones-lint"], actions
    doc.apply(actions[0].edit.changes[doc.uri])
    assert "bufferSize: 5\n" in doc.text and "minCapacity: 10" in doc.text, doc.text
    diags = await doc.diagnostics()
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error], diags

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.position("maxCapacity"))
    )
    assert "spec.policy.counter.maxCapacity" in hover.contents.value, hover


def big_fleet(lines: int) -> str:
    """A Fleet of about `lines` lines: a Pod template with many env variables."""
    head = FLEET.split("          containers:\n")[0] + "          containers:\n"
    env = "".join(f"                - name: VAR_{i}\n                  value: \"{i}\"\n" for i in range((lines - 30) // 2))
    return head + "            - name: lobby\n              image: example/lobby:1.0\n              env:\n" + env


@pytest.mark.asyncio
async def test_latency_and_memory_over_many_edits(client: LanguageClient):
    doc = Buffer(client, "big-fleet.yaml", big_fleet(500))
    assert doc.text.count("\n") >= 480
    await doc.open()
    latencies = []
    for i in range(60):
        started = time.monotonic()
        doc.replace(f'value: "{i}"', f'value: "x{i}"')
        diags = await doc.diagnostics()
        latencies.append((time.monotonic() - started) * 1000)
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error], diags
    latencies.sort()
    print(f"\n500-line Fleet, {len(latencies)} edits: diagnostics after p50 {statistics.median(latencies):.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.1f} ms, max {latencies[-1]:.1f} ms (debounce included)")

    pid = client._server.pid
    def rss_kib():
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    before = rss_kib()
    for i in range(1000):
        doc.replace("containerPort: 7654" if i % 2 == 0 else "containerPort: 7655",
                    "containerPort: 7655" if i % 2 == 0 else "containerPort: 7654")
        if i % 50 == 49:
            await doc.diagnostics()
    # Everything sent has been read once an edit after a pause is answered.
    await asyncio.sleep(0.2)
    doc.replace("name: lobby", "name: lobby2")
    await doc.diagnostics()
    after = rss_kib()
    print(f"RSS over 1,000 edits: {before} KiB -> {after} KiB")
    # Flat, not exact: allocator caches may grow a little, a leak of the text per edit would not.
    assert after - before < 16 * 1024, (before, after)


@pytest.mark.asyncio
async def test_non_agones_documents_are_left_alone(client: LanguageClient):
    doc = Buffer(client, "configmap.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n")
    assert await doc.open() == []
