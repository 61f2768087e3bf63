package datafile

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// TestSDKGoldenFiles checks the datafiles the TypeScript SDK's generators
// write (the golden files of package tinybird, byte for byte the SDK's
// output): Tinybird deploys them, so the checker must accept their every
// directive, column, type and engine key: any finding on one would be a
// false positive.
func TestSDKGoldenFiles(t *testing.T) {
	var paths []string
	err := filepath.WalkDir("../tinybird/testdata/golden", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && FileKindOf(p) != 0 {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 100 {
		t.Fatalf("found %d golden datafiles, want the SDK's cases", len(paths))
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range Check(p, src) {
			// The file names are the test cases' (all.datasource): not
			// resource names to judge. x/types/all.datasource tests how
			// the generator writes modifiers applied twice, which
			// ClickHouse refuses: those two types are rightly TB506.
			at := string(src[d.Start:d.End])
			if d.Code == rules.TB103 || d.Code == rules.TB104 ||
				d.Code == rules.TB506 && (at == "LowCardinality(Nullable(Nullable(String)))" || at == "LowCardinality(LowCardinality(Nullable(String)))") {
				continue
			}
			t.Errorf("%s: %s %q %s", p, d.Code, at, d.Message)
		}
	}
}
