package rules

import (
	"slices"
	"strings"
)

// Code is a check's stable code. Codes appear in suppression comments, JSON
// output and editor UIs, so they never change meaning.
type Code string

// The check codes, grouped by prefix: TB001 directives, TB1xx names, TB2xx
// scopes, TB3xx token use, TB4xx JWTs, TB5xx datasources (columns, engine,
// indexes, ingestion, connections), TB6xx pipes (nodes, output, materialized
// views, copy, sink, cache), TB7xx the project (TB710+: references).
const (
	TB001 Code = "TB001"
	TB101 Code = "TB101"
	TB102 Code = "TB102"
	TB103 Code = "TB103"
	TB104 Code = "TB104"
	TB201 Code = "TB201"
	TB202 Code = "TB202"
	TB203 Code = "TB203"
	TB204 Code = "TB204"
	TB205 Code = "TB205"
	TB206 Code = "TB206"
	TB301 Code = "TB301"
	TB302 Code = "TB302"
	TB401 Code = "TB401"
	TB402 Code = "TB402"
	TB403 Code = "TB403"
	TB404 Code = "TB404"
	TB501 Code = "TB501"
	TB502 Code = "TB502"
	TB503 Code = "TB503"
	TB504 Code = "TB504"
	TB505 Code = "TB505"
	TB506 Code = "TB506"
	TB507 Code = "TB507"
	TB508 Code = "TB508"
	TB510 Code = "TB510"
	TB511 Code = "TB511"
	TB512 Code = "TB512"
	TB513 Code = "TB513"
	TB514 Code = "TB514"
	TB515 Code = "TB515"
	TB520 Code = "TB520"
	TB530 Code = "TB530"
	TB531 Code = "TB531"
	TB532 Code = "TB532"
	TB540 Code = "TB540"
	TB601 Code = "TB601"
	TB602 Code = "TB602"
	TB603 Code = "TB603"
	TB604 Code = "TB604"
	TB605 Code = "TB605"
	TB610 Code = "TB610"
	TB620 Code = "TB620"
	TB621 Code = "TB621"
	TB622 Code = "TB622"
	TB630 Code = "TB630"
	TB631 Code = "TB631"
	TB640 Code = "TB640"
	TB641 Code = "TB641"
	TB642 Code = "TB642"
	TB643 Code = "TB643"
	TB701 Code = "TB701"
	TB702 Code = "TB702"
	TB703 Code = "TB703"
	TB710 Code = "TB710"
)

// Severity says how bad a finding is.
type Severity int

// The severities, in LSP order.
const (
	Error Severity = iota + 1
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "unknown"
}

// Analyzer names: the go/analysis analyzers that own the checks.
const (
	AnalyzerTokenName    = "tokenname"
	AnalyzerResourceName = "resourcename"
	AnalyzerScope        = "scope"
	AnalyzerTokenUse     = "tokenuse"
	AnalyzerJWT          = "jwt"
	AnalyzerDatasource   = "datasource"
	AnalyzerPipe         = "pipe"
	AnalyzerProject      = "project"
)

// Check documents one check. The same text serves the README, `tbvet help`,
// hover and the diagnostic's documentation URL.
type Check struct {
	Code     Code
	Analyzer string // the analyzer that reports it; "" for TB001, reported by the owner of the code a directive names, and for project checks (TB7xx), which tbls reports from the whole project
	Severity Severity
	Title    string // one line, lower case, no period
	Doc      string // a paragraph
	Bad      string // Go code the check flags
	Good     string // the same code, fixed
}

// DocBaseURL is where the checks are documented; a check's anchor is its
// lower-case code.
const DocBaseURL = "https://github.com/tbls-dev/tbls/blob/main/README.md"

// URL returns the address of the check's documentation.
func (c Check) URL() string { return DocURL(c.Code) }

// DocURL returns the address of the documentation of the check with code.
func DocURL(code Code) string { return DocBaseURL + "#" + strings.ToLower(string(code)) }

