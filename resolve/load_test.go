package resolve

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestDatafilePathsWalk checks that the project walk is the datafile
// walk's: _migration/ is read (real projects keep datafiles there), hidden
// directories, vendor, node_modules and testdata are not.
func TestDatafilePathsWalk(t *testing.T) {
	dir := t.TempDir()
	for _, rel := range []string{
		"datasources/events.datasource",
		"_migration/old.pipe",
		".diff_tmp/x.pipe",
		"vendor/ws/shared.datasource",
		"node_modules/p/y.pipe",
		"testdata/bad.pipe",
	} {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("NODE n\nSQL >\n    SELECT 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := DatafilePaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		got = append(got, filepath.ToSlash(rel))
	}
	slices.Sort(got)
	if want := []string{"_migration/old.pipe", "datasources/events.datasource"}; !slices.Equal(got, want) {
		t.Errorf("DatafilePaths = %q, want %q", got, want)
	}
}
