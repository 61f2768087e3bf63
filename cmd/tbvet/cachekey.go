package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// cacheKey identifies one checked package's findings in the result cache.
type cacheKey [sha256.Size]byte

func (k cacheKey) String() string { return hex.EncodeToString(k[:]) }

// keyer computes the cache keys of listed packages. A key hashes:
//   - the run's configuration: tbvet's own build (toolID), the Go version it
//     was built with, the enabled analyzers and their flags, the build flags
//     and the GO*/CGO_* environment (GOOS, GOARCH, GOFLAGS, GOEXPERIMENT…);
//   - the package: its ID (a test variant differs from the package), import
//     path, module Go version (the language version it is checked with),
//     and its files' names and contents;
//   - what it imports, by import path: recursively the same hash of each
//     imported package, down to the standard library.
//
// For the packages a user can edit (the ones checked, and those of the main
// module or of a directory replacement) a file counts by its content; for
// the others (the standard library, the module cache, which go keeps
// read-only) by its size and modification time, which is enough to see a
// toolchain upgrade or a different module version (those change the paths
// too) and costs a stat instead of a read.
//
// This covers what the imported packages' export data would (export data
// is a function of a package's files and of its imports' export data,
// under one toolchain and configuration), without the go list -export
// that would tell where export data is: that second go list would cost as
// much as go vet's whole cached run. A change to a dependency that leaves
// its export data alike (a comment, a function body) is a miss here, where
// go vet would hit; that errs on the safe side.
type keyer struct {
	config []byte                   // hash of the run's configuration
	roots  map[string]bool          // IDs of the packages being checked
	memo   map[string]packageDigest // by package ID
}

type packageDigest struct {
	sum [sha256.Size]byte
	ok  bool
}

// newKeyer returns a keyer for a run of analyzers over roots, or an error
// when tbvet cannot identify its own executable.
func newKeyer(analyzers []*analysis.Analyzer, buildFlags []string, roots []*packages.Package) (*keyer, error) {
	tool, err := toolID()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	field(h, "tbvet result cache", "1")
	field(h, "tool", tool)
	field(h, "go", runtime.Version())
	for _, a := range analyzers {
		field(h, "analyzer", a.Name)
		a.Flags.VisitAll(func(f *flag.Flag) { field(h, "flag", a.Name+"."+f.Name+"="+f.Value.String()) })
	}
	for _, f := range buildFlags {
		field(h, "build flag", f)
	}
	env := os.Environ()
	slices.Sort(env)
	for _, kv := range env {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") {
			field(h, "env", kv)
		}
	}
	k := &keyer{config: h.Sum(nil), roots: make(map[string]bool), memo: make(map[string]packageDigest)}
	for _, p := range roots {
		k.roots[p.ID] = true
	}
	return k, nil
}

// field writes a length-prefixed name and value, so that no two sequences
// of fields hash alike.
func field(h io.Writer, name, value string) {
	fmt.Fprintf(h, "%d:%s%d:%s", len(name), name, len(value), value)
}

// key returns root's cache key, or false when its findings must not be
// cached: it or a package it imports has errors, or a file cannot be read.
func (k *keyer) key(root *packages.Package) (cacheKey, bool) {
	d := k.digest(root)
	if !d.ok {
		return cacheKey{}, false
	}
	h := sha256.New()
	h.Write(k.config)
	h.Write(d.sum[:])
	var key cacheKey
	h.Sum(key[:0])
	return key, true
}

func (k *keyer) digest(p *packages.Package) packageDigest {
	if d, ok := k.memo[p.ID]; ok {
		return d
	}
	k.memo[p.ID] = packageDigest{} // an import cycle (an error) is not ok
	d := k.computeDigest(p)
	k.memo[p.ID] = d
	return d
}

func (k *keyer) computeDigest(p *packages.Package) packageDigest {
	if len(p.Errors) > 0 || (p.Module != nil && p.Module.Error != nil) {
		return packageDigest{}
	}
	h := sha256.New()
	field(h, "id", p.ID)
	field(h, "path", p.PkgPath)
	byContent := k.roots[p.ID]
	if m := p.Module; m != nil {
		field(h, "module", m.Path+"@"+m.Version)
		field(h, "module go", m.GoVersion)
		byContent = byContent || m.Main || (m.Replace != nil && m.Replace.Version == "")
	}
	seen := make(map[string]bool)
	for _, files := range [][]string{p.CompiledGoFiles, p.GoFiles, p.OtherFiles} {
		for _, name := range files {
			if seen[name] {
				continue
			}
			seen[name] = true
			if !hashFile(h, name, byContent) {
				return packageDigest{}
			}
		}
	}
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		imp := p.Imports[path]
		d := k.digest(imp)
		if !d.ok {
			return packageDigest{}
		}
		field(h, "import", path)
		h.Write(d.sum[:])
	}
	var d packageDigest
	h.Sum(d.sum[:0])
	d.ok = true
	return d
}

// hashFile writes the file's name and its content, or its size and
// modification time, to h. It reports false when the file cannot be read.
func hashFile(h hash.Hash, name string, byContent bool) bool {
	if !byContent {
		fi, err := os.Stat(name)
		if err != nil {
			return false
		}
		field(h, "file", name)
		field(h, "stat", fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano()))
		return true
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(data)
	field(h, "file", name)
	field(h, "content", string(sum[:]))
	return true
}

// exportsKey returns the key under which the cache remembers where the
// export data of deps is: their import paths and hashes (which cover what
// their export data is made of), under this run's configuration. It
// reports false when one of them cannot be hashed.
func (k *keyer) exportsKey(deps []*packages.Package) (cacheKey, bool) {
	if k == nil {
		return cacheKey{}, false
	}
	h := sha256.New()
	h.Write(k.config)
	field(h, "export data of", fmt.Sprint(len(deps)))
	for _, dep := range deps {
		d := k.digest(dep)
		if !d.ok {
			return cacheKey{}, false
		}
		field(h, "import", dep.PkgPath)
		h.Write(d.sum[:])
	}
	var key cacheKey
	h.Sum(key[:0])
	return key, true
}
