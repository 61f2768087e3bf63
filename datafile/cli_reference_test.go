package datafile

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestCLIReference compares the parser with the Tinybird CLI's own way of
// splitting datafiles, recorded by testdata/cli_reference.py with Python's
// shlex (the module the CLI uses) on random lines and files: the words of
// each line, unterminated quotes, and the directives and block bodies of
// each file.
func TestCLIReference(t *testing.T) {
	b, err := os.ReadFile("testdata/cli_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Lines []struct {
			Line         string
			Words        []string
			Unterminated bool
		}
		Files []struct {
			Src        string
			Directives []struct {
				Kw   string
				Args []string
				Body *string
			}
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Lines) < 1000 || len(ref.Files) < 500 {
		t.Fatalf("reference has %d lines and %d files, want the recorded sets", len(ref.Lines), len(ref.Files))
	}
	for _, l := range ref.Lines {
		toks, _, unterminated := lex(l.Line, 0, len(l.Line), nil)
		if (unterminated != nil) != l.Unterminated {
			t.Errorf("%q: unterminated = %v, CLI %v", l.Line, unterminated != nil, l.Unterminated)
			continue
		}
		if l.Unterminated {
			continue // the CLI re-splits the line as one quoted word
		}
		var words []string
		for _, tk := range toks {
			words = append(words, tk.Text)
		}
		if !slices.Equal(words, l.Words) {
			t.Errorf("%q: words %q, CLI %q", l.Line, words, l.Words)
		}
	}
	for _, rf := range ref.Files {
		var want []string
		for _, d := range rf.Directives {
			if d.Body != nil {
				want = append(want, d.Kw+" > "+*d.Body)
			} else {
				want = append(want, strings.Join(append([]string{d.Kw}, d.Args...), " "))
			}
		}
		f := Parse([]byte(rf.Src))
		var got []string
	directives:
		for _, d := range f.Directives {
			if d.Block != nil {
				got = append(got, d.Keyword.Text+" > "+d.Block.Text(f.Src))
				continue
			}
			for _, e := range f.Errors {
				if d.LineStart <= e.Start && e.Start <= d.LineEnd {
					continue directives // the CLI refuses the line: not a directive to compare
				}
			}
			words := []string{d.Keyword.Text}
			for _, a := range d.Args {
				words = append(words, a.Text)
			}
			got = append(got, strings.Join(words, " "))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %q\n CLI %q", rf.Src, got, want)
		}
	}
}
