// The tbls extension: finds the tbls binary and runs it as a language server
// for Go files and Tinybird datafiles. The server does all the work
// (diagnostics, completion, code actions, hover); this file only starts,
// restarts and stops it.

import * as os from 'node:os';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
	CloseAction,
	CloseHandlerResult,
	DidChangeConfigurationNotification,
	DocumentSelector,
	ErrorAction,
	ErrorHandler,
	ErrorHandlerResult,
	LanguageClient,
	LanguageClientOptions,
	ServerOptions,
	TransportKind,
} from 'vscode-languageclient/node';

import { findBinary, goEnv, isExecutable, NotFound } from './binary';
import {
	Command,
	CrashWindowMs,
	DatafilePatterns,
	InstallCommand,
	Language,
	MaxRestarts,
	Section,
	serverSettings,
	ServerSettings,
	Setting,
	StopTimeoutMs,
} from './config';
import { CrashCounter } from './crash';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let trace: TraceChannel | undefined;
// Serialises start/stop: configuration changes and the restart command can
// arrive while a previous start or stop is still running.
let queue: Promise<void> = Promise.resolve();
const crashes = new CrashCounter(MaxRestarts, CrashWindowMs);

/** activate is called by VS Code on the first Go or datafile document. */
export function activate(context: vscode.ExtensionContext): void {
	output = vscode.window.createOutputChannel('tbls', { log: true });
	trace = new TraceChannel(vscode.window.createOutputChannel('tbls (trace)'), traceSetting());
	context.subscriptions.push(
		output,
		trace,
		vscode.commands.registerCommand(Command.restart, () => {
			// A restart asked for by the user starts a fresh crash count.
			crashes.reset();
			return enqueue(async () => {
				await stop();
				await start();
			});
		}),
		vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration(`${Section}.${Setting.traceServer}`)) {
				trace?.setLevel(traceSetting());
			}
			if (
				e.affectsConfiguration(`${Section}.${Setting.checks}`) ||
				e.affectsConfiguration(`${Section}.${Setting.configFiles}`)
			) {
				// The server applies new settings without a restart.
				const c = client;
				if (c?.isRunning()) {
					void c
						.sendNotification(DidChangeConfigurationNotification.type, { settings: currentServerSettings() })
						.catch((err) => output?.warn(`sending the settings to tbls: ${String(err)}`));
				}
			}
			if (
				e.affectsConfiguration(`${Section}.${Setting.enable}`) ||
				e.affectsConfiguration(`${Section}.${Setting.path}`) ||
				e.affectsConfiguration(`${Section}.${Setting.serverArgs}`)
			) {
				crashes.reset();
				void enqueue(async () => {
					await stop();
					await start();
				});
			}
		}),
	);
	void enqueue(start);
}

/** deactivate stops the server, waiting at most StopTimeoutMs for it. */
export function deactivate(): Thenable<void> {
	return enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
	queue = queue.then(step, step);
	return queue;
}

function settings(): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration(Section);
}

/** currentServerSettings reads the settings the server takes. */
function currentServerSettings(): ServerSettings {
	return serverSettings(settings().get<string>(Setting.checks, ''), settings().get<boolean>(Setting.configFiles, true));
}

function traceSetting(): string {
	return settings().get<string>(Setting.traceServer, 'off');
}

