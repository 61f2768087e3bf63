package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/lsp"
	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/resolve"
	"github.com/tbls-dev/tbls/rules"
)

// referenceDiagnostics returns the TB710 findings (references to a
// datasource or pipe the project does not define) of the datafiles checked
// and of the Go files below the targets. Names resolve across the whole
// project of each target (resolve.ProjectRoot): its datafiles and its Go
// packages. When the Go packages of a project do not load, their
// declarations are unknown and the project is not checked for references:
// a finding made without them could be false.
func referenceDiagnostics(targets, datafiles []string, stderr io.Writer) []report.Diagnostic {
	wd, err := os.Getwd()
	if err != nil {
		return nil
	}
	checked := map[string]bool{}
	roots := map[string]bool{}
	var dirs []string
	for _, p := range datafiles {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		checked[abs] = true
		roots[resolve.ProjectRoot(abs)] = true
	}
	for _, t := range targets {
		dir, recursive := strings.CutSuffix(t, "/...")
		if dir == "" {
			dir = "."
		}
		abs, err := filepath.Abs(dir)
		if fi, serr := os.Stat(abs); err != nil || serr != nil || !fi.IsDir() {
			continue
		}
		if recursive {
			dirs = append(dirs, abs+string(filepath.Separator))
		} else {
			dirs = append(dirs, abs+string(filepath.Separator)+"*")
		}
		roots[resolve.ProjectRoot(abs)] = true
	}
	inTargets := func(path string) bool {
		if checked[path] {
			return true
		}
		if !strings.HasSuffix(path, ".go") {
			return false
		}
		for _, d := range dirs {
			if base, ok := strings.CutSuffix(d, "*"); ok {
				if filepath.Dir(path)+string(filepath.Separator) == base {
					return true
				}
			} else if strings.HasPrefix(path, d) {
				return true
			}
		}
		return false
	}
	var out []report.Diagnostic
	for root := range roots {
		p, ok := loadProject(root, []string{"."}, io.Discard)
		if !ok && hasGo(root) {
			// Go that does not load (tbls check says why) hides
			// declarations: checking references without them could be wrong.
			fmt.Fprintf(stderr, "tbls check: references (TB710) not checked in %s: its Go packages do not load\n", root)
			continue
		}
		for _, u := range p.Unknowns() {
			// A file belongs to the project of its own root; a target's
			// root may hold it too, and would report it twice.
			if !inTargets(u.Ref.File) || resolve.ProjectRoot(u.Ref.File) != root {
				continue
			}
			src, err := safeio.ReadFile(u.Ref.File)
			if err != nil {
				continue
			}
			pos := positions(src)
			file := u.Ref.File
			if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
				file = rel
			}
			d := report.Diagnostic{File: file, Start: pos(u.Ref.Start), End: pos(u.Ref.End), Code: rules.TB710,
				Analyzer: lsp.SourceReferences, Message: u.Message()}
			if u.Nearest != "" {
				d.Fixes = []report.Fix{{Message: rules.UnknownReferenceFix(u.Nearest), Edits: []report.Edit{{File: file, Start: d.Start, End: d.End, NewText: u.Nearest}}}}
			}
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b report.Diagnostic) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Start.Offset-b.Start.Offset)
	})
	return out
}
