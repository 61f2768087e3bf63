package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/report"
)

// cacheStats are the counts of a run's cache report, and how it found the
// dependencies' export data when it type-checked ("listed" by go list,
// "remembered" by the cache, "" when it type-checked nothing).
type cacheStats struct {
	hits, misses, stored int
	exports              string
}

var cacheStatsLine = regexp.MustCompile(`(?m)^tbvet: cache: (\d+) hits, (\d+) misses, (\d+) stored(?:; dependencies' export data: (\w+))?\n`)

// cacheRun runs tbvet in dir with its result cache in cacheDir and
// TBVET_CACHE_DEBUG on. It returns the result without the debug lines, and
// the run's cache counts.
func cacheRun(t *testing.T, cacheDir, dir string, args ...string) (result, cacheStats) {
	t.Helper()
	r := runEnv(t, []string{"TBVET_CACHE=" + cacheDir, "TBVET_CACHE_DEBUG=1"}, dir, tbvetBin, args...)
	m := cacheStatsLine.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("tbvet %v: no cache report on stderr\n%s", args, r)
	}
	n := func(s string) int { i, _ := strconv.Atoi(s); return i }
	stats := cacheStats{n(m[1]), n(m[2]), n(m[3]), m[4]}
	r.stderr = regexp.MustCompile(`(?m)^tbvet: cache: .*\n`).ReplaceAllString(r.stderr, "")
	return r, stats
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheHit: a second run on an unchanged module answers from the cache
// and prints the same, in every output mode.
func TestCacheHit(t *testing.T) {
	dir := module(t, badSchema)
	writeFile(t, filepath.Join(dir, "schema_test.go"), "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar _ = tinybird.DefineToken(\"in-test\")\n")
	cache := t.TempDir()
	first, s1 := cacheRun(t, cache, dir, "./...")
	if s1.hits != 0 || s1.misses == 0 || s1.stored != s1.misses || s1.exports != "listed" {
		t.Fatalf("first run: want only misses, all stored; got %+v\n%s", s1, first)
	}
	second, s2 := cacheRun(t, cache, dir, "./...")
	if s2 != (cacheStats{hits: s1.misses}) {
		t.Errorf("second run: want %d hits and nothing else, got %+v", s1.misses, s2)
	}
	if second != first || first.code != exitDiagnostics || !tb101Line.MatchString(first.stderr) || !strings.Contains(first.stderr, "schema_test.go:5:30: TB101") {
		t.Errorf("cached output differs or is wrong:\n%s\nthen\n%s", first, second)
	}
	// -format shares the cache: SARIF from cached findings is the SARIF of
	// a run without the cache.
	sarif, s3 := cacheRun(t, cache, dir, "-format=sarif", "./...")
	uncached := runEnv(t, []string{"TBVET_CACHE=off"}, dir, tbvetBin, "-format=sarif", "./...")
	if s3.misses != 0 || sarif.stdout != uncached.stdout || sarif.code != uncached.code {
		t.Errorf("-format=sarif from the cache (%+v) differs from a run without it:\n%s\n%s", s3, sarif, uncached)
	}
}

