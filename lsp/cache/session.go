// Package cache is the engine of the tbls language server: it loads Go
// workspaces once with go/packages, type-checks their packages in process
// against dependency types read from export data, and runs a set of
// go/analysis analyzers on unsaved buffers.
//
// Its state follows gopls's snapshot model. A package is checked whole,
// from its files' current texts and its workspace dependencies' checks;
// the result (a check) never changes once made, and analyses, completion
// and hover read it without locks. Checks are memoized by a key hashing
// what they are computed from, so an edit re-checks the edited package and
// those importing it, and nothing else; parses are shared while a file's
// text is unchanged. A newer edit cancels the runs of older texts instead
// of mutating what they read.
//
// One fast path, a split check (split.go, split_analysis.go): when an edit
// changes one file that the package's other files cannot see, the others
// are checked and analyzed once, and each edit checks and analyzes that
// file against them. Its result is the whole check's: split.go lists the
// conditions that make it so, each checked before the result is used, and
// the differential tests compare the two.
//
// The engine's invariants, each enforced by a test:
//   - Exact: after any sequence of edits, opens, closes and file changes,
//     the diagnostics equal those of checks sharing nothing and of a fresh
//     Session (TestIncrementalMatchesFresh, TestWorkspaceEditsMatchFresh,
//     FuzzEdit, FuzzWorkspaceEdit); a split check's diagnostics, type
//     errors and type information of every node equal a whole check's
//     (TestSplitMatchesWhole, FuzzSplitEdits).
//   - Never stuck: no lock is held while a check waits for another; an
//     import closing a cycle is refused before anything waits
//     (lsp's TestImportCycle).
//   - Bounded: workspace files are read with internal/safeio (regular
//     files, at most 32 MiB); a Go file that is not a regular file is
//     handed to go list as a non-Go text (TestSpecialFiles).
//
// go list runs again only when go.mod, go.work, a file's imports or a
// file's package clause change in a way the loaded graph does not cover.
package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/internal/safeio"
)

// Options configures a Session.
type Options struct {
	// Analyzers are run on every diagnosed package, with their Requires.
	Analyzers []*analysis.Analyzer
	// Logger receives load failures, analyzer panics and timings; nil
	// discards them.
	Logger *slog.Logger
	// Env is added to the process environment of go/packages (go list),
	// e.g. GOFLAGS=-mod=mod.
	Env []string
}

// Session holds the loaded workspace folders, the unsaved buffers
// (overlays) and the type-checked packages. All methods are safe for
// concurrent use.
type Session struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	folders  map[string][]*view   // folder dir → views loaded for it
	overlays map[string][]byte    // unsaved buffers by absolute filename
	disk     map[string]diskEntry // cached on-disk contents
	versions map[string]uint64    // bumped on every change of a file
	clock    uint64
	special  map[string]bool // Go files that are not regular files (see skippedFile)

	// forceFull gives every check a key of its own, so that it reuses no
	// earlier check; tests compare the memoized engine with it.
	forceFull bool
}

type diskEntry struct {
	data []byte
	err  error
}

// New returns an empty Session.
func New(opts Options) *Session {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Session{
		opts:     opts,
		log:      log,
		folders:  make(map[string][]*view),
		overlays: make(map[string][]byte),
		disk:     make(map[string]diskEntry),
		versions: make(map[string]uint64),
		special:  make(map[string]bool),
	}
}

// AddFolder loads the Go module, the modules of the go.work, or the modules
// found below dir, once, with go/packages. A directory with no Go module is
// not an error: its files simply belong to no package.
func (s *Session) AddFolder(ctx context.Context, dir string) error {
	return s.addFolder(ctx, dir, true)
}

// AddModule loads the Go module (or go.work) whose root is dir, without
// looking for other modules below it: what a file opened outside every
// workspace folder needs.
func (s *Session) AddModule(ctx context.Context, dir string) error {
	return s.addFolder(ctx, dir, false)
}

// AddFile loads filename, a Go file in no module, as a package of its own
// (go list's command-line-arguments), running go in its directory only.
func (s *Session) AddFile(ctx context.Context, filename string) error {
	filename, err := filepath.Abs(filename)
	if err != nil {
		return err
	}
	v := &view{s: s, root: filepath.Dir(filename), patterns: []string{filename}, files: []string{filename}}
	s.mu.Lock()
	s.folders[filename] = []*view{v}
	s.mu.Unlock()
	return s.ensureLoaded(ctx, v)
}

func (s *Session) addFolder(ctx context.Context, dir string, nested bool) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	views, special, err := discoverViews(ctx, dir, s.env(), nested)
	if err != nil {
		return err
	}
	for _, v := range views {
		v.s = s // before any other goroutine sees v
	}
	s.mu.Lock()
	s.folders[dir] = views
	for _, f := range special {
		if !s.special[f] {
			s.special[f] = true
			s.log.Warn("skipping a Go file that is not a regular file", "file", f)
		}
	}
	s.mu.Unlock()
	var errs []error
	for _, v := range views {
		if err := s.ensureLoaded(ctx, v); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RemoveFolder forgets the folder dir and everything loaded for it.
func (s *Session) RemoveFolder(dir string) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	s.mu.Lock()
	delete(s.folders, dir)
	s.mu.Unlock()
}

