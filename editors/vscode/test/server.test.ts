// The real tbls server over stdio, driven by the protocol libraries that
// vscode-languageclient itself uses (vscode-jsonrpc and
// vscode-languageserver-protocol), as VS Code would drive it: initialize,
// diagnostics on a Go schema file and on a .pipe file, scope completion in
// both, a quick fix applied and re-diagnosed, and a clean shutdown.
//
// The server is built from this repository (go build ./cmd/tbls), or taken
// from $TBLS_PATH.

import { strict as assert } from 'node:assert';
import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import {
	CodeAction,
	CodeActionRequest,
	CodeActionResolveRequest,
	Command,
	CompletionItem,
	CompletionList,
	CompletionRequest,
	Diagnostic,
	DidChangeTextDocumentNotification,
	DidOpenTextDocumentNotification,
	ExitNotification,
	InitializedNotification,
	InitializeRequest,
	InitializeResult,
	Position,
	ProtocolConnection,
	PublishDiagnosticsNotification,
	PublishDiagnosticsParams,
	Range,
	ShutdownRequest,
	TextDocumentContentChangeEvent,
	TextDocumentSyncKind,
	TextEdit,
	WorkspaceEdit,
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

import { repoRoot } from './paths';

// How long to wait for the server before failing with what it has said so
// far. A guard against a hang, not a performance assertion: the first
// diagnostics wait for go/packages to load the module.
const waitMs = 120_000;

const goMod = `module example.com/schema

go 1.26

require github.com/tbls-dev/tbls v0.0.0

replace github.com/tbls-dev/tbls => ${repoRoot}
`;

const goSource = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1 AS n"}},
	Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt64())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},
})
`;

const pipeSource = `DESCRIPTION >
    Top events

NODE top
SQL >
    SELECT event, count() AS n FROM events GROUP BY event

TYPE endpoint

TOKEN app_read APPEND
`;

/** Doc is an open document as the client sees it. */
interface Doc {
	uri: string;
	languageId: string;
	version: number;
	text: string;
}

let dir: string;
let server: ChildProcessWithoutNullStreams;
let exited: Promise<number | null>;
let conn: ProtocolConnection;
let init: InitializeResult;
let stderr = '';
const published = new Map<string, PublishDiagnosticsParams[]>();
const listeners = new Set<() => void>();
let goDoc: Doc;
let pipeDoc: Doc;

function offsetAt(text: string, pos: Position): number {
	let line = 0;
	let off = 0;
	while (line < pos.line) {
		const nl = text.indexOf('\n', off);
		assert.ok(nl >= 0, `position ${JSON.stringify(pos)} is past the end of the text`);
		off = nl + 1;
		line++;
	}
	return off + pos.character; // JS strings index UTF-16 code units, as LSP positions do by default
}

function positionAt(text: string, offset: number): Position {
	const before = text.slice(0, offset);
	const line = before.split('\n').length - 1;
	return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** positionAfter returns the position just after the first match of needle. */
function positionAfter(text: string, needle: string): Position {
	const i = text.indexOf(needle);
	assert.ok(i >= 0, `${JSON.stringify(needle)} not in the text`);
	return positionAt(text, i + needle.length);
}

function textOf(doc: Doc, r: Range): string {
	return doc.text.slice(offsetAt(doc.text, r.start), offsetAt(doc.text, r.end));
}

function codes(p: PublishDiagnosticsParams): string[] {
	return p.diagnostics.map((d) => String(d.code)).sort();
}

function serverLog(): string {
	return stderr.length > 4000 ? '…' + stderr.slice(-4000) : stderr;
}

/**
 * waitForDiagnostics resolves with the first publication for uri, from the
 * from-th on, that satisfies ok. It fails after waitMs, listing what the
 * server did publish and the end of its log.
 */
function waitForDiagnostics(
	uri: string,
	from: number,
	what: string,
	ok: (p: PublishDiagnosticsParams) => boolean,
): Promise<PublishDiagnosticsParams> {
	return new Promise((resolve, reject) => {
		const check = (): boolean => {
			const list = published.get(uri) ?? [];
			const hit = list.slice(from).find(ok);
			if (hit) {
				listeners.delete(check);
				clearTimeout(timer);
				resolve(hit);
				return true;
			}
			return false;
		};
		const timer = setTimeout(() => {
			listeners.delete(check);
			const got = (published.get(uri) ?? []).slice(from).map((p) => `v${p.version ?? '?'}: [${codes(p).join(', ')}]`);
			reject(new Error(`no diagnostics for ${uri} with ${what} within ${waitMs / 1000}s; published: ${got.join('; ') || 'nothing'}\nserver log:\n${serverLog()}`));
		}, waitMs);
		if (!check()) {
			listeners.add(check);
		}
	});
}

/**
 * guard fails with what, the server's log included, when p has not settled
 * within waitMs, so that a server that never answers fails the test instead
 * of hanging it.
 */
function guard<T>(p: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${waitMs / 1000}s\nserver log:\n${serverLog()}`)), waitMs);
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function open(file: string, languageId: string, text: string): Doc {
	writeFileSync(file, text);
	const doc: Doc = { uri: pathToFileURL(file).href, languageId, version: 1, text };
	void conn.sendNotification(DidOpenTextDocumentNotification.type, {
		textDocument: { uri: doc.uri, languageId, version: 1, text },
	});
	return doc;
}

