// Navigation through the real tbls server over stdio, driven by the
// protocol library vscode-languageclient uses (vscode-languageserver-
// protocol), on a workspace mixing a Go schema and datafiles: definition,
// references, prepareRename and rename (applied, files renamed, and renamed
// back to the original texts), document and workspace symbols, code lenses,
// semantic tokens, and the unknown-reference check TB710.
//
// The server is built from this repository (go build ./cmd/tbls), or taken
// from $TBLS_PATH.

import { strict as assert } from 'node:assert';
import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import {
	CodeLensRequest,
	DefinitionRequest,
	DidChangeTextDocumentNotification,
	DidCloseTextDocumentNotification,
	DidOpenTextDocumentNotification,
	DocumentSymbol,
	DocumentSymbolRequest,
	InitializedNotification,
	InitializeRequest,
	InitializeResult,
	Location,
	LocationLink,
	Position,
	PrepareRenameRequest,
	ProtocolConnection,
	PublishDiagnosticsNotification,
	PublishDiagnosticsParams,
	ReferencesRequest,
	RenameRequest,
	SemanticTokensRequest,
	SymbolInformation,
	TextEdit,
	WorkspaceEdit,
	WorkspaceSymbolRequest,
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

import { repoRoot } from './paths';

// A guard against a hang, not a performance assertion.
const waitMs = 120_000;

const goMod = `module example.com/nav

go 1.26

require github.com/tbls-dev/tbls v0.0.0

replace github.com/tbls-dev/tbls => ${repoRoot}
`;

const files: Record<string, string> = {
	'schema.go': `package nav

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app_read")

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("id", tinybird.String())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})

var Top = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "top", SQL: \`SELECT * FROM events JOIN users USING id\`}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})
`,
	'datafiles/users.datasource': 'SCHEMA >\n    `id` String\n\nTOKEN app_read READ\n',
	'datafiles/report.pipe': 'NODE base\nSQL >\n    SELECT * FROM events\n\nNODE r\nSQL >\n    SELECT * FROM base JOIN users USING id\n\nTYPE endpoint\nTOKEN app_read READ\n',
	'datafiles/typo.pipe': 'NODE t\nSQL >\n    SELECT * FROM evnets\n',
};

interface Doc {
	uri: string;
	version: number;
	text: string;
}

let dir: string;
let ws: string;
let server: ChildProcessWithoutNullStreams;
let conn: ProtocolConnection;
let init: InitializeResult;
let stderr = '';
const docs = new Map<string, Doc>(); // by file name relative to ws
const published = new Map<string, PublishDiagnosticsParams[]>();
const listeners = new Set<() => void>();

function serverLog(): string {
	return stderr.length > 4000 ? '…' + stderr.slice(-4000) : stderr;
}

function guard<T>(p: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${waitMs / 1000}s\nserver log:\n${serverLog()}`)), waitMs);
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function offsetAt(text: string, pos: Position): number {
	const lines = text.split('\n');
	let off = 0;
	for (let i = 0; i < pos.line; i++) {
		off += lines[i].length + 1;
	}
	return off + pos.character;
}

function positionAt(text: string, offset: number): Position {
	const before = text.slice(0, offset);
	const line = before.split('\n').length - 1;
	return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** at returns the position delta code units into the first match of needle in the file name. */
function at(name: string, needle: string, delta = 1): Position {
	const text = docs.get(name)!.text;
	const i = text.indexOf(needle);
	assert.ok(i >= 0, `${JSON.stringify(needle)} not in ${name}`);
	return positionAt(text, i + delta);
}

function rel(uri: string): string {
	return path.relative(ws, fileURLToPath(uri)).split(path.sep).join('/');
}

/** where describes locations as "file:line:character" (1-based line), sorted. */
function where(locs: Location[]): string[] {
	return locs.map((l) => `${rel(l.uri)}:${l.range.start.line + 1}:${l.range.start.character}`).sort();
}

function asLocations(r: Location | Location[] | LocationLink[] | null): Location[] {
	if (r === null) {
		return [];
	}
	const list = Array.isArray(r) ? r : [r];
	return list.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
}

function open(name: string): void {
	const doc: Doc = { uri: pathToFileURL(path.join(ws, name)).href, version: 1, text: readFileSync(path.join(ws, name), 'utf8') };
	docs.set(name, doc);
	void conn.sendNotification(DidOpenTextDocumentNotification.type, {
		textDocument: { uri: doc.uri, languageId: name.endsWith('.go') ? 'go' : name.endsWith('.pipe') ? 'tinybird-pipe' : 'tinybird-datasource', version: 1, text: doc.text },
	});
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
	const spans = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
	spans.sort((a, b) => b.start - a.start);
	for (const s of spans) {
		text = text.slice(0, s.start) + s.newText + text.slice(s.end);
	}
	return text;
}

/**
 * applyWorkspaceEdit applies edit as VS Code does: text edits to the open
 * documents (checking their versions), then file renames on disk, each
 * followed by the notifications VS Code sends.
 */
function applyWorkspaceEdit(edit: WorkspaceEdit): void {
	assert.ok(edit.documentChanges, 'the rename uses documentChanges');
	for (const c of edit.documentChanges) {
		if ('kind' in c) {
			assert.equal(c.kind, 'rename', `unexpected file operation ${JSON.stringify(c)}`);
			const oldName = rel(c.oldUri);
			const newName = rel(c.newUri);
			const doc = docs.get(oldName)!;
			assert.ok(!existsSync(fileURLToPath(c.newUri)), `${newName} exists already`);
			renameSync(fileURLToPath(c.oldUri), fileURLToPath(c.newUri));
			void conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: doc.uri } });
			docs.delete(oldName);
			open(newName);
			continue;
		}
		const name = rel(c.textDocument.uri);
		const doc = docs.get(name)!;
		assert.equal(c.textDocument.version, doc.version, `edit of ${name} for another version`);
		const edits: TextEdit[] = [];
		for (const e of c.edits) {
			assert.ok('newText' in e, `a snippet edit: ${JSON.stringify(e)}`);
			edits.push({ range: e.range, newText: e.newText });
		}
		doc.text = applyTextEdits(doc.text, edits);
		doc.version++;
		writeFileSync(path.join(ws, name), doc.text);
		void conn.sendNotification(DidChangeTextDocumentNotification.type, {
			textDocument: { uri: doc.uri, version: doc.version },
			contentChanges: [{ text: doc.text }],
		});
	}
}

function waitForDiagnostics(uri: string, ok: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
	return new Promise((resolve, reject) => {
		const check = (): boolean => {
			const hit = (published.get(uri) ?? []).find(ok);
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
			reject(new Error(`no diagnostics for ${uri} with ${what}\nserver log:\n${serverLog()}`));
		}, waitMs);
		if (!check()) {
			listeners.add(check);
		}
	});
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

describe('tbls navigation over stdio', () => {
	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tbls-nav-'));
		const bin = await buildServer();
		ws = path.join(dir, 'ws');
		mkdirSync(path.join(ws, 'datafiles'), { recursive: true });
		writeFileSync(path.join(ws, 'go.mod'), goMod);
		for (const [name, text] of Object.entries(files)) {
			writeFileSync(path.join(ws, name), text);
		}
		server = spawn(bin, [], { cwd: ws, env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' }, stdio: ['pipe', 'pipe', 'pipe'] });
		server.stderr.setEncoding('utf8');
		server.stderr.on('data', (s: string) => {
			stderr += s;
		});
		conn = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
		conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
			published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
			for (const l of [...listeners]) {
				l();
			}
		});
		conn.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
		for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create']) {
			conn.onRequest(method, () => null);
		}
		conn.listen();
		const wsUri = pathToFileURL(ws).href;
		init = await guard(conn.sendRequest(InitializeRequest.type, {
			processId: process.pid,
			clientInfo: { name: 'tbls-vscode-nav-test' },
			rootUri: wsUri,
			workspaceFolders: [{ uri: wsUri, name: 'ws' }],
			capabilities: {
				general: { positionEncodings: ['utf-16'] },
				workspace: { workspaceFolders: true, workspaceEdit: { documentChanges: true, resourceOperations: ['rename'] }, symbol: {} },
				textDocument: {
					publishDiagnostics: { versionSupport: true },
					rename: { prepareSupport: true },
					documentSymbol: { hierarchicalDocumentSymbolSupport: true },
					semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
				},
			},
		}), 'initialize');
		await conn.sendNotification(InitializedNotification.type, {});
		for (const name of Object.keys(files)) {
			open(name);
		}
	});

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

	it('advertises the navigation features', () => {
		const c = init.capabilities;
		assert.ok(c.definitionProvider, 'definitionProvider');
		assert.ok(c.referencesProvider, 'referencesProvider');
		assert.deepEqual(c.renameProvider, { prepareProvider: true });
		assert.ok(c.documentSymbolProvider, 'documentSymbolProvider');
		assert.ok(c.workspaceSymbolProvider, 'workspaceSymbolProvider');
		assert.ok(c.codeLensProvider, 'codeLensProvider');
		assert.ok(c.semanticTokensProvider?.legend.tokenTypes.includes('keyword'), 'semanticTokensProvider');
	});

	it('goes to the definition across Go and datafiles', async () => {
		const pipe = docs.get('datafiles/report.pipe')!;
		let r = await guard(conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: pipe.uri }, position: at('datafiles/report.pipe', 'FROM events', 6) }), 'definition');
		assert.deepEqual(where(asLocations(r)), ['schema.go:7:40']);
		r = await guard(conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: docs.get('schema.go')!.uri }, position: at('schema.go', 'JOIN users', 6) }), 'definition');
		assert.deepEqual(where(asLocations(r)), ['datafiles/users.datasource:1:0']);
		r = await guard(conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: pipe.uri }, position: at('datafiles/report.pipe', 'FROM base', 6) }), 'definition');
		assert.deepEqual(where(asLocations(r)), ['datafiles/report.pipe:1:5']);
	});

	it('finds the references of a token in both languages', async () => {
		const refs = await guard(conn.sendRequest(ReferencesRequest.type, {
			textDocument: { uri: docs.get('datafiles/users.datasource')!.uri },
			position: at('datafiles/users.datasource', 'TOKEN app_read', 7),
			context: { includeDeclaration: true },
		}), 'references');
		assert.deepEqual(where(refs ?? []), ['datafiles/report.pipe:10:6', 'datafiles/users.datasource:4:6', 'schema.go:14:40', 'schema.go:5:36', 'schema.go:9:40']);
	});

	it('lists symbols, lenses and semantic tokens', async () => {
		const syms = (await guard(conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: docs.get('datafiles/report.pipe')!.uri } }), 'documentSymbol')) as DocumentSymbol[];
		assert.deepEqual(syms.map((s) => s.name), ['base', 'r']);
		const wsyms = (await guard(conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'users' }), 'workspace/symbol')) as SymbolInformation[];
		assert.deepEqual(wsyms.map((s) => `${s.name}@${rel(s.location.uri)}`), ['users@datafiles/users.datasource']);
		const lenses = await guard(conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: docs.get('schema.go')!.uri } }), 'codeLens');
		assert.equal(lenses?.[0].command?.title, 'granted on 4 resources · READ 4');
		const tokens = await guard(conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: docs.get('datafiles/report.pipe')!.uri } }), 'semanticTokens');
		const legend = init.capabilities.semanticTokensProvider!.legend.tokenTypes;
		const lines = docs.get('datafiles/report.pipe')!.text.split('\n');
		const seen: string[] = [];
		let line = 0;
		let col = 0;
		const data = tokens?.data ?? [];
		for (let i = 0; i + 4 < data.length; i += 5) {
			col = data[i] > 0 ? data[i + 1] : col + data[i + 1];
			line += data[i];
			seen.push(`${lines[line].slice(col, col + data[i + 2])}=${legend[data[i + 3]]}`);
		}
		for (const w of ['NODE=keyword', 'base=function', 'events=class', 'users=class', 'app_read=variable', 'READ=enumMember']) {
			assert.ok(seen.includes(w), `semantic tokens lack ${w}: ${seen.join(' ')}`);
		}
	});

	it('reports an unknown table with the nearest name', async () => {
		const p = await waitForDiagnostics(docs.get('datafiles/typo.pipe')!.uri, (p) => p.diagnostics.some((d) => d.code === 'TB710'), 'TB710');
		const d = p.diagnostics.find((d) => d.code === 'TB710')!;
		assert.match(typeof d.message === 'string' ? d.message : d.message.value, /Unknown table "evnets".*Did you mean "events"\?/);
	});

	it('refuses to rename a Go variable, and says why', async () => {
		await assert.rejects(
			guard(conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: docs.get('schema.go')!.uri }, position: at('schema.go', 'Token: AppRead', 9) }), 'prepareRename'),
			/gopls/,
		);
	});

	it('renames across Go, datafiles and file names, and back', async () => {
		const original = new Map([...docs].map(([name, d]) => [name, d.text]));
		const rename = async (name: string, needle: string, delta: number, newName: string): Promise<void> => {
			const doc = docs.get(name)!;
			const range = await guard(conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: doc.uri }, position: at(name, needle, delta) }), 'prepareRename');
			assert.ok(range && 'start' in range, `prepareRename at ${needle}: ${JSON.stringify(range)}`);
			const edit = await guard(conn.sendRequest(RenameRequest.type, { textDocument: { uri: doc.uri }, position: at(name, needle, delta), newName }), 'rename');
			assert.ok(edit, `rename to ${newName}: no edit`);
			applyWorkspaceEdit(edit);
		};
		await rename('datafiles/report.pipe', 'FROM events', 6, 'web_events');
		assert.match(docs.get('schema.go')!.text, /DefineDatasource\("web_events"[\s\S]*FROM web_events JOIN/);
		await rename('schema.go', '"web_events"', 2, 'events');

		await rename('datafiles/report.pipe', 'JOIN users', 6, 'people');
		assert.ok(docs.has('datafiles/people.datasource'), `users.datasource was not renamed: ${[...docs.keys()].join(' ')}`);
		assert.match(docs.get('schema.go')!.text, /JOIN people USING/);
		await rename('datafiles/report.pipe', 'JOIN people', 6, 'users');

		await rename('datafiles/report.pipe', 'TOKEN app_read', 7, 'reader');
		assert.match(docs.get('schema.go')!.text, /DefineToken\("reader"\)/);
		await rename('schema.go', '"reader"', 2, 'app_read');

		assert.deepEqual(new Map([...docs].map(([name, d]) => [name, d.text])), original);
		// A last request, answered after the notifications above are read,
		// so that none is written after the connection closes.
		await guard(conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'events' }), 'workspace/symbol');
	});
});
