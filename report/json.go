package report

import (
	"encoding/json"
	"io"
)

// JSONVersion is the version of the json format's schema. It changes only
// when a field changes meaning or goes away; new fields may appear without
// a change. Version 2 took the check code out of "message" (it is in
// "code") and added "checked".
const JSONVersion = 2

// jsonDiagnostic adds the computed fields to a Diagnostic.
type jsonDiagnostic struct {
	Diagnostic
	Severity string `json:"severity"`
}

// WriteJSON writes
//
//	{"version": 2, "checked": {"goPackages", "datafiles"},
//	 "diagnostics": [{"file", "start", "end", "code", "analyzer",
//	   "severity", "message", "url", "fixes"}, …]}
//
// the same fields for Go and datafile findings, with severity "error" or
// "warning", the message without the code, file relative to BaseDir when
// it lies below it, and fixes omitted when there are none. "checked" is
// opts.Checked. "diagnostics" is [] (not null) when there are none.
func WriteJSON(w io.Writer, diags []Diagnostic, opts Options) error {
	out := struct {
		Version     int              `json:"version"`
		Checked     Checked          `json:"checked"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Version: JSONVersion, Checked: opts.Checked, Diagnostics: []jsonDiagnostic{}}
	for _, d := range sorted(diags) {
		d.File, _ = relPath(opts.BaseDir, d.File)
		d.URL = d.DocURL()
		d.Message = d.BareMessage()
		d.Fixes = relFixes(opts.BaseDir, d.Fixes)
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{Diagnostic: d, Severity: d.Level().String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// relFixes returns a copy of fixes whose edits' files are relative to base.
func relFixes(base string, fixes []Fix) []Fix {
	if fixes == nil {
		return nil
	}
	out := make([]Fix, len(fixes))
	for i, f := range fixes {
		out[i] = Fix{Message: f.Message, Edits: make([]Edit, len(f.Edits))}
		for j, e := range f.Edits {
			e.File, _ = relPath(base, e.File)
			out[i].Edits[j] = e
		}
	}
	return out
}