// TestCacheMisses: what a package's findings depend on is in its key.
func TestCacheMisses(t *testing.T) {
	dir := module(t, cleanSchema)
	writeFile(t, filepath.Join(dir, "names", "names.go"), "package names\n\nconst Reader = \"reader\"\n")
	writeFile(t, filepath.Join(dir, "schema.go"), strings.Replace(badSchema,
		`import "github.com/tbls-dev/tbls/tinybird"`,
		"import (\n\t\"example.com/tbvettest/names\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar FromNames = tinybird.DefineToken(names.Reader)", 1))
	cache := t.TempDir()
	// Only the root package is checked: names is a dependency, loaded
	// from export data.
	r, s := cacheRun(t, cache, dir, ".")
	if s != (cacheStats{misses: 1, stored: 1, exports: "listed"}) || r.code != exitDiagnostics || strings.Count(r.stderr, "TB101") != 1 {
		t.Fatalf("first run: %+v\n%s", s, r)
	}
	if _, s := cacheRun(t, cache, dir, "."); s != (cacheStats{hits: 1}) {
		t.Fatalf("unchanged: want a hit, got %+v", s)
	}

	// A dependency's change that changes its export data: the constant.
	writeFile(t, filepath.Join(dir, "names", "names.go"), "package names\n\nconst Reader = \"bad-reader\"\n")
	r, s = cacheRun(t, cache, dir, ".")
	if s.hits != 0 || s.misses != 1 || s.exports != "listed" || !strings.Contains(r.stderr, `TB101 Invalid token name: "bad-reader"`) {
		t.Errorf("after changing the imported constant: want a miss and the new finding, got %+v\n%s", s, r)
	}

	// An edit of the package itself.
	src, err := os.ReadFile(filepath.Join(dir, "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "schema.go"), strings.Replace(string(src), `"app-read"`, `"app_read"`, 1))
	r, s = cacheRun(t, cache, dir, ".")
	if s.hits != 0 || s.misses != 1 || s.exports != "remembered" || strings.Contains(r.stderr, "app-read") || !strings.Contains(r.stderr, "TB201") {
		t.Errorf("after an edit: want a miss without the fixed finding, the dependencies' export data remembered; got %+v\n%s", s, r)
	}

	// Other analyzers: another key, never the full run's findings.
	r, s = cacheRun(t, cache, dir, "-scope=false", ".")
	if s.hits != 0 || strings.Contains(r.stderr, "TB201") {
		t.Errorf("-scope=false after a full run: want a miss and no TB201, got %+v\n%s", s, r)
	}

	// A package with a type error is never stored: its error is printed on
	// every run.
	writeFile(t, filepath.Join(dir, "broken.go"), "package schema\n\nvar y int = \"s\"\n")
	for i := 0; i < 2; i++ {
		r, s = cacheRun(t, cache, dir, ".")
		if s.hits != 0 || s.stored != 0 || r.code != exitFailure || !strings.Contains(r.stderr, "broken.go:3:13") {
			t.Errorf("run %d with a type error: want a miss, nothing stored, exit 1 and the error; got %+v\n%s", i, s, r)
		}
	}
}

// TestCacheDamaged: a damaged entry is a miss, never an error, and is
// replaced.
func TestCacheDamaged(t *testing.T) {
	dir := module(t, badSchema)
	cache := t.TempDir()
	want, _ := cacheRun(t, cache, dir, "./...")
	for i, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)/2] },                      // truncated
		func(b []byte) []byte { return []byte("not an entry") },            // garbage
		func(b []byte) []byte { return nil },                               // empty
		func(b []byte) []byte { b[len(b)-3] ^= 0x20; return b },            // a flipped bit in the findings
		func(b []byte) []byte { return append(b[:len(b):len(b)], "x"...) }, // trailing bytes
	} {
		entries, _ := filepath.Glob(filepath.Join(cache, "*"+entrySuffix))
		if len(entries) == 0 {
			t.Fatal("no cache entries written")
		}
		for _, e := range entries {
			b, err := os.ReadFile(e)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(e, damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, s := cacheRun(t, cache, dir, "./...")
		if s.hits != 0 || s.stored != s.misses || got != want {
			t.Errorf("damage %d: want misses, re-stored, and the same output; got %+v\n%s\nwant\n%s", i, s, got, want)
		}
		if _, s := cacheRun(t, cache, dir, "./..."); s.misses != 0 {
			t.Errorf("damage %d: the entries were not replaced: %+v", i, s)
		}
	}
}

// TestCacheOff: TBVET_CACHE=off neither reads nor writes; unset, the cache
// is in the user cache directory.
func TestCacheOff(t *testing.T) {
	dir := module(t, badSchema)
	home := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + home, "TBVET_CACHE_DEBUG=1"}
	for i := 0; i < 2; i++ {
		r := runEnv(t, append(env, "TBVET_CACHE=off"), dir, tbvetBin, "./...")
		if r.code != exitDiagnostics || !strings.Contains(r.stderr, "tbvet: cache: off") || cacheStatsLine.MatchString(r.stderr) {
			t.Errorf("TBVET_CACHE=off: want the findings and no cache use\n%s", r)
		}
	}
	if _, err := os.Stat(filepath.Join(home, "tbvet")); !os.IsNotExist(err) {
		t.Errorf("TBVET_CACHE=off created the cache directory (%v)", err)
	}
	r := runEnv(t, append(env, "TBVET_CACHE="), dir, tbvetBin, "./...")
	entries, _ := filepath.Glob(filepath.Join(home, "tbvet", "*"+entrySuffix))
	if r.code != exitDiagnostics || len(entries) == 0 {
		t.Errorf("default cache: want entries under $XDG_CACHE_HOME/tbvet, found %v\n%s", entries, r)
	}
	r = runEnv(t, append(env, "TBVET_CACHE=relative/dir"), dir, tbvetBin, "./...")
	if r.code != exitDiagnostics || !strings.Contains(r.stderr, "neither off nor an absolute directory") {
		t.Errorf("TBVET_CACHE=relative/dir: want the findings and the reason the cache is off\n%s", r)
	}
}

