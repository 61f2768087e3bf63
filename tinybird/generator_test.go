package tinybird

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// goldenPath returns the golden file of a case: testdata/golden/<id>.<ext>,
// the text @tinybirdco/sdk generates (see testdata/parity).
func goldenPath(c generatorCase, d datafiler) string {
	ext := ".datasource"
	switch d.(type) {
	case *Pipe:
		ext = ".pipe"
	case Connection:
		ext = ".connection"
	}
	return filepath.Join("testdata", "golden", filepath.FromSlash(c.id)+ext)
}

// TestGeneratorGolden compares every case's datafile with the TypeScript
// generator's text for the same definition, exactly.
func TestGeneratorGolden(t *testing.T) {
	for _, c := range generatorCases {
		t.Run(c.id, func(t *testing.T) {
			d := c.build()
			want, err := os.ReadFile(goldenPath(c, d))
			if err != nil {
				t.Fatalf("golden file missing (run node testdata/parity/generate.mjs --golden testdata/golden): %v", err)
			}
			if got := d.Datafile(); got != string(want) {
				t.Errorf("%s: datafile differs from @tinybirdco/sdk's\n--- got\n%s\n--- want\n%s", c.id, got, want)
			}
		})
	}
}

// TestGeneratorCasesValid checks that the generator cases are valid
// projects, so WriteDatafiles writes them (the TypeScript definitions did
// not throw either), except those that write what ClickHouse refuses on
// purpose, to match the TypeScript generator: those must be reported with
// the expected codes and nothing else.
func TestGeneratorCasesValid(t *testing.T) {
	// x/types/all doubles Nullable and LowCardinality, which the
	// TypeScript SDK writes as is and ClickHouse refuses.
	refused := map[string][]rules.Code{"x/types/all": {rules.TB506, rules.TB506}}
	for _, c := range generatorCases {
		var opts ProjectOptions
		switch d := c.build().(type) {
		case *Datasource:
			opts.Datasources = []*Datasource{d}
		case *Pipe:
			opts.Pipes = []*Pipe{d}
		case Connection:
			opts.Connections = []Connection{d}
		}
		err := DefineProject(opts).Validate()
		if want, ok := refused[c.id]; ok {
			var ve *ValidationError
			if !errors.As(err, &ve) || !slices.Equal(ve.Codes(), want) {
				t.Errorf("%s: Validate() = %v, want the codes %v", c.id, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.id, err)
		}
	}
}

// TestGeneratorGoldensHaveCases checks there is no golden file without a Go
// case (a case dropped from the table would otherwise go unnoticed).
func TestGeneratorGoldensHaveCases(t *testing.T) {
	ids := map[string]bool{}
	for _, c := range generatorCases {
		if ids[c.id] {
			t.Errorf("case %s appears twice", c.id)
		}
		ids[c.id] = true
	}
	root := filepath.Join("testdata", "golden")
	n := 0
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		id := strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel))
		n++
		if !ids[id] {
			t.Errorf("golden %s has no Go case", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(generatorCases) {
		t.Errorf("%d golden files for %d cases", n, len(generatorCases))
	}
}
