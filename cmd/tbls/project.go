package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/internal/safeio"
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

// loadGo loads the Go packages matching patterns, with types (dependencies
// from export data), and resolves their files.
func loadGo(dir string, patterns []string, stderr io.Writer) ([]*resolve.File, bool) {
	cfg := &packages.Config{Mode: packages.LoadSyntax, Dir: dir, Overlay: specialGoOverlay(dir, patterns)}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "tbls: loading %s: %v\n", strings.Join(patterns, " "), err)
		return nil, false
	}
	ok := true
	var files []*resolve.File
	for _, p := range pkgs {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			ok = false
		}
		if p.TypesInfo == nil {
			continue
		}
		files = append(files, resolve.GoFiles(resolve.GoPackage{Fset: p.Fset, Files: p.Syntax, Pkg: p.Types, Info: p.TypesInfo})...)
	}
	return files, ok
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
		if d.IsDir() && path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" || name == "node_modules") {
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

// specialGoOverlay returns an overlay that gives go list a text that is not
// Go for every Go file of patterns (dir/... patterns and file= queries, as
// loadProject builds them) that is not a regular file: go list would block
// reading a FIFO, or read a link to /dev/zero without end. Those packages
// then fail to load and say why, as in checkGo.
func specialGoOverlay(dir string, patterns []string) map[string][]byte {
	var overlay map[string][]byte
	add := func(path string) {
		if overlay == nil {
			overlay = make(map[string][]byte)
		}
		if abs, err := filepath.Abs(path); err == nil {
			overlay[abs] = []byte("tbls: not a regular file, skipped\n")
		}
	}
	for _, p := range patterns {
		if file, ok := strings.CutPrefix(p, "file="); ok {
			if !safeio.IsRegular(file) {
				add(file)
			}
			continue
		}
		root := strings.TrimSuffix(p, "/...")
		if !filepath.IsAbs(root) {
			root = filepath.Join(dir, root)
		}
		r, err := walk(root, strings.HasSuffix(p, "/..."))
		if err != nil {
			continue // go list reports the directory itself
		}
		for _, path := range r.specialGo {
			add(path)
		}
	}
	return overlay
}