func TestCacheGetPut(t *testing.T) {
	c := &resultCache{dir: t.TempDir()}
	key := cacheKey{1, 2, 3}
	if _, ok := c.get(key); ok {
		t.Fatal("hit in an empty cache")
	}
	want := []report.Diagnostic{{File: "/x/a.go", Start: report.Position{Line: 1, Column: 2, Offset: 1}, Code: "TB101", Analyzer: "tokenname", Message: "TB101 m",
		Fixes: []report.Fix{{Message: "Rename", Edits: []report.Edit{{File: "/x/a.go", NewText: "b"}}}}}}
	c.put(key, want)
	got, ok := c.get(key)
	if !ok || len(got) != 1 || got[0].Message != want[0].Message || got[0].Fixes[0].Edits[0].NewText != "b" {
		t.Errorf("get after put: %v %+v", ok, got)
	}
	c.put(cacheKey{9}, nil)
	if got, ok := c.get(cacheKey{9}); !ok || len(got) != 0 {
		t.Errorf("no findings is a hit with none: %v %+v", ok, got)
	}
	if c.hits != 2 || c.misses != 1 || c.stored != 2 {
		t.Errorf("counts: %+v", c)
	}
	var off *resultCache
	off.put(key, want)
	if _, ok := off.get(key); ok {
		t.Error("a nil cache hit")
	}
	off.finish()
}

