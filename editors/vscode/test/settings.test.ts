// The settings the extension hands the server, against the real tbls over
// stdio: tbls.serverArgs as the process's arguments (a log file and
// -rpc.trace, after serve), tbls.checks and tbls.configFiles as
// initializationOptions and then as workspace/didChangeConfiguration, built
// by the same serverSettings function extension.ts calls, and a tbls.conf
// change reported as VS Code's file watcher reports it.

import { strict as assert } from 'node:assert';
import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import {
	DidChangeConfigurationNotification,
	DidChangeWatchedFilesNotification,
	DidOpenTextDocumentNotification,
	ExitNotification,
	FileChangeType,
	InitializedNotification,
	InitializeRequest,
	ProtocolConnection,
	PublishDiagnosticsNotification,
	PublishDiagnosticsParams,
	ShutdownRequest,
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

import { serverSettings } from '../src/config';
import { repoRoot } from './paths';

const waitMs = 60_000; // a guard against a hang, not a performance assertion

let dir: string;
let server: ChildProcessWithoutNullStreams;
let conn: ProtocolConnection;
let exited: Promise<number | null>;
const published: PublishDiagnosticsParams[] = [];
const listeners = new Set<() => void>();

function buildServer(): Promise<string> {
	if (process.env.TBLS_PATH) {
		return Promise.resolve(process.env.TBLS_PATH);
	}
	const out = path.join(dir, 'tbls');
	return new Promise((resolve, reject) => {
		execFile('go', ['build', '-o', out, './cmd/tbls'], { cwd: repoRoot, maxBuffer: 16 << 20 }, (err, _o, errOut) =>
			err ? reject(new Error(`go build ./cmd/tbls failed:\n${errOut}`)) : resolve(out),
		);
	});
}

/** waitCodes waits for a publication whose codes are exactly want. */
function waitCodes(what: string, want: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const check = (): boolean => {
			const last = published[published.length - 1];
			if (last && JSON.stringify(last.diagnostics.map((d) => String(d.code)).sort()) === JSON.stringify(want)) {
				listeners.delete(check);
				clearTimeout(timer);
				resolve();
				return true;
			}
			return false;
		};
		const timer = setTimeout(() => {
			listeners.delete(check);
			reject(new Error(`${what}: no publication of [${want.join(', ')}]; got ${JSON.stringify(published.map((p) => p.diagnostics.map((d) => d.code)))}`));
		}, waitMs);
		if (!check()) {
			listeners.add(check);
		}
	});
}

describe('settings sent by the extension', () => {
	let log: string;
	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'tbls-vscode-settings-'));
		const bin = await buildServer();
		log = path.join(dir, 'tbls.log');
		// What start() passes: tbls.serverArgs, as they are.
		const serverArgs = ['serve', '-logfile', log, '-rpc.trace'];
		server = spawn(bin, serverArgs, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
		exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
		conn = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
		conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
			published.push(p);
			for (const l of [...listeners]) {
				l();
			}
		});
		conn.listen();
		await conn.sendRequest(InitializeRequest.type, {
			processId: process.pid,
			rootUri: pathToFileURL(dir).href,
			capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
			// What start() sends with tbls.checks = "inherit,-TB201".
			initializationOptions: serverSettings(' inherit,-TB201 ', true),
		});
		await conn.sendNotification(InitializedNotification.type, {});
	});

	after(async () => {
		await conn.sendRequest(ShutdownRequest.type);
		await conn.sendNotification(ExitNotification.type);
		assert.equal(await exited, 0);
		conn.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('applies tbls.checks from initializationOptions, then from didChangeConfiguration, and tbls.conf changes', async () => {
		const file = path.join(dir, 'top_events.pipe');
		const text = 'NODE n\nSQL >\n    SELECT 1\n\nTYPE endpoint\nTOKEN app-read APPEND\n';
		writeFileSync(file, text);
		await conn.sendNotification(DidOpenTextDocumentNotification.type, {
			textDocument: { uri: pathToFileURL(file).href, languageId: 'tinybird-pipe', version: 1, text },
		});
		await waitCodes('TB201 hidden by initializationOptions', ['TB101']);

		// What the extension sends when tbls.checks is cleared.
		await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings('', true) });
		await waitCodes('TB201 back after didChangeConfiguration', ['TB101', 'TB201']);

		const conf = path.join(dir, 'tbls.conf');
		writeFileSync(conf, 'checks = ["inherit", "-TB101"]\n');
		await conn.sendNotification(DidChangeWatchedFilesNotification.type, {
			changes: [{ uri: pathToFileURL(conf).href, type: FileChangeType.Created }],
		});
		await waitCodes('TB101 hidden by the new tbls.conf', ['TB201']);

		await conn.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings('', false) });
		await waitCodes('tbls.conf ignored with tbls.configFiles false', ['TB101', 'TB201']);
	});

	it('passes tbls.serverArgs to tbls: the log and its trace are in the -logfile', () => {
		const text = readFileSync(log, 'utf8');
		assert.match(text, /msg=rpc dir=received kind=request method=initialize/);
		assert.match(text, /msg=rpc dir=received kind=notification method=workspace\/didChangeConfiguration/);
	});
});