/** start starts the server unless tbls.enable is false or it is running. */
async function start(): Promise<void> {
	if (client !== undefined) {
		return;
	}
	if (!settings().get<boolean>(Setting.enable, true)) {
		output?.info(`${Section}.${Setting.enable} is false: the tbls language server is not started.`);
		return;
	}
	const found = await findBinary({
		configured: settings().get<string>(Setting.path, ''),
		workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
		env: process.env,
		platform: process.platform,
		homedir: os.homedir(),
		isExecutable,
		goEnv: () => goEnv(),
	});
	if (found.path === undefined) {
		reportMissing(found);
		return;
	}
	output?.info(`Starting ${found.path} (found via ${found.source}): ${await version(found.path)}`);

	// tbls.serverArgs go to tbls as they are (-logfile PATH, -rpc.trace,
	// serve): the server's flags go before or after serve.
	const args = settings().get<string[]>(Setting.serverArgs, []).filter((a) => typeof a === 'string');
	if (args.length > 0) {
		output?.info(`Arguments from ${Section}.${Setting.serverArgs}: ${JSON.stringify(args)}`);
	}
	const serverOptions: ServerOptions = {
		command: found.path,
		args,
		transport: TransportKind.stdio,
	};
	const documentSelector: DocumentSelector = [
		{ scheme: 'file', language: 'go' },
		{ scheme: 'file', language: Language.datasource },
		{ scheme: 'file', language: Language.pipe },
		...DatafilePatterns.map((pattern) => ({ scheme: 'file', pattern })),
	];
	const clientOptions: LanguageClientOptions = {
		documentSelector,
		initializationOptions: currentServerSettings(),
		outputChannel: output,
		traceOutputChannel: trace,
		errorHandler: new CrashHandler(),
	};
	// The id must be Section: the client reads `${id}.trace.server` itself.
	const c = new LanguageClient(Section, 'tbls', serverOptions, clientOptions);
	client = c;
	try {
		await c.start();
	} catch (err) {
		client = undefined;
		output?.error(`tbls failed to start: ${String(err)}`);
		void showError(`tbls failed to start: ${String(err)}. See the tbls output for details.`);
	}
}

/** stop stops the server, if running, waiting at most StopTimeoutMs. */
async function stop(): Promise<void> {
	const c = client;
	client = undefined;
	if (c === undefined) {
		return;
	}
	try {
		if (c.needsStop()) {
			await c.stop(StopTimeoutMs);
		}
	} catch (err) {
		// A server that does not answer shutdown in time is killed by the
		// client; that is not worth more than a log line.
		output?.warn(`stopping tbls: ${String(err)}`);
	}
	await c.dispose(StopTimeoutMs).catch(() => undefined);
}

/** version returns the first line of `tbls version`, for the log. */
function version(bin: string): Promise<string> {
	return new Promise((resolve) => {
		execFile(bin, ['version'], { timeout: 10_000 }, (err, stdout, stderr) => {
			if (err) {
				resolve(`(tbls version failed: ${err.message.trim()})`);
				return;
			}
			resolve((stdout || stderr).split('\n')[0].trim());
		});
	});
}

/**
 * reportMissing explains that no binary was found and offers to run the
 * install command in a terminal, to copy it, or to set tbls.path.
 */
function reportMissing(nf: NotFound): void {
	const runInstall = 'Run go install';
	const copy = 'Copy Command';
	const openSettings = 'Open Settings';
	let msg: string;
	if (nf.badSetting !== undefined) {
		msg = `tbls: ${Section}.${Setting.path} is "${nf.badSetting}", which is not an executable file. Fix the setting, or clear it and install tbls with: ${InstallCommand}`;
	} else {
		msg = `tbls: the tbls language server was not found on PATH, in GOBIN or in GOPATH/bin. Install it with: ${InstallCommand}`;
	}
	output?.error(`${msg}\nLooked for: ${nf.tried.join(', ') || '(nothing)'}`);
	void vscode.window.showErrorMessage(msg, runInstall, copy, openSettings).then(async (choice) => {
		switch (choice) {
			case runInstall: {
				const term = vscode.window.createTerminal({ name: 'tbls: go install' });
				term.show();
				term.sendText(InstallCommand);
				const restart = 'Restart tbls';
				const next = await vscode.window.showInformationMessage(
					`When "${InstallCommand}" has finished in the terminal, restart tbls.`,
					restart,
				);
				if (next === restart) {
					await vscode.commands.executeCommand(Command.restart);
				}
				break;
			}
			case copy:
				await vscode.env.clipboard.writeText(InstallCommand);
				break;
			case openSettings:
				await vscode.commands.executeCommand('workbench.action.openSettings', `${Section}.${Setting.path}`);
				break;
		}
	});
}

