package rules

// Checks that only datafiles can fail: the Tinybird CLI's refusals of a
// file's shape. Go code declares resources through the SDK, which cannot
// write these mistakes, so no analyzer reports them. What Go can get wrong
// too keeps the schema checks' codes in datafiles: a datasource without
// SCHEMA is TB501, a pipe without NODE TB601 (with the CLI's words).

// AnalyzerDatafile is the reporter of the datafile-only checks: the datafile
// checker of tbls (and of `tbls check`).
const AnalyzerDatafile = "datafile"

// The datafile-only check codes.
const (
	TB801 Code = "TB801"
	TB802 Code = "TB802"
	TB803 Code = "TB803"
	TB804 Code = "TB804"
)

// ExampleLang is the Markdown language of the check's Bad and Good
// examples: "go", or "" for the datafile checks, whose examples are
// datafile text.
func (c Check) ExampleLang() string {
	if c.Analyzer == AnalyzerDatafile {
		return ""
	}
	return "go"
}

var datafileChecks = []Check{
	{
		Code: TB801, Analyzer: AnalyzerDatafile, Severity: Error,
		Title: "directive the file's kind does not accept",
		Doc:   "A line that starts in column 0 is a directive, and each kind of datafile accepts its own set (the CLIs' command tables: the classic CLI's single table, the Forward CLI's per-kind tables for .datasource, .pipe and .connection files). Anything else fails with \"X is not a valid option in … files\": a -- SQL comment in column 0, a misspelt directive, SETTINGS (use ENGINE_SETTINGS), NODE in a .datasource file, or a UTF-8 byte-order mark glued to the first word. tbls reports a directive only when neither CLI accepts it for the file's kind.",
		Bad:   "-- daily totals\nNODE daily\nSQL >\n    SELECT 1",
		Good:  "# daily totals\nNODE daily\nSQL >\n    SELECT 1",
	},
	{
		Code: TB802, Analyzer: AnalyzerDatafile, Severity: Error,
		Title: "empty datafile",
		Doc:   "A .datasource, .pipe or .connection file with no directive (empty, or only comments) declares nothing, and the Tinybird CLI refuses it: a datasource needs SCHEMA (TB501), a pipe at least one NODE (TB601).",
		Bad:   "# TODO",
		Good:  "SCHEMA >\n    `timestamp` DateTime",
	},
	{
		Code: TB803, Analyzer: AnalyzerDatafile, Severity: Error,
		Title: "unknown node TYPE",
		Doc:   "A node's TYPE is endpoint, materialized, copy or sink (the CLIs also know standard, default and stream), in any case. Anything else is refused: \"Invalid node … of type (…)\".",
		Bad:   "NODE top\nSQL >\n    SELECT 1\nTYPE api",
		Good:  "NODE top\nSQL >\n    SELECT 1\nTYPE endpoint",
	},
	{
		Code: TB804, Analyzer: AnalyzerDatafile, Severity: Error,
		Title: "missing, cyclic or too deeply nested INCLUDE",
		Doc:   "INCLUDE \"path.incl\" splices another file into a datafile; the path is relative to the including file. The classic CLI fails when the file does not exist (\"Included file … not found\") and would include a file that includes itself forever. The Forward CLI does not support INCLUDE yet; tbls reads it as the classic CLI does.",
		Bad:   "INCLUDE \"includes/comon.incl\"",
		Good:  "INCLUDE \"includes/common.incl\"",
	},
}

func init() {
	checks = append(checks, datafileChecks...)
	for i := range checks {
		checksByCode[checks[i].Code] = &checks[i]
	}
}
