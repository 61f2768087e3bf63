package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// versionInfo is what tbls version reports, and its -json shape.
type versionInfo struct {
	Version   string `json:"version"`   // the module version, or (devel)
	Path      string `json:"path"`      // the command's import path
	GoVersion string `json:"goVersion"` // the Go toolchain tbls was built with
	Platform  string `json:"platform"`  // GOOS/GOARCH
	// Revision, Time and Modified describe the VCS checkout of a build from
	// a clone (go build, go install ./cmd/tbls); empty otherwise.
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
}

// readVersion returns the version information of the running binary.
func readVersion() versionInfo {
	v := versionInfo{Version: "(devel)", Path: "github.com/tbls-dev/tbls/cmd/tbls", GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	if bi.Path != "" {
		v.Path = bi.Path
	}
	if bi.GoVersion != "" {
		v.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// version returns the module version tbls was built from.
func version() string { return readVersion().Version }

// printVersion is tbls version [-json].
func printVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the version information as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tbls version takes no arguments, got %q\n", fs.Args())
		return exitUsage
	}
	v := readVersion()
	if *asJSON {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "tbls version: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	fmt.Fprintf(stdout, "tbls %s\n", v.Version)
	fmt.Fprintf(stdout, "    %s\n", v.Path)
	if v.Revision != "" {
		mod := ""
		if v.Modified {
			mod = " (modified)"
		}
		fmt.Fprintf(stdout, "    revision %s %s%s\n", v.Revision, v.Time, mod)
	}
	fmt.Fprintf(stdout, "go: %s %s\n", v.GoVersion, v.Platform)
	return exitOK
}
