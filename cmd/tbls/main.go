// Command tbls is the Tinybird language server for Go schema code and
// datafiles, and a command-line checker for CI.
//
// Usage:
//
//	tbls [flags] [serve [flags]]   run the language server on stdin/stdout
//	tbls version [-json]           print the version and the Go version
//	tbls check [-format=text|json|sarif|github] [paths or Go package patterns…]
//	tbls access [-format=text|markdown|json|csv] [-base REV] [paths…]
//
// The language server's flags (-logfile PATH, -v, -rpc.trace) go before or
// after serve, as gopls's do. It writes nothing but protocol to stdout; its
// log, and with -rpc.trace every JSON-RPC message, goes to -logfile, or to
// stderr. It exits with status 0 after the client's
// shutdown and exit, and 1 when the client exits without shutdown or drops
// the connection.
//
// tbls check exits with status 0 when it finds nothing, 1 when something
// cannot be checked (a package that does not load, a path that does not
// exist, a target with nothing to check), 2 on a usage error, and 3 when it
// reports findings, as tbvet does. It checks Go packages on go vet's
// engine, running go vet with its own executable as the vet tool: invoked
// by go vet (-V=full, -flags, a *.cfg file), tbls is x/tools'
// unitchecker over the analyzers of package analyzer, as tbvet is.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/govet"
	"github.com/tbls-dev/tbls/lsp"
	"github.com/tbls-dev/tbls/report"
)

// Exit statuses, those of package report (tbls check returns
// report.ExitCode's).
const (
	exitOK      = report.ExitOK
	exitFailure = report.ExitFailure // also: the language server ended without shutdown
	exitUsage   = report.ExitUsage
)

func main() {
	// go vet -vettool=tbls, which tbls check runs: the analyzers, through
	// x/tools' unitchecker.
	govet.ServeVetTool(os.Args[1:], analyzer.Suite...)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// serveFlags are the language server's flags. They are accepted both
// before and after serve (tbls -logfile X serve, tbls serve -logfile X), as
// gopls accepts them.
type serveFlags struct {
	logfile  string
	verbose  bool
	rpcTrace bool
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.logfile, "logfile", f.logfile, "write the language server's log to `PATH` instead of stderr")
	fs.BoolVar(&f.verbose, "v", f.verbose, "log debug messages")
	fs.BoolVar(&f.rpcTrace, "rpc.trace", f.rpcTrace, "log every JSON-RPC message exchanged with the client")
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf serveFlags
	sf.register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tbls [flags] [serve [flags]]            run the language server on stdin/stdout
       tbls version [-json]                     print the version and the Go version
       tbls check [-format=F] [targets…]        check datafiles and Go packages (tbls check -h)
       tbls access [-base REV] [paths…]         print the token access matrix, or its changes (tbls access -h)

Flags of the language server (before or after serve):
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cmd, rest := "serve", fs.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		sfs := flag.NewFlagSet("tbls serve", flag.ContinueOnError)
		sfs.SetOutput(stderr)
		sf.register(sfs)
		if err := sfs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if sfs.NArg() > 0 {
			fmt.Fprintf(stderr, "tbls serve takes no arguments, got %q\n", sfs.Args())
			return exitUsage
		}
		return serve(stdin, stdout, stderr, sf)
	case "version":
		return printVersion(rest, stdout, stderr)
	case "check":
		return check(rest, stdout, stderr)
	case "access":
		return access(rest, stdout, stderr)
	case "help":
		fs.Usage()
		return exitOK
	}
	fmt.Fprintf(stderr, "tbls: unknown command %q: run tbls help\n", cmd)
	return exitUsage
}

func serve(stdin io.Reader, stdout, stderr io.Writer, sf serveFlags) int {
	logw := stderr
	if sf.logfile != "" {
		f, err := os.OpenFile(sf.logfile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "tbls: cannot open the log file: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		logw = f
	}
	level := slog.LevelInfo
	if sf.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: level}))
	if gc := serverGCPercent(os.Getenv("GOGC")); gc > 0 {
		debug.SetGCPercent(gc)
		log.Debug("garbage collector", "GOGC", gc)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := lsp.Serve(ctx, stdio{stdin, stdout}, lsp.Options{Logger: log, Version: version(), RPCTrace: sf.rpcTrace})
	if err != nil {
		log.Error("tbls exits", "err", err)
		return exitFailure
	}
	return exitOK
}

// serverGCPercent is the GOGC the language server runs with, 0 to keep
// the runtime's: 50 unless the environment sets GOGC. The server holds the
// type information of whole packages for as long as it runs, and the Go
// default lets the heap grow to twice what is live before collecting; at
// 50 it grows to 1.5 times. An edit allocates little (split checks share
// the unchanged files' type information), so collecting more often costs
// little time: scripts/bench-lsp.sh measures both (README, Performance).
func serverGCPercent(env string) int {
	if env != "" {
		return 0
	}
	return 50
}

// stdio is the server's stream: the client writes to stdin and reads stdout.
type stdio struct {
	io.Reader
	io.Writer
}

// Close closes stdin (so a blocked read ends) and stdout.
func (s stdio) Close() error {
	var errs []error
	if c, ok := s.Reader.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := s.Writer.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
