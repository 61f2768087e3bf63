// The crash restart policy, apart from 'vscode' so it can be tested.

/**
 * CrashCounter decides whether a server that just exited unexpectedly should
 * be restarted: at most `max` restarts within any `windowMs` window. A server
 * that crashes on start (a bad binary, a broken workspace) would otherwise be
 * restarted forever, flooding the user with the same message.
 */
export class CrashCounter {
	private readonly crashes: number[] = [];

	constructor(
		private readonly max: number,
		private readonly windowMs: number,
	) {}

	/**
	 * crashed records a crash at time now (milliseconds) and reports whether
	 * to restart: true while this crash is among the first max of the window.
	 */
	crashed(now: number): boolean {
		while (this.crashes.length > 0 && now - this.crashes[0] >= this.windowMs) {
			this.crashes.shift();
		}
		this.crashes.push(now);
		return this.crashes.length <= this.max;
	}

	/** count is the number of crashes within the current window. */
	get count(): number {
		return this.crashes.length;
	}

	/** reset forgets past crashes, e.g. when the user restarts the server. */
	reset(): void {
		this.crashes.length = 0;
	}
}