function labels(r: CompletionItem[] | CompletionList | null): string[] {
	const items = r === null ? [] : Array.isArray(r) ? r : r.items;
	return items.map((i) => i.label).sort();
}

function syncKind(): TextDocumentSyncKind {
	const s = init.capabilities.textDocumentSync;
	if (typeof s === 'number') {
		return s;
	}
	return s?.change ?? TextDocumentSyncKind.None;
}

/** editsFor returns the edits a WorkspaceEdit makes to uri, and fails if it
 * touches any other document. */
function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
	const out: TextEdit[] = [];
	for (const [u, edits] of Object.entries(edit.changes ?? {})) {
		assert.equal(u, uri, 'the fix edits another document');
		out.push(...edits);
	}
	for (const c of edit.documentChanges ?? []) {
		assert.ok('textDocument' in c && 'edits' in c, `the fix makes a file operation: ${JSON.stringify(c)}`);
		assert.equal(c.textDocument.uri, uri, 'the fix edits another document');
		for (const e of c.edits) {
			assert.ok('range' in e && 'newText' in e);
			out.push({ range: e.range, newText: e.newText });
		}
	}
	return out;
}

/**
 * applyFix asks for the code actions of diag, picks its quick fix (the
 * preferred one when several; never a "suppress" action), applies its edit to
 * doc, sends the change as the client would, and returns the number of
 * publications for doc before the change.
 */
async function applyFix(doc: Doc, diag: Diagnostic): Promise<number> {
	const actions = await guard(
		conn.sendRequest(CodeActionRequest.type, {
			textDocument: { uri: doc.uri },
			range: diag.range,
			context: { diagnostics: [diag], only: ['quickfix'] },
		}),
		'textDocument/codeAction',
	);
	assert.ok(actions, 'no code actions');
	const fixes = actions.filter(
		(a): a is CodeAction =>
			!Command.is(a) &&
			(a.kind === 'quickfix' || (a.kind?.startsWith('quickfix.') ?? false)) &&
			!/suppress|ignore/i.test(a.title),
	);
	assert.ok(fixes.length > 0, `no quick fix among: ${JSON.stringify(actions.map((a) => a.title))}`);
	for (const f of fixes) {
		if (f.diagnostics !== undefined) {
			assert.ok(f.diagnostics.some((d) => String(d.code) === String(diag.code)), `quick fix "${f.title}" is not attached to ${diag.code}`);
		}
	}
	let fix = fixes.find((f) => f.isPreferred) ?? fixes[0];
	if (fix.edit === undefined && init.capabilities.codeActionProvider !== undefined && typeof init.capabilities.codeActionProvider === 'object' && init.capabilities.codeActionProvider.resolveProvider) {
		fix = await guard(conn.sendRequest(CodeActionResolveRequest.type, fix), 'codeAction/resolve');
	}
	assert.ok(fix.edit, `quick fix "${fix.title}" has no edit`);

	const edits = editsFor(fix.edit, doc.uri);
	assert.ok(edits.length > 0, `quick fix "${fix.title}" edits nothing`);
	// Apply from the end so that earlier offsets stay valid; the same order
	// works as a sequence of incremental changes.
	const ordered = [...edits].sort((a, b) => offsetAt(doc.text, b.range.start) - offsetAt(doc.text, a.range.start));
	const changes: TextDocumentContentChangeEvent[] = [];
	let text = doc.text;
	for (const e of ordered) {
		changes.push({ range: e.range, text: e.newText });
		text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
	}
	const before = (published.get(doc.uri) ?? []).length;
	doc.text = text;
	doc.version++;
	await conn.sendNotification(DidChangeTextDocumentNotification.type, {
		textDocument: { uri: doc.uri, version: doc.version },
		contentChanges: syncKind() === TextDocumentSyncKind.Incremental ? changes : [{ text }],
	});
	return before;
}

