package main

import (
	"context"
	"fmt"
	"go/ast"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/lsp/cache"
	"github.com/tbls-dev/tbls/resolve"
)

// loadProject resolves the project made of targets (files and directories,
// searched recursively): its datafiles, and the Go packages of the
// directories that hold Go files. dir is the directory the go command runs
// in (targets are relative to it). Problems are written to stderr; ok is
// false when something could not be read or loaded.
func loadProject(dir string, targets []string, stderr io.Writer) (*resolve.Project, bool) {
	ok := true
	var files []*resolve.File
	var goDirs []string
	for _, t := range targets {
		t = strings.TrimSuffix(t, "/...")
		if t == "" {
			t = "."
		}
		path := t
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		fi, err := os.Stat(path)
		if err != nil {
			fmt.Fprintf(stderr, "tbls: %v\n", err)
			ok = false
			continue
		}
		paths, err := resolve.DatafilePaths(path)
		if err != nil && fi.IsDir() {
			fmt.Fprintf(stderr, "tbls: %v\n", err)
			ok = false
		}
		dfs, errs := resolve.LoadDatafiles(paths)
		for _, err := range errs {
			fmt.Fprintf(stderr, "tbls: %v\n", err)
			ok = false
		}
		files = append(files, dfs...)
		switch {
		case fi.IsDir() && hasGo(path):
			pattern := relTo(dir, path)
			if !filepath.IsAbs(pattern) {
				pattern = "./" + filepath.ToSlash(pattern)
			}
			goDirs = append(goDirs, pattern+"/...")
		case !fi.IsDir() && strings.HasSuffix(path, ".go"):
			goDirs = append(goDirs, "file="+path)
		case !fi.IsDir() && !resolve.IsDatafile(path):
			fmt.Fprintf(stderr, "tbls: %s is neither a datafile nor a Go file\n", t)
			ok = false
		}
	}
	if len(goDirs) > 0 {
		gf, gok := loadGo(dir, goDirs, stderr)
		files = append(files, gf...)
		ok = ok && gok
	}
	return resolve.NewProject(files...), ok
}

// loadGo resolves the Go packages of patterns (dir/... patterns and file=
// queries, as loadProject builds them, relative to dir). It loads them with
// the language server's engine (lsp/cache): go list for the package graph,
// dependencies from export data, the packages themselves type-checked here
// from source, and Go files that are not regular files never read.
// go/packages' LoadSyntax would have go list compile every listed package
// for its export data: tens of seconds on a large package after each edit.
// Test files are not resolved: the project is what a deploy sees.
func loadGo(dir string, patterns []string, stderr io.Writer) ([]*resolve.File, bool) {
	ctx := context.Background()
	s := cache.New(cache.Options{})
	if err := s.AddFolder(ctx, dir); err != nil {
		fmt.Fprintf(stderr, "tbls: loading the Go packages of %s: %v\n", dir, err)
		return nil, false
	}
	ok := true
	seen := map[string]bool{}
	var files []*resolve.File
	for _, f := range packageFiles(dir, patterns) {
		pkg, err := s.Snapshot(ctx, f)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "tbls: loading the package of %s: %v\n", f, err)
			ok = false
			continue
		case pkg == nil:
			fmt.Fprintf(stderr, "tbls: %s belongs to no Go module below %s: run tbls in its module\n", f, dir)
			ok = false
			continue
		case seen[pkg.ID]:
			continue
		}
		seen[pkg.ID] = true
		for _, e := range pkg.TypeErrors {
			fmt.Fprintln(stderr, e)
			ok = false
		}
		var syntax []*ast.File
		for _, pf := range pkg.Files {
			if pf.Syntax != nil {
				syntax = append(syntax, pf.Syntax)
			}
		}
		files = append(files, resolve.GoFiles(resolve.GoPackage{Fset: pkg.Fset, Files: syntax, Pkg: pkg.Types, Info: pkg.TypesInfo})...)
	}
	return files, ok
}

// packageFiles returns one regular, non-test Go file of every package
// directory of patterns, as the go command sees them: a file= query names
// its file, dir/... every directory below dir but those the go command
// ignores, a directory itself.
func packageFiles(dir string, patterns []string) []string {
	var files []string
	dirs := map[string]bool{}
	for _, p := range patterns {
		if file, ok := strings.CutPrefix(p, "file="); ok {
			files = append(files, file)
			continue
		}
		root, tree := strings.CutSuffix(p, "/...")
		if !filepath.IsAbs(root) {
			root = filepath.Join(dir, root)
		}
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // go list reports what it cannot read
			}
			if d.IsDir() {
				rel, _ := filepath.Rel(root, path)
				if path != root && (!tree || !goVisible(rel) || skipDir(d.Name())) {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			// One file a directory is enough: Snapshot resolves the
			// rest of its package. (SkipDir on a file would also skip
			// the subdirectories listed after it.)
			if pdir := filepath.Dir(path); !dirs[pdir] && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && d.Type().IsRegular() {
				dirs[pdir] = true
				files = append(files, path)
			}
			return nil
		})
	}
	return files
}

// hasGo reports whether dir or a directory below it (not one the go
// command skips) holds a Go file.
func hasGo(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() && path != dir && (skipDir(name) || !goVisible(name)) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// relTo returns path relative to dir when it is below dir, else path.
func relTo(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}
