package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tbls-dev/tbls/report"
)

// The result cache remembers each checked package's findings, so that a
// run on an unchanged module costs what go vet's cached run costs (go vet
// answers from the build cache): one go list, no parsing, no type-checking.
// The key of a package (cacheKey, in cachekey.go) covers everything its
// findings depend on; the value is the list of findings. When some package
// must be type-checked, the cache also remembers where go list -export
// said its dependencies' export data is (keyed by the same hashes of the
// dependencies), which spares that go list after an edit.
//
// It lives in os.UserCacheDir()/tbvet. TBVET_CACHE=off turns it off (as
// GOCACHE=off does go's); TBVET_CACHE=/some/dir puts it elsewhere.
// TBVET_CACHE_DEBUG=1 prints the hits and misses of each run to stderr.
// The cache is an optimization only: an entry that cannot be read or does
// not verify is a miss, and a failure to write one is ignored.

const (
	// cacheHeader starts every entry, followed by the SHA-256 of the rest of
	// the entry (the findings as JSON), so that a truncated or otherwise
	// damaged entry is recognized and treated as a miss.
	cacheHeader = "tbvet-results 1 "
	// cacheMaxAge is how long an entry nobody used survives a trim.
	cacheMaxAge = 7 * 24 * time.Hour
	// cacheMaxEntries bounds the cache: a trim keeps the newest ones. An
	// entry is a few hundred bytes per finding, usually less than 1 KiB.
	cacheMaxEntries = 20000
	// cacheTrimInterval is how often a run that stored entries trims, and
	// how stale an entry's time may get before a hit refreshes it (so that
	// hits do not write to the disk each time).
	cacheTrimInterval = time.Hour
	// entrySuffix ends the names of entries, so that a trim removes nothing
	// else that someone put in the directory.
	entrySuffix = ".tbvet"
)

// resultCache is the on-disk result cache. A nil *resultCache is a cache
// that is off: every lookup misses and nothing is stored.
type resultCache struct {
	dir   string
	debug io.Writer // where TBVET_CACHE_DEBUG reports go; nil when off

	hits, misses, stored int
	exportsNote          string // how the dependencies' export data was found, for the debug report
}

// openCache opens the cache that TBVET_CACHE selects, or returns nil when
// it is off or its directory cannot be created; debug receives the reason
// when TBVET_CACHE_DEBUG is set.
func openCache(debug io.Writer) *resultCache {
	if os.Getenv("TBVET_CACHE_DEBUG") == "" {
		debug = nil
	}
	logf := func(format string, args ...any) {
		if debug != nil {
			fmt.Fprintf(debug, "%s: cache: "+format+"\n", append([]any{progname()}, args...)...)
		}
	}
	dir := os.Getenv("TBVET_CACHE")
	switch {
	case dir == "off":
		logf("off (TBVET_CACHE=off)")
		return nil
	case dir == "":
		base, err := os.UserCacheDir()
		if err != nil {
			logf("off: %v", err)
			return nil
		}
		dir = filepath.Join(base, "tbvet")
	case !filepath.IsAbs(dir):
		logf("off: TBVET_CACHE=%q is neither off nor an absolute directory", dir)
		return nil
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		logf("off: %v", err)
		return nil
	}
	return &resultCache{dir: dir, debug: debug}
}

func (c *resultCache) logf(format string, args ...any) {
	if c != nil && c.debug != nil {
		fmt.Fprintf(c.debug, "%s: cache: "+format+"\n", append([]any{progname()}, args...)...)
	}
}

func (c *resultCache) path(key cacheKey) string {
	return filepath.Join(c.dir, key.String()+entrySuffix)
}

// get returns the findings stored under key. A missing, unreadable or
// damaged entry is a miss.
func (c *resultCache) get(key cacheKey) ([]report.Diagnostic, bool) {
	if c == nil {
		return nil, false
	}
	var diags []report.Diagnostic
	if err := c.read(key, &diags); err != nil {
		c.misses++
		if !os.IsNotExist(err) {
			c.logf("miss: %v", err)
		}
		return nil, false
	}
	c.hits++
	return diags, true
}

// read decodes the entry stored under key into v.
func (c *resultCache) read(key cacheKey, v any) error {
	name := c.path(key)
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	header, payload, ok := bytes.Cut(data, []byte("\n"))
	sum := sha256.Sum256(payload)
	if !ok || string(header) != cacheHeader+hex.EncodeToString(sum[:]) {
		return fmt.Errorf("%s: damaged entry (bad header or checksum)", name)
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("%s: damaged entry: %v", name, err)
	}
	// Keep used entries from being trimmed, without writing on every hit.
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > cacheTrimInterval {
		now := time.Now()
		_ = os.Chtimes(name, now, now) // best effort: at worst the entry is trimmed early
	}
	return nil
}