// checks is the table, ordered by code: these, then the schema checks
// (checks_schema.go).
var checks = byCode(append([]Check{
	{
		Code: TB001, Severity: Warning,
		Title: "tbvet:ignore directive without a reason, with an unknown code, or that silences nothing",
		Doc:   "A //tbvet:ignore CODE reason directive silences CODE on its own line and the next; //tbvet:file-ignore CODE reason silences it in the whole file. A directive must give a reason, name a known check and silence something, so that suppressions stay honest and are removed once the code is fixed. The analyzer that owns the named check reports TB001.",
		Bad:   "//tbvet:ignore TB201\nTokens: []tinybird.TokenAccess{{Token: Ingest, Scope: tinybird.Append}},",
		Good:  "//tbvet:ignore TB201 legacy pipe, replaced in #42\nTokens: []tinybird.TokenAccess{{Token: Ingest, Scope: tinybird.Append}},",
	},
	{
		Code: TB101, Analyzer: AnalyzerTokenName, Severity: Error,
		Title: "invalid token name",
		Doc:   "A token name must start with a letter or underscore and contain only letters, digits and underscores (" + NamePattern + "). The TypeScript SDK throws at run time on such a name; tbvet reports it before the code runs and offers the nearest valid name.",
		Bad:   "var AppRead = tinybird.DefineToken(\"app-read\")",
		Good:  "var AppRead = tinybird.DefineToken(\"app_read\")",
	},
	{
		Code: TB102, Analyzer: AnalyzerTokenName, Severity: Error,
		Title: "invalid inline token name",
		Doc:   "The name of an inline token (TokenAccess.Name) follows the same rule as DefineToken's. The TypeScript SDK never checks inline names, so a bad one only fails at deploy time.",
		Bad:   "{Name: \"ingest-events\", Permissions: []tinybird.Scope{tinybird.Append}}",
		Good:  "{Name: \"ingest_events\", Permissions: []tinybird.Scope{tinybird.Append}}",
	},
	{
		Code: TB103, Analyzer: AnalyzerResourceName, Severity: Error,
		Title: "invalid datasource, pipe or node name",
		Doc:   "Datasource, pipe, node and connection names must start with a letter or underscore and contain only letters, digits and underscores (" + NamePattern + "). The name becomes a file name and an SQL identifier.",
		Bad:   "var Events = tinybird.DefineDatasource(\"web-events\", opts)",
		Good:  "var Events = tinybird.DefineDatasource(\"web_events\", opts)",
	},
	{
		Code: TB104, Analyzer: AnalyzerResourceName, Severity: Error,
		Title: "reserved resource name",
		Doc:   "Tinybird refuses datasources and pipes named after SQL keywords, databases, system tables, table functions or types (from, select, system, default, tinybird, public, main, …), ignoring case. numbers, values, zeros, materialized and totals are allowed.",
		Bad:   "var Select = tinybird.DefinePipe(\"select\", opts)",
		Good:  "var Selection = tinybird.DefinePipe(\"selection\", opts)",
	},
	{
		Code: TB201, Analyzer: AnalyzerScope, Severity: Error,
		Title: "scope other than READ on a pipe",
		Doc:   "Every pipe kind (pipe, endpoint, materialized view, copy pipe) accepts READ only; Tinybird refuses APPEND on a pipe at deploy time. The TypeScript SDK's compiler rejects it; Go's cannot, so tbvet does. Grant APPEND on the datasource the pipe reads instead.",
		Bad:   "tinybird.DefineEndpoint(\"top_events\", tinybird.EndpointOptions{\n\tTokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},\n})",
		Good:  "tinybird.DefineEndpoint(\"top_events\", tinybird.EndpointOptions{\n\tTokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},\n})",
	},
	{
		Code: TB202, Analyzer: AnalyzerScope, Severity: Error,
		Title: "unknown scope",
		Doc:   "A scope is exactly READ or APPEND. tinybird.Scope is a string type, so any string converts to it: WRITE, read or \"READ \" compile but are refused at deploy time. Use the tinybird.Read and tinybird.Append constants.",
		Bad:   "{Token: AppRead, Scope: \"read\"}",
		Good:  "{Token: AppRead, Scope: tinybird.Read}",
	},
	{
		Code: TB203, Analyzer: AnalyzerScope, Severity: Warning,
		Title: "Permissions on an inline pipe token",
		Doc:   "An inline token on a pipe ({Name: …}) is always granted READ; Permissions on it are ignored by the generator, so whatever they say never happens.",
		Bad:   "Tokens: []tinybird.TokenAccess{{Name: \"dashboard\", Permissions: []tinybird.Scope{tinybird.Read}}}, // on an endpoint",
		Good:  "Tokens: []tinybird.TokenAccess{{Name: \"dashboard\"}}, // on an endpoint",
	},
	{
		Code: TB204, Analyzer: AnalyzerScope, Severity: Warning,
		Title: "inline datasource token without Permissions",
		Doc:   "An inline datasource token emits one TOKEN line per permission. Without Permissions it emits none, so the token is never granted anything on the datasource.",
		Bad:   "Tokens: []tinybird.TokenAccess{{Name: \"ingest\"}}, // on a datasource",
		Good:  "Tokens: []tinybird.TokenAccess{{Name: \"ingest\", Permissions: []tinybird.Scope{tinybird.Append}}},",
	},
	{
		Code: TB205, Analyzer: AnalyzerScope, Severity: Error,
		Title: "malformed token access",
		Doc:   "A TokenAccess takes one of two forms: a defined token with its scope ({Token: t, Scope: s}), or an inline token ({Name: n}, with Permissions on a datasource). Setting both Token and Name, neither, or Token without Scope is an error. In datafiles, TOKEN takes exactly two arguments: the token name and the scope.",
		Bad:   "{Token: AppRead}",
		Good:  "{Token: AppRead, Scope: tinybird.Read}",
	},
	{
		Code: TB206, Analyzer: AnalyzerScope, Severity: Warning,
		Title: "the same token granted the same scope twice",
		Doc:   "Granting one token the same scope twice on one resource emits a duplicate TOKEN line. It is harmless but usually a copy-paste slip hiding the grant that was meant.",
		Bad:   "Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}, {Token: AppRead, Scope: tinybird.Read}},",
		Good:  "Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},",
	},
	{
		Code: TB301, Analyzer: AnalyzerTokenUse, Severity: Warning,
		Title: "token name defined twice",
		Doc:   "Two DefineToken calls with the same name in one package define the same Tinybird token twice; grants made through either variable land on one token, which is rarely what two variables suggest.",
		Bad:   "var A = tinybird.DefineToken(\"app_read\")\nvar B = tinybird.DefineToken(\"app_read\")",
		Good:  "var AppRead = tinybird.DefineToken(\"app_read\")",
	},
	{
		Code: TB302, Analyzer: AnalyzerTokenUse, Severity: Warning,
		Title: "token granted on no resource",
		Doc:   "Tinybird creates a static token when a resource grants it. A token held only in unexported variables (or in none) that no resource of its package grants is never created by a deploy. Exported tokens are not flagged: another package may grant them.",
		Bad:   "var reporting = tinybird.DefineToken(\"reporting\") // granted nowhere",
		Good:  "var reporting = tinybird.DefineToken(\"reporting\")\n// …\nTokens: []tinybird.TokenAccess{{Token: reporting, Scope: tinybird.Read}},",
	},
	{
		Code: TB401, Analyzer: AnalyzerJWT, Severity: Error,
		Title: "JWT scope type not allowed",
		Doc:   "Tinybird's CLI and server accept PIPES:READ and DATASOURCES:READ JWT scopes. DATASOURCES:APPEND appears in the TypeScript SDK's type but is refused; ingest with a static token that has APPEND instead.",
		Bad:   "{Type: \"DATASOURCES:APPEND\", Resource: \"events\"}",
		Good:  "{Type: tinybird.DatasourcesRead, Resource: \"events\"}",
	},
	{
		Code: TB402, Analyzer: AnalyzerJWT, Severity: Error,
		Title: "JWT scope without a resource",
		Doc:   "Every JWT scope names the pipe or datasource it grants; the server refuses a scope without one.",
		Bad:   "{Type: tinybird.PipesRead}",
		Good:  "{Type: tinybird.PipesRead, Resource: \"top_events\"}",
	},
	{
		Code: TB403, Analyzer: AnalyzerJWT, Severity: Warning,
		Title: "FixedParams or Filter on the wrong JWT scope type",
		Doc:   "FixedParams pin a pipe's query parameters and apply only to PIPES:READ; Filter restricts a datasource's rows and applies only to DATASOURCES:READ. Elsewhere they are ignored, so the restriction they suggest does not exist.",
		Bad:   "{Type: tinybird.DatasourcesRead, Resource: \"events\", FixedParams: map[string]any{\"org\": 1}}",
		Good:  "{Type: tinybird.DatasourcesRead, Resource: \"events\", Filter: \"org_id = 1\"}",
	},
	{
		Code: TB404, Analyzer: AnalyzerJWT, Severity: Error,
		Title: "JWT without a future expiration",
		Doc:   "Tinybird requires a JWT to expire in the future. tbvet reports JWTOptions whose ExpiresAt is left zero, or built only from constants (time.Date, time.Unix with constant arguments) and already past.",
		Bad:   "tinybird.JWTOptions{Name: \"dash\", ExpiresAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}",
		Good:  "tinybird.JWTOptions{Name: \"dash\", ExpiresAt: time.Now().Add(time.Hour)}",
	},
	{
		Code: TB710, Severity: Warning,
		Title: "reference to a datasource or pipe the project does not define",
		Doc:   "A table name in node SQL (FROM, JOIN), or a materialized view's or copy pipe's target (DATASOURCE, TARGET_DATASOURCE), that names no datasource, pipe or earlier node of the project fails at deploy. tbls resolves every name across Go and datafiles and offers the nearest defined name. CTEs, aliases, table functions, system tables, Tinybird service datasources (tinybird.*), datasources shared from another workspace (<workspace>.<name>) and names built by templates are not references. The classic CLI creates a materialized view's DATASOURCE target that the project lacks, so such a target is reported only when it is nearly the name of a defined datasource, and otherwise counts as defined. Reported by tbls (the language server and tbls check), which sees the whole project.",
		Bad:   "tinybird.Node{Name: \"top\", SQL: \"SELECT * FROM evnets\"}",
		Good:  "tinybird.Node{Name: \"top\", SQL: \"SELECT * FROM events\"}",
	},
}, schemaChecks...))

