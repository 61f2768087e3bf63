// Names shared by package.json and the extension. The manifest test checks
// that package.json declares exactly these and that extension.ts uses every
// one of them, so a setting or command cannot be declared and forgotten (or
// used and never declared). This module must not import 'vscode': the tests
// load it under plain Node.

/** Section is the configuration section and the language client's id. The
 * client reads `<Section>.trace.server` itself, so the two must agree. */
export const Section = 'tbls';

/** Setting names, relative to Section. */
export const Setting = {
	enable: 'enable',
	path: 'path',
	serverArgs: 'serverArgs',
	checks: 'checks',
	configFiles: 'configFiles',
	traceServer: 'trace.server',
} as const;

/** ServerSettings is what the server reads from initializationOptions and
 * workspace/didChangeConfiguration (Go: lsp.ParseSettings): the checks to
 * show, in tbvet's -checks syntax, and whether tbls.conf files are read. */
export interface ServerSettings {
	tbls: { checks: string; configFiles: boolean };
}

/** serverSettings builds the settings object sent to the server. */
export function serverSettings(checks: string, configFiles: boolean): ServerSettings {
	return { tbls: { checks: checks.trim(), configFiles } };
}

/** GrammarScope is the datafile grammar's scope name. It is tbls's own:
 * Tinybird's extension registers source.tinybird, and two grammars with one
 * scope name collide when both extensions are installed. */
export const GrammarScope = 'source.tbls.datafile';

/** Command ids. */
export const Command = {
	restart: 'tbls.restart',
} as const;

/** The language ids this extension contributes for Tinybird datafiles. */
export const Language = {
	datasource: 'tinybird-datasource',
	pipe: 'tinybird-pipe',
} as const;

/** File patterns of Tinybird datafiles. The client selects documents by
 * pattern as well as by language, so datafiles reach the server whether this
 * extension's languages or another extension's (Tinybird's own registers
 * different ids) own them. */
export const DatafilePatterns = ['**/*.datasource', '**/*.pipe'] as const;

/** Module is the Go module that provides the server. */
export const Module = 'github.com/tbls-dev/tbls';

/** InstallCommand is offered to the user when the binary is not found. */
export const InstallCommand = `go install ${Module}/cmd/tbls@latest`;

/** Binary is the server's executable name, without an extension. */
export const Binary = 'tbls';

/** Trace values accepted by Setting.traceServer, as the client reads them. */
export const TraceValues = ['off', 'messages', 'verbose'] as const;

/** StopTimeoutMs bounds how long deactivate and restart wait for the server
 * to answer shutdown before the client kills it. */
export const StopTimeoutMs = 2000;

/** Crash restart policy: after MaxRestarts crashes within CrashWindowMs, the
 * extension stops restarting the server and tells the user. */
export const MaxRestarts = 3;
export const CrashWindowMs = 3 * 60 * 1000;