async function showError(msg: string): Promise<void> {
	const show = 'Show Output';
	if ((await vscode.window.showErrorMessage(msg, show)) === show) {
		output?.show();
	}
}

/**
 * CrashHandler restarts a server that exits unexpectedly, at most MaxRestarts
 * times within CrashWindowMs, then leaves it stopped and says so: a server
 * that crashes on start would otherwise be restarted in a loop.
 */
class CrashHandler implements ErrorHandler {
	error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
		// Transient write/read errors: keep going unless they pile up; the
		// connection then closes and closed() decides about a restart.
		return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
	}

	closed(): CloseHandlerResult {
		if (crashes.crashed(Date.now())) {
			output?.warn(`tbls exited unexpectedly; restarting (${crashes.count} of ${MaxRestarts} within ${CrashWindowMs / 60000} minutes).`);
			return { action: CloseAction.Restart, handled: true };
		}
		const msg = `tbls crashed ${crashes.count} times in ${CrashWindowMs / 60000} minutes and will not be restarted. See the tbls output, then run "tbls: Restart Language Server".`;
		output?.error(msg);
		void showError(msg);
		return { action: CloseAction.DoNotRestart, handled: true };
	}
}

/**
 * TraceChannel is the trace output of the language client, gated by
 * tbls.trace.server. vscode-languageclient 11 traces only while its trace
 * channel's log level is Trace, and reads trace.server just to pick messages
 * or verbose. This channel reports level Trace exactly when the setting is
 * not "off", so the setting alone turns tracing on and off, as its
 * description says, and it writes into a plain output channel so the lines
 * show whatever the global log level is.
 */
class TraceChannel implements vscode.LogOutputChannel {
	private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
	readonly onDidChangeLogLevel = this.changed.event;
	private level: vscode.LogLevel;

	constructor(
		private readonly out: vscode.OutputChannel,
		setting: string,
	) {
		this.level = TraceChannel.levelOf(setting);
	}

	private static levelOf(setting: string): vscode.LogLevel {
		return setting === 'messages' || setting === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Off;
	}

	/** setLevel follows a change of tbls.trace.server. */
	setLevel(setting: string): void {
		const level = TraceChannel.levelOf(setting);
		if (level !== this.level) {
			this.level = level;
			this.changed.fire(level);
		}
	}

	get logLevel(): vscode.LogLevel {
		return this.level;
	}
	get name(): string {
		return this.out.name;
	}
	private line(kind: string, message: string | Error, args: unknown[]): void {
		const text = message instanceof Error ? (message.stack ?? message.message) : message;
		const extra = args.length > 0 ? ' ' + args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : '';
		this.out.appendLine(`[${new Date().toISOString()}] [${kind}] ${text}${extra}`);
	}
	trace(message: string, ...args: unknown[]): void {
		this.line('trace', message, args);
	}
	debug(message: string, ...args: unknown[]): void {
		this.line('debug', message, args);
	}
	info(message: string, ...args: unknown[]): void {
		this.line('info', message, args);
	}
	warn(message: string, ...args: unknown[]): void {
		this.line('warn', message, args);
	}
	error(error: string | Error, ...args: unknown[]): void {
		this.line('error', error, args);
	}
	append(value: string): void {
		this.out.append(value);
	}
	appendLine(value: string): void {
		this.out.appendLine(value);
	}
	replace(value: string): void {
		this.out.replace(value);
	}
	clear(): void {
		this.out.clear();
	}
	show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
		if (typeof columnOrPreserveFocus === 'boolean') {
			this.out.show(columnOrPreserveFocus);
		} else {
			this.out.show(columnOrPreserveFocus, preserveFocus);
		}
	}
	hide(): void {
		this.out.hide();
	}
	dispose(): void {
		this.changed.dispose();
		this.out.dispose();
	}
}