// byCode sorts checks by code, so that each file of the table may list its
// own.
func byCode(cs []Check) []Check {
	slices.SortFunc(cs, func(a, b Check) int { return strings.Compare(string(a.Code), string(b.Code)) })
	return cs
}

var checksByCode = func() map[Code]*Check {
	m := make(map[Code]*Check, len(checks))
	for i := range checks {
		m[checks[i].Code] = &checks[i]
	}
	return m
}()

// Checks returns every check, ordered by code. The caller must not modify
// the result.
func Checks() []Check { return checks }

// Lookup returns the check with code.
func Lookup(code Code) (Check, bool) {
	c, ok := checksByCode[code]
	if !ok {
		return Check{}, false
	}
	return *c, true
}

// ChecksOf returns the checks reported by the named analyzer, ordered by code.
func ChecksOf(analyzer string) []Check {
	var cs []Check
	for _, c := range checks {
		if c.Analyzer == analyzer {
			cs = append(cs, c)
		}
	}
	return cs
}

// Owner returns the analyzer that owns code, and so reports TB001 for a
// directive naming it.
func Owner(code Code) (string, bool) {
	c, ok := checksByCode[code]
	if !ok || c.Analyzer == "" || c.Analyzer == AnalyzerDatafile {
		return "", false // datafile checks have no Go analyzer to own a directive
	}
	return c.Analyzer, true
}
