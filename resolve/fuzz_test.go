package resolve

import (
	"testing"

	"github.com/tbls-dev/tbls/datafile"
)

// FuzzDatafile resolves arbitrary datafile texts: it never panics, every
// name it records lies in the text and spells the name (unless the name is
// fixed by a template or a quoted word), and renaming anything it finds
// either succeeds with edits inside the text or is refused.
func FuzzDatafile(f *testing.F) {
	for _, s := range []string{
		"NODE a\nSQL >\n    SELECT * FROM events JOIN a USING x\n\nTYPE copy\nTARGET_DATASOURCE {{ t }}\n",
		"TOKEN app_read READ\nTOKEN \"x y\" APPEND\n",
		"VERSION 2\nSCHEMA >\n    `a` String\n",
		"INCLUDE \"x.incl\"\nNODE n\nSQL >\n    %\n    SELECT * FROM $t WHERE {{ a }}\n",
		"NODE \"q\nSQL >\n  FROM `",
	} {
		f.Add("p.pipe", s)
		f.Add("d.datasource", s)
	}
	f.Fuzz(func(t *testing.T, name, src string) {
		if !IsDatafile(name) {
			name = "f.pipe"
		}
		rf := Datafile(name, datafile.ParseFile(name, []byte(src)))
		for _, d := range rf.Decls {
			if d.FromFileName {
				continue
			}
			if d.Start < 0 || d.End > len(src) || d.Start > d.End {
				t.Fatalf("decl %+v outside a %d-byte text", d, len(src))
			}
		}
		for _, r := range rf.Refs {
			if r.Start < 0 || r.End > len(src) || r.Start > r.End {
				t.Fatalf("ref %+v outside a %d-byte text", r, len(src))
			}
			if r.Fixed == "" && r.Use == UseTable && src[r.Start:r.End] != r.Name && !r.Dotted {
				t.Fatalf("ref %q spans %q", r.Name, src[r.Start:r.End])
			}
		}
		p := NewProject(rf)
		_ = p.Unknowns()
		for _, r := range rf.Refs {
			tg, _, _, err := p.PrepareRename(name, r.Start)
			if err != nil {
				continue
			}
			ren, err := p.Rename(tg, "renamed_name")
			if err != nil {
				continue
			}
			for _, e := range ren.Edits {
				if e.Start < 0 || e.End > len(src) || e.Start > e.End {
					t.Fatalf("edit %+v outside the text", e)
				}
			}
		}
	})
}