function buildServer(): Promise<string> {
	if (process.env.TBLS_PATH) {
		return Promise.resolve(process.env.TBLS_PATH);
	}
	const out = path.join(dir, os.platform() === 'win32' ? 'tbls.exe' : 'tbls');
	return new Promise((resolve, reject) => {
		execFile('go', ['build', '-o', out, './cmd/tbls'], { cwd: repoRoot, maxBuffer: 16 << 20 }, (err, _stdout, errOut) => {
			if (err) {
				reject(new Error(`go build ./cmd/tbls in ${repoRoot} failed (set TBLS_PATH to use a built tbls):\n${errOut}`));
				return;
			}
			resolve(out);
		});
	});
}

describe('tbls over stdio', () => {
	before(
		async () => {
			dir = mkdtempSync(path.join(os.tmpdir(), 'tbls-vscode-'));
			const bin = await buildServer();
			const ws = path.join(dir, 'ws');
			mkdirSync(ws);
			writeFileSync(path.join(ws, 'go.mod'), goMod);

			server = spawn(bin, [], {
				cwd: ws,
				env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' },
				stdio: ['pipe', 'pipe', 'pipe'],
			});
			exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
			server.stderr.setEncoding('utf8');
			server.stderr.on('data', (s: string) => {
				stderr += s;
			});
			conn = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
			conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
				const list = published.get(p.uri) ?? [];
				list.push(p);
				published.set(p.uri, list);
				for (const l of [...listeners]) {
					l();
				}
			});
			// Answer what a server may ask of VS Code: configuration (no
			// settings for tbls), capability registration, progress, the
			// workspace folders. Anything else is answered MethodNotFound.
			conn.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
			for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest']) {
				conn.onRequest(method, () => null);
			}
			conn.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(ws).href, name: 'ws' }]);
			conn.listen();

			const wsUri = pathToFileURL(ws).href;
			init = await guard(conn.sendRequest(InitializeRequest.type, {
				processId: process.pid,
				clientInfo: { name: 'tbls-vscode-test' },
				rootUri: wsUri,
				workspaceFolders: [{ uri: wsUri, name: 'ws' }],
				capabilities: {
					general: { positionEncodings: ['utf-16'] },
					workspace: { workspaceFolders: true, configuration: true, applyEdit: true },
					textDocument: {
						synchronization: { didSave: true, dynamicRegistration: false },
						publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, relatedInformation: true },
						completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } },
						hover: { contentFormat: ['markdown', 'plaintext'] },
						codeAction: {
							isPreferredSupport: true,
							dataSupport: true,
							resolveSupport: { properties: ['edit'] },
							codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } },
						},
					},
				},
			}), 'initialize');
			await conn.sendNotification(InitializedNotification.type, {});
			goDoc = open(path.join(ws, 'schema.go'), 'go', goSource);
			pipeDoc = open(path.join(ws, 'top_events.pipe'), 'tinybird-pipe', pipeSource);
		},
		{ timeout: 10 * 60_000 },
	);

	after(() => {
		conn?.dispose();
		server?.stdin.end();
		if (server && server.exitCode === null && server.signalCode === null) {
			server.kill();
		}
		if (dir) {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('initialize advertises sync, completion, code actions and hover', () => {
		const c = init.capabilities;
		assert.notEqual(syncKind(), TextDocumentSyncKind.None, 'textDocumentSync: the server must receive changes');
		if (typeof c.textDocumentSync === 'object') {
			assert.equal(c.textDocumentSync.openClose, true, 'textDocumentSync.openClose');
		}
		assert.ok(c.completionProvider, 'completionProvider');
		assert.ok(c.codeActionProvider, 'codeActionProvider');
		if (typeof c.codeActionProvider === 'object' && c.codeActionProvider.codeActionKinds) {
			assert.ok(c.codeActionProvider.codeActionKinds.includes('quickfix'), 'codeActionKinds includes quickfix');
		}
		assert.ok(c.hoverProvider, 'hoverProvider');
	});

	it('publishes TB101 and TB201 for the Go schema file', async () => {
		const p = await waitForDiagnostics(goDoc.uri, 0, 'TB101 and TB201', (p) => codes(p).includes('TB101') && codes(p).includes('TB201'));
		assert.equal(p.version, 1);
		const tb101 = p.diagnostics.find((d) => d.code === 'TB101')!;
		const tb201 = p.diagnostics.find((d) => d.code === 'TB201')!;
		assert.match(textOf(goDoc, tb101.range), /app-read/);
		assert.match(textOf(goDoc, tb201.range), /Append/);
	});

	it('publishes TB201 for TOKEN … APPEND in a .pipe', async () => {
		const p = await waitForDiagnostics(pipeDoc.uri, 0, 'TB201', (p) => codes(p).includes('TB201'));
		assert.deepEqual(codes(p), ['TB201']);
		assert.equal(textOf(pipeDoc, p.diagnostics[0].range), 'APPEND');
	});

	it('completes only READ after TOKEN <name> in a .pipe', async () => {
		const r = await guard(
			conn.sendRequest(CompletionRequest.type, {
				textDocument: { uri: pipeDoc.uri },
				position: positionAfter(pipeDoc.text, 'TOKEN app_read '),
			}),
			'textDocument/completion',
		);
		assert.deepEqual(labels(r), ['READ']);
	});

	it('completes only Read at Scope: tinybird. on an endpoint', async () => {
		const r = await guard(
			conn.sendRequest(CompletionRequest.type, {
				textDocument: { uri: goDoc.uri },
				position: positionAfter(goDoc.text, 'Scope: tinybird.'),
			}),
			'textDocument/completion',
		);
		assert.deepEqual(labels(r), ['Read']);
	});

	it('applies the quick fix for TB201 in the .pipe, which clears the diagnostic', async () => {
		const p = await waitForDiagnostics(pipeDoc.uri, 0, 'TB201', (p) => codes(p).includes('TB201'));
		const from = await applyFix(pipeDoc, p.diagnostics.find((d) => d.code === 'TB201')!);
		assert.match(pipeDoc.text, /^TOKEN app_read READ$/m);
		const after = await waitForDiagnostics(pipeDoc.uri, from, `version ${pipeDoc.version}`, (p) => p.version === pipeDoc.version);
		assert.deepEqual(codes(after), [], 'the fixed .pipe has no diagnostics');
	});

	it('applies the quick fix for TB201 in the Go file, which clears that diagnostic', async () => {
		const p = await waitForDiagnostics(goDoc.uri, 0, 'TB201', (p) => codes(p).includes('TB201'));
		const from = await applyFix(goDoc, p.diagnostics.find((d) => d.code === 'TB201')!);
		assert.match(goDoc.text, /Scope: tinybird\.Read\b/);
		const after = await waitForDiagnostics(goDoc.uri, from, `version ${goDoc.version}`, (p) => p.version === goDoc.version);
		assert.deepEqual(codes(after), ['TB101'], 'TB201 is fixed; the bad token name remains');
	});

	it('shuts down and exits with code 0', async () => {
		await guard(conn.sendRequest(ShutdownRequest.type), 'shutdown');
		await conn.sendNotification(ExitNotification.type);
		// The specification: on exit the server exits, code 0 after shutdown.
		// stdin stays open, as it does under VS Code until the client gives
		// up and kills the process; a server must not wait for it to close.
		const code = await guard(exited, 'tbls did not exit after the exit notification (its stdin still open)');
		assert.equal(code, 0, `server log:\n${serverLog()}`);
	});
});
