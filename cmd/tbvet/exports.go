package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"slices"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
)

// exportInfo says where the compiler's export data of some packages is, and
// for which target, as `go list -export` answers.
type exportInfo struct {
	Compiler string            `json:"compiler"`
	Arch     string            `json:"arch"`
	Files    map[string]string `json:"files"`            // import path → export data file
	Errors   map[string]string `json:"errors,omitempty"` // import path → why it has none
}

// exportTemplate prints one line of quoted fields per package.
const exportTemplate = `{{printf "%q %q %q %q" .ImportPath .Export context.Compiler context.GOARCH}} {{if .Error}}{{printf "%q" .Error.Err}}{{else}}""{{end}}`

// listExports runs `go list -export` on paths (import paths, not patterns):
// the go command builds them, or finds them in its build cache, and says
// where their export data is.
func listExports(paths, buildFlags []string) (*exportInfo, error) {
	args := append([]string{"list", "-e", "-export", "-f", exportTemplate}, buildFlags...)
	args = append(append(args, "--"), paths...)
	cmd := exec.Command("go", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list -export of the dependencies: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	info := &exportInfo{Files: make(map[string]string), Errors: make(map[string]string)}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var path, file, compiler, arch, errMsg string
		if _, err := fmt.Sscanf(sc.Text(), "%q %q %q %q %q", &path, &file, &compiler, &arch, &errMsg); err != nil {
			return nil, fmt.Errorf("go list -export printed %q: %v", sc.Text(), err)
		}
		info.Compiler, info.Arch = compiler, arch
		switch {
		case errMsg != "":
			info.Errors[path] = errMsg
		case file == "" && path != "unsafe":
			info.Errors[path] = "go list -export gave no export data"
		case file != "":
			info.Files[path] = file
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading go list -export: %v", err)
	}
	if info.Arch == "" {
		return nil, fmt.Errorf("go list -export of %s printed nothing", strings.Join(paths, " "))
	}
	return info, nil
}

// importExports reads the export data info names into fset and returns the
// packages by import path, and the reason each missing one is missing.
// Every package shares one map of imported packages, so that two of them
// referring to a third see the same types.
func importExports(info *exportInfo, fset *token.FileSet) (map[string]*types.Package, map[string]error) {
	pkgs := make(map[string]*types.Package)
	errs := make(map[string]error)
	for path, msg := range info.Errors {
		errs[path] = fmt.Errorf("%s", msg)
	}
	shared := make(map[string]*types.Package)
	paths := make([]string, 0, len(info.Files))
	for path := range info.Files {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		tp, err := readExportFile(info.Files[path], path, fset, shared)
		if err != nil {
			errs[path] = err
			continue
		}
		pkgs[path] = tp
	}
	return pkgs, errs
}

func readExportFile(file, path string, fset *token.FileSet, shared map[string]*types.Package) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s from %s: %v", path, file, err)
	}
	tp, err := gcexportdata.Read(r, fset, shared, path)
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s from %s: %v", path, file, err)
	}
	return tp, nil
}
