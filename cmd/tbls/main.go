// Command tbls is the Tinybird language server for Go schema code and
// datafiles, and a command-line checker for CI.
//
// Usage:
//
//	tbls [-logfile PATH] [serve]   run the language server on stdin/stdout
//	tbls version                   print the version
//	tbls check [-format=text|json|sarif|github] [paths or Go package patterns…]
//	tbls access [-format=text|markdown|json|csv] [-base REV] [paths…]
//
// The language server writes nothing but protocol to stdout; its log goes
// to -logfile, or to stderr. It exits with status 0 after the client's
// shutdown and exit, and 1 when the client exits without shutdown or drops
// the connection.
//
// tbls check exits with status 0 when it finds nothing, 1 when it reports
// findings, 2 on a usage error, and 3 when the code cannot be checked (a
// package that does not load, a path that does not exist).
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

	"github.com/tbls-dev/tbls/lsp"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1 // also: the language server ended without shutdown
	exitUsage    = 2
	exitError    = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logfile := fs.String("logfile", "", "write the language server's log to `PATH` instead of stderr")
	verbose := fs.Bool("v", false, "log debug messages")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tbls [-logfile PATH] [-v] [serve]     run the language server on stdin/stdout
       tbls version                          print the version
       tbls check [-format=F] [targets…]     check datafiles and Go packages (tbls check -h)
       tbls access [-base REV] [paths…]      print the token access matrix, or its changes (tbls access -h)
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
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "tbls serve takes no arguments, got %q\n", rest)
			return exitUsage
		}
		return serve(stdin, stdout, stderr, *logfile, *verbose)
	case "version":
		fmt.Fprintln(stdout, "tbls", version())
		return exitOK
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

// version returns the module version tbls was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func serve(stdin io.Reader, stdout, stderr io.Writer, logfile string, verbose bool) int {
	logw := stderr
	if logfile != "" {
		f, err := os.OpenFile(logfile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "tbls: cannot open the log file: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		logw = f
	}
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := lsp.Serve(ctx, stdio{stdin, stdout}, lsp.Options{Logger: log, Version: version()})
	if err != nil {
		log.Error("tbls exits", "err", err)
		return exitFindings
	}
	return exitOK
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