// put stores diags under key, atomically: a concurrent reader sees the old
// entry, none, or the new one, never a part. Failures are ignored (and
// reported under TBVET_CACHE_DEBUG): the next run misses.
func (c *resultCache) put(key cacheKey, diags []report.Diagnostic) {
	if c == nil {
		return
	}
	if diags == nil {
		diags = []report.Diagnostic{}
	}
	if c.write(key, diags) {
		c.stored++
	}
}

// write stores v, as JSON, under key, and reports whether it did.
func (c *resultCache) write(key cacheKey, v any) bool {
	payload, err := json.Marshal(v)
	if err != nil {
		c.logf("not stored: %v", err)
		return false
	}
	sum := sha256.Sum256(payload)
	var b bytes.Buffer
	b.WriteString(cacheHeader + hex.EncodeToString(sum[:]) + "\n")
	b.Write(payload)
	if err := writeFileAtomic(c.path(key), b.Bytes()); err != nil {
		c.logf("not stored: %v", err)
		return false
	}
	return true
}

// exports returns the export data locations stored under key, if every
// file they name still exists (go trims its build cache too).
func (c *resultCache) exports(key cacheKey) (*exportInfo, bool) {
	if c == nil {
		return nil, false
	}
	info := new(exportInfo)
	if err := c.read(key, info); err != nil {
		if !os.IsNotExist(err) {
			c.logf("export data locations: %v", err)
		}
		return nil, false
	}
	for _, file := range info.Files {
		if _, err := os.Stat(file); err != nil {
			c.logf("export data locations: %v", err)
			return nil, false
		}
	}
	return info, true
}

// putExports stores where the export data of a set of dependencies is.
// Only complete answers are stored: a dependency with an error is listed
// again next time.
func (c *resultCache) putExports(key cacheKey, info *exportInfo) {
	if c == nil || len(info.Errors) > 0 {
		return
	}
	c.write(key, info)
}

// writeFileAtomic writes data to a temporary file in name's directory and
// renames it to name.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// setExportsNote records how check found the export data, for the debug
// report.
func (c *resultCache) setExportsNote(note string) {
	if c != nil {
		c.exportsNote = note
	}
}

// finish trims the cache when this run stored entries and the last trim is
// older than cacheTrimInterval, then reports the run's counts under
// TBVET_CACHE_DEBUG.
func (c *resultCache) finish() {
	if c == nil {
		return
	}
	if c.stored > 0 {
		stamp := filepath.Join(c.dir, "trim.txt")
		if fi, err := os.Stat(stamp); err != nil || time.Since(fi.ModTime()) > cacheTrimInterval {
			if err := c.trim(time.Now(), cacheMaxAge, cacheMaxEntries); err != nil {
				c.logf("trim: %v", err)
			}
			_ = writeFileAtomic(stamp, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"))
		}
	}
	c.logf("%d hits, %d misses, %d stored%s", c.hits, c.misses, c.stored, c.exportsNote)
}

// trim removes the entries last used before now-maxAge, then the oldest
// ones beyond maxEntries, and temporary files a crashed run left.
func (c *resultCache) trim(now time.Time, maxAge time.Duration, maxEntries int) error {
	dirents, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	type entry struct {
		name string
		mod  time.Time
	}
	var keep []entry
	for _, d := range dirents {
		name := d.Name()
		isEntry := strings.HasSuffix(name, entrySuffix)
		if !isEntry && !strings.HasPrefix(name, ".tmp-") {
			continue
		}
		fi, err := d.Info()
		if err != nil {
			continue // removed meanwhile
		}
		switch {
		case !isEntry && now.Sub(fi.ModTime()) > cacheTrimInterval:
			os.Remove(filepath.Join(c.dir, name))
		case isEntry && now.Sub(fi.ModTime()) > maxAge:
			os.Remove(filepath.Join(c.dir, name))
		case isEntry:
			keep = append(keep, entry{name, fi.ModTime()})
		}
	}
	if len(keep) > maxEntries {
		slices.SortFunc(keep, func(a, b entry) int { return b.mod.Compare(a.mod) }) // newest first
		for _, e := range keep[maxEntries:] {
			os.Remove(filepath.Join(c.dir, e.name))
		}
	}
	return nil
}
