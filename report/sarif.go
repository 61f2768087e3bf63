package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/tbls-dev/tbls/rules"
)

// The SARIF version written and its schema.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// srcRoot is the uriBaseId of every relative artifact location: code
// scanning resolves it against the checkout.
const srcRoot = "%SRCROOT%"

// informationURI is the tool's home page.
const informationURI = "https://github.com/tbls-dev/tbls"

// The SARIF 2.1.0 objects tbvet writes: the subset of the schema that code
// scanning reads. Field names are the schema's.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
		ColumnKind         string                      `json:"columnKind"`
		Properties         sarifRunProperties          `json:"properties"`
	}
	sarifRunProperties struct {
		Checked Checked `json:"checked"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string           `json:"id"`
		Name                 string           `json:"name"`
		ShortDescription     sarifText        `json:"shortDescription"`
		FullDescription      sarifText        `json:"fullDescription"`
		Help                 sarifHelp        `json:"help"`
		HelpURI              string           `json:"helpUri"`
		DefaultConfiguration sarifRuleConfig  `json:"defaultConfiguration"`
		Properties           *sarifProperties `json:"properties,omitempty"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifProperties struct {
		Tags []string `json:"tags,omitempty"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex *int            `json:"ruleIndex,omitempty"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
		Fixes     []sarifFix      `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent sarifText   `json:"insertedContent"`
	}
)

// WriteSARIF writes a SARIF 2.1.0 log with one run: the tool (ToolName,
// ToolVersion) with every check of rules as a rule, and one result per
// diagnostic. Files below BaseDir get URIs relative to %SRCROOT% (declared
// as BaseDir in originalUriBaseIds), which is what code scanning expects;
// others get absolute file: URIs. Columns are UTF-16 code units, SARIF's
// default, stated in the run's columnKind. Suggested fixes become fixes.
// The run's properties hold opts.Checked as "checked": {"goPackages",
// "datafiles"}.
func WriteSARIF(w io.Writer, diags []Diagnostic, opts Options) error {
	driver := sarifDriver{
		Name:           opts.ToolName,
		InformationURI: informationURI,
		Version:        opts.ToolVersion,
		Rules:          []sarifRule{},
	}
	if driver.Name == "" {
		driver.Name = "tbvet"
	}
	index := make(map[rules.Code]int)
	for _, c := range rules.Checks() {
		index[c.Code] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleOf(c))
	}
	run := sarifRun{
		Tool:       sarifTool{Driver: driver},
		Results:    []sarifResult{},
		ColumnKind: "utf16CodeUnits",
		Properties: sarifRunProperties{Checked: opts.Checked},
	}
	if opts.BaseDir != "" {
		if abs, err := filepath.Abs(opts.BaseDir); err == nil {
			run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: fileURI(abs, true)}}
		}
	}
	for _, d := range sorted(diags) {
		r := sarifResult{
			RuleID:    string(d.Code),
			Level:     d.Level().String(),
			Message:   sarifText{Text: d.BareMessage()},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: artifact(opts.BaseDir, d.File), Region: region(d.Start, d.End)}}},
		}
		if i, ok := index[d.Code]; ok {
			r.RuleIndex = &i
		}
		for _, f := range d.Fixes {
			r.Fixes = append(r.Fixes, sarifFixOf(opts.BaseDir, f))
		}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

func sarifRuleOf(c rules.Check) sarifRule {
	var md strings.Builder
	md.WriteString(c.Doc)
	if c.Bad != "" {
		md.WriteString("\n\nFlagged:\n\n```" + c.ExampleLang() + "\n" + c.Bad + "\n```")
	}
	if c.Good != "" {
		md.WriteString("\n\nFixed:\n\n```" + c.ExampleLang() + "\n" + c.Good + "\n```")
	}
	tags := []string{"tinybird"}
	if c.Analyzer != "" {
		tags = append(tags, c.Analyzer)
	}
	return sarifRule{
		ID:                   string(c.Code),
		Name:                 ruleName(c.Title),
		ShortDescription:     sarifText{Text: c.Title},
		FullDescription:      sarifText{Text: c.Doc},
		Help:                 sarifHelp{Text: c.Doc, Markdown: md.String()},
		HelpURI:              c.URL(),
		DefaultConfiguration: sarifRuleConfig{Level: c.Severity.String()},
		Properties:           &sarifProperties{Tags: tags},
	}
}

// ruleName turns a check's title into the PascalCase identifier SARIF
// suggests for a rule's name: "invalid token name" → "InvalidTokenName".
func ruleName(title string) string {
	var b strings.Builder
	upper := true
	for _, r := range title {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func region(start, end Position) sarifRegion {
	if end.Line == 0 {
		end = start
	}
	return sarifRegion{StartLine: start.Line, StartColumn: start.Column, EndLine: end.Line, EndColumn: end.Column}
}

func sarifFixOf(base string, f Fix) sarifFix {
	fix := sarifFix{Description: sarifText{Text: f.Message}, ArtifactChanges: []sarifArtifactChange{}}
	byFile := make(map[string]int)
	for _, e := range f.Edits {
		i, ok := byFile[e.File]
		if !ok {
			i = len(fix.ArtifactChanges)
			byFile[e.File] = i
			fix.ArtifactChanges = append(fix.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(base, e.File)})
		}
		fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion:   region(e.Start, e.End),
			InsertedContent: sarifText{Text: e.NewText},
		})
	}
	return fix
}

// artifact locates file: relative to %SRCROOT% when below base, else by an
// absolute file URI.
func artifact(base, file string) sarifArtifactLoc {
	if rel, ok := relPath(base, file); ok {
		// String, unlike EscapedPath, prefixes "./" when the first segment
		// holds a colon, which would otherwise read as a scheme.
		return sarifArtifactLoc{URI: (&url.URL{Path: rel}).String(), URIBaseID: srcRoot}
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	return sarifArtifactLoc{URI: fileURI(abs, false)}
}

// fileURI returns the file: URI of an absolute path; dir adds the trailing
// slash SARIF requires of a base URI.
func fileURI(abs string, dir bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: C:/x → /C:/x
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