func TestCacheTrim(t *testing.T) {
	c := &resultCache{dir: t.TempDir()}
	now := time.Now()
	age := func(name string, d time.Duration) {
		if err := os.Chtimes(filepath.Join(c.dir, name), now.Add(-d), now.Add(-d)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		c.put(cacheKey{byte(i)}, nil)
		age(cacheKey{byte(i)}.String()+entrySuffix, time.Duration(i)*time.Minute) // entry i is i minutes old
	}
	c.put(cacheKey{9}, nil)
	age(cacheKey{9}.String()+entrySuffix, 30*24*time.Hour) // unused for a month
	writeFile(t, filepath.Join(c.dir, ".tmp-123"), "left by a crash")
	age(".tmp-123", 2*time.Hour)
	writeFile(t, filepath.Join(c.dir, ".tmp-456"), "being written")
	writeFile(t, filepath.Join(c.dir, "README"), "not ours")
	age("README", 30*24*time.Hour)

	if err := c.trim(now, cacheMaxAge, 3); err != nil {
		t.Fatal(err)
	}
	var left []string
	dirents, _ := os.ReadDir(c.dir)
	for _, d := range dirents {
		left = append(left, d.Name())
	}
	want := []string{".tmp-456", cacheKey{0}.String() + entrySuffix, cacheKey{1}.String() + entrySuffix, cacheKey{2}.String() + entrySuffix, "README"} // as ReadDir sorts
	if strings.Join(left, " ") != strings.Join(want, " ") {
		t.Errorf("after trim:\n%v\nwant\n%v", left, want)
	}
}

// TestToolID: the build ID read from the executable is the one go tool
// buildid reports.
func TestToolID(t *testing.T) {
	id, err := toolID()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	if want := "buildid " + strings.TrimSpace(string(out)); id != want {
		t.Errorf("toolID() = %q, want %q", id, want)
	}
}

// TestKeys: a key changes with the content of a checked file, with the
// size or time of a dependency's file outside the main module, with the
// analyzers, and with nothing else.
func TestKeys(t *testing.T) {
	dir := t.TempDir()
	rootFile, depFile := filepath.Join(dir, "a.go"), filepath.Join(dir, "dep.go")
	writeFile(t, rootFile, "package a\n")
	writeFile(t, depFile, "package dep\n")
	dep := &packages.Package{ID: "dep", PkgPath: "dep", GoFiles: []string{depFile}, CompiledGoFiles: []string{depFile}}
	root := &packages.Package{ID: "a", PkgPath: "a", CompiledGoFiles: []string{rootFile}, Imports: map[string]*packages.Package{"dep": dep},
		Module: &packages.Module{Path: "a", Main: true, GoVersion: "1.24"}}
	key := func(analyzers []*analysis.Analyzer) cacheKey {
		t.Helper()
		k, err := newKeyer(analyzers, nil, []*packages.Package{root})
		if err != nil {
			t.Fatal(err)
		}
		key, ok := k.key(root)
		if !ok {
			t.Fatal("no key")
		}
		return key
	}
	k0 := key(analyzer.Suite)
	if key(analyzer.Suite) != k0 {
		t.Fatal("the same inputs give two keys")
	}
	if key(analyzer.Suite[1:]) == k0 {
		t.Error("the key ignores the analyzers")
	}
	writeFile(t, rootFile, "package a // edited\n")
	k1 := key(analyzer.Suite)
	if k1 == k0 {
		t.Error("the key ignores the checked file's content")
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(depFile, later, later); err != nil {
		t.Fatal(err)
	}
	if key(analyzer.Suite) == k1 {
		t.Error("the key ignores the dependency's modification time")
	}
	root.Module.GoVersion = "1.26"
	if key(analyzer.Suite) == k1 {
		t.Error("the key ignores the module's Go version")
	}
	dep.Errors = []packages.Error{{Msg: "broken"}}
	k, _ := newKeyer(analyzer.Suite, nil, []*packages.Package{root})
	if _, ok := k.key(root); ok {
		t.Error("a package whose dependency has errors got a key")
	}
	os.Remove(rootFile)
	dep.Errors = nil
	k, _ = newKeyer(analyzer.Suite, nil, []*packages.Package{root})
	if _, ok := k.key(root); ok {
		t.Error("a package with an unreadable file got a key")
	}
}

// TestCacheExports: remembered export data locations are used only while
// the files exist, and a damaged entry is a miss.
func TestCacheExports(t *testing.T) {
	c := &resultCache{dir: t.TempDir()}
	file := filepath.Join(t.TempDir(), "export-d")
	writeFile(t, file, "not really export data")
	info := &exportInfo{Compiler: "gc", Arch: "amd64", Files: map[string]string{"example.com/dep": file}}
	c.putExports(cacheKey{1}, info)
	if got, ok := c.exports(cacheKey{1}); !ok || got.Files["example.com/dep"] != file || got.Arch != "amd64" {
		t.Errorf("exports after putExports: %v %+v", ok, got)
	}
	os.Remove(file)
	if _, ok := c.exports(cacheKey{1}); ok {
		t.Error("exports names a file that no longer exists")
	}
	c.putExports(cacheKey{2}, &exportInfo{Files: map[string]string{}, Errors: map[string]string{"example.com/dep": "broken"}})
	if _, ok := c.exports(cacheKey{2}); ok {
		t.Error("an answer with errors was remembered")
	}
	if err := os.WriteFile(c.path(cacheKey{3}), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.exports(cacheKey{3}); ok {
		t.Error("a damaged entry was used")
	}
	var off *resultCache
	off.putExports(cacheKey{1}, info)
	if _, ok := off.exports(cacheKey{1}); ok {
		t.Error("a nil cache remembered")
	}
}