// SetOverlay records the unsaved text of filename; nil content means the
// buffer was closed and the file reads from disk again. Runs of the
// package containing filename that are still in flight are cancelled:
// their result would describe a stale text.
func (s *Session) SetOverlay(filename string, content []byte) {
	filename = filepath.Clean(filename)
	s.mu.Lock()
	old, had := s.overlays[filename]
	if content == nil {
		delete(s.overlays, filename)
	} else {
		s.overlays[filename] = bytes.Clone(content)
	}
	if !had || content == nil || !bytes.Equal(old, content) {
		s.bumpLocked(filename)
	}
	views := s.allViewsLocked()
	s.mu.Unlock()
	for _, v := range views {
		v.cancelRuns(filename)
	}
}

// FileChanged reports that filename changed on disk (created, changed or
// deleted). A change of go.mod, go.work or go.sum, or of the set of Go
// files, makes the next request reload the affected views with go list.
func (s *Session) FileChanged(filename string) {
	filename = filepath.Clean(filename)
	s.mu.Lock()
	delete(s.disk, filename)
	s.bumpLocked(filename)
	views := s.allViewsLocked()
	s.mu.Unlock()
	base := filepath.Base(filename)
	for _, v := range views {
		switch {
		case base == "go.mod" || base == "go.work" || base == "go.sum" || base == "go.work.sum":
			if v.contains(filename) {
				v.invalidate()
			}
		case strings.HasSuffix(base, ".go"):
			v.fileChangedOnDisk(filename)
		}
		v.cancelRuns(filename)
	}
}

// Diagnose type-checks the package containing filename with the current
// overlays and runs the analyzers on it. It returns nil, nil when filename
// belongs to no loaded package (e.g. a file outside any module).
func (s *Session) Diagnose(ctx context.Context, filename string) (*Result, error) {
	for attempt := 0; ; attempt++ {
		st, err := s.packageOf(ctx, filename)
		if st == nil || err != nil {
			return nil, err
		}
		res, err := st.diagnose(ctx)
		if errors.Is(err, errReload) && attempt < maxReloads {
			continue // packageOf reloads the view
		}
		return res, err
	}
}

// Snapshot returns the latest type-checked state of the package containing
// filename, with the type information of that file computed, for
// completion and hover. It returns nil, nil when filename belongs to no
// loaded package.
func (s *Session) Snapshot(ctx context.Context, filename string) (*Package, error) {
	var pkg *Package
	for attempt := 0; ; attempt++ {
		st, err := s.packageOf(ctx, filename)
		if st == nil || err != nil {
			return nil, err
		}
		pkg, err = st.snapshot(ctx)
		if errors.Is(err, errReload) && attempt < maxReloads {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	pkg.Info(filepath.Clean(filename)) // computed now, while it is current
	return pkg, nil
}

// maxReloads bounds the go list runs one request may cause. A check asks
// for one reload with every import it cannot resolve, and never twice for
// one import path, so a second is rare (a workspace package imported by
// the checked one asking for its own) and a third rarer still.
const maxReloads = 3

// packageOf returns the workspace package that filename belongs to,
// loading or reloading its view when needed.
func (s *Session) packageOf(ctx context.Context, filename string) (*pkgState, error) {
	filename = filepath.Clean(filename)
	if !filepath.IsAbs(filename) {
		return nil, nil
	}
	s.mu.Lock()
	views := s.allViewsLocked()
	s.mu.Unlock()
	var best *view
	for _, v := range views {
		if v.contains(filename) && (best == nil || len(v.root) > len(best.root)) {
			best = v
		}
	}
	if best == nil {
		return nil, nil
	}
	for attempt := 0; ; attempt++ {
		if err := s.ensureLoaded(ctx, best); err != nil {
			return nil, err
		}
		st, retry := best.lookup(filename)
		if st != nil || !retry || attempt > 0 {
			return st, nil
		}
		// A Go file the last load did not know (a new file): load again
		// once with it; lookup remembers the attempt so a file outside
		// every package never reloads on each keystroke.
		best.invalidate()
	}
}

func (s *Session) env() []string {
	return append(os.Environ(), s.opts.Env...)
}

func (s *Session) bumpLocked(filename string) {
	s.clock++
	s.versions[filename] = s.clock
}

func (s *Session) allViewsLocked() []*view {
	var vs []*view
	for _, views := range s.folders {
		vs = append(vs, views...)
	}
	return vs
}

// content returns the current text of filename (overlay, else disk) and
// its version, a number that changes whenever the text may have changed.
func (s *Session) content(filename string) ([]byte, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ver := s.versions[filename]
	if data, ok := s.overlays[filename]; ok {
		return data, ver, nil
	}
	if e, ok := s.disk[filename]; ok {
		return e.data, ver, e.err
	}
	data, err := safeio.ReadFile(filename)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("skipping a file", "err", err)
	}
	s.disk[filename] = diskEntry{data, err}
	return data, ver, err
}

// skippedFile is what go list is given instead of the text of a Go file
// that is not a regular file (a symlink to a device, a FIFO): reading it
// would never end, or never start. It is not Go, so go list reports the
// file as invalid and loads the rest of its package.
var skippedFile = []byte("tbls: not a regular file, skipped\n")

// loadOverlay returns the overlays for go/packages: the unsaved buffers,
// and skippedFile for the special files.
func (s *Session) loadOverlay() map[string][]byte {
	m := s.overlayCopy()
	s.mu.Lock()
	defer s.mu.Unlock()
	for f := range s.special {
		if _, ok := m[f]; !ok {
			m[f] = skippedFile
		}
	}
	return m
}

// overlayCopy returns the overlays for go/packages.
func (s *Session) overlayCopy() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string][]byte, len(s.overlays))
	for k, v := range s.overlays {
		m[k] = v
	}
	return m
}
