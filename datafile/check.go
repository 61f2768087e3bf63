package datafile

import (
	"sort"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Diagnostic is one finding of Check, at a byte range of the source.
type Diagnostic struct {
	Code     rules.Code
	Severity rules.Severity
	Message  string
	// Start and End delimit the text at fault: the scope word, the token
	// name, or the TOKEN line (keyword to last word) for its shape; the
	// first line of the file for the resource name.
	Start, End int
	// Fixes are alternative fixes; no two share a Message.
	Fixes []Fix
}

// Fix is one way to fix a diagnostic.
type Fix struct {
	// Message is a verb phrase: "Change the scope to READ".
	Message string
	// Edits are non-overlapping, ordered by Start.
	Edits []Edit
}

// Edit replaces src[Start:End] with NewText.
type Edit struct {
	Start, End int
	NewText    string
}

// Options configure CheckWith.
type Options struct {
	// ReadFile reads the file an INCLUDE names, given its path: the INCLUDE's
	// argument joined to the directory of the including file. Nil leaves
	// INCLUDE unresolved; the checks that need the included text (TB501,
	// TB601) then pass over a file that has an INCLUDE.
	ReadFile func(path string) ([]byte, error)
}

// Check parses a datafile and checks it, without reading INCLUDEd files.
// filename decides the file's kind and the resource's name (see FileKindOf,
// ResourceKind, ResourceName); a file that is not a .datasource, .pipe,
// .connection or .incl file gets no diagnostics. Diagnostics are ordered by
// Start, then code.
func Check(filename string, src []byte) []Diagnostic {
	return CheckWith(filename, src, Options{})
}

// CheckWith is Check with options: opts.ReadFile resolves INCLUDE.
func CheckWith(filename string, src []byte, opts Options) []Diagnostic {
	return CheckFileWith(ParseFile(filename, src), filename, opts)
}

// CheckFile checks a file parsed by ParseFile, without reading INCLUDEd
// files. A file without a FileKind gets no diagnostics.
func CheckFile(f *File) []Diagnostic {
	return CheckFileWith(f, "", Options{})
}

// CheckFileWith checks a file parsed by ParseFile from path. INCLUDE paths
// are relative to path's directory.
func CheckFileWith(f *File, path string, opts Options) []Diagnostic {
	if f.FileKind == 0 {
		return nil
	}
	c := checker{f: f}
	c.bom()
	c.resourceName()
	if !c.empty() {
		inc := c.includes(path, opts)
		if bare := c.shape(inc); !bare {
			c.directives()
		}
		c.nodes()
		c.schema()
		if f.Kind != 0 {
			c.tokens()
		}
	}
	sort.SliceStable(c.diags, func(i, j int) bool {
		a, b := c.diags[i], c.diags[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Code < b.Code
	})
	return c.diags
}

type checker struct {
	f     *File
	diags []Diagnostic
}

func (c *checker) report(code rules.Code, sev rules.Severity, msg string, start, end int, fixes ...Fix) {
	if sev == 0 {
		if chk, ok := rules.Lookup(code); ok {
			sev = chk.Severity
		} else {
			sev = rules.Error
		}
	}
	c.diags = append(c.diags, Diagnostic{Code: code, Severity: sev, Message: msg, Start: start, End: end, Fixes: fixes})
}

// resourceName checks the name the file name gives the resource. The file
// name has no place in the text, so the finding covers the first line (an
// empty range at 0 when the first line is empty): editors show it at the top
// of the file.
func (c *checker) resourceName() {
	var subject rules.Subject
	switch c.f.FileKind {
	case rules.FileDatasource:
		subject = rules.SubjectDatasource
	case rules.FilePipe:
		subject = rules.SubjectPipe
	case rules.FileConnection:
		subject = rules.SubjectConnection
	default:
		return // an .incl file names no resource
	}
	if p := rules.CheckDatafileName(subject, c.f.Name); p != nil {
		start := 0
		if c.f.BOM {
			start = len(bom)
		}
		c.report(p.Code, 0, p.Message, start, max(start, c.f.lineEnd(0)))
	}
}

// grantKey identifies a grant for TB206.
type grantKey struct{ name, scope string }

// tokens checks every TOKEN line.
func (c *checker) tokens() {
	seen := make(map[grantKey]bool)
	for _, d := range c.f.Directives {
		if !d.Is("TOKEN") {
			continue
		}
		if d.Block != nil {
			c.report(rules.TB205, 0, rules.MsgTokenBlock, d.Start, d.Block.Marker.End, c.removeLine(d))
			continue
		}
		if n := len(d.Args); n > 0 && d.Args[n-1].Unterminated {
			a := d.Args[n-1]
			c.report(rules.TB205, 0, rules.UnterminatedQuoteMessage(a.Quote), a.Start, a.End, closeQuote(a))
			continue
		}
		if len(d.Args) != 2 {
			msg := rules.TokenArityMessage(len(d.Args))
			if d.Comment != nil && d.Comment.Start > 0 && !isSpace(c.f.Src[d.Comment.Start-1]) {
				msg += rules.MsgTokenHashComment
			}
			c.report(rules.TB205, 0, msg, d.Start, d.HeaderEnd, c.arityFixes(d)...)
			continue
		}
		name, scope := d.Args[0], d.Args[1]
		c.tokenName(name)
		ok := c.scope(d, scope)
		if !ok {
			continue
		}
		key := grantKey{name.Value(), strings.ToUpper(scope.Text)}
		if seen[key] {
			c.report(rules.TB206, 0, rules.DuplicateGrantMessage(key.name, key.scope), d.Start, d.HeaderEnd,
				c.removeLineAs(d, "Remove the duplicate TOKEN line"))
			continue
		}
		seen[key] = true
	}
}

// tokenName checks a token name (TB101, a warning in datafiles).
func (c *checker) tokenName(name Token) {
	p, sev := rules.CheckDatafileTokenName(name.Value())
	if p == nil {
		return
	}
	var fixes []Fix
	if proposed, ok := rules.ProposeName(name.Value()); ok {
		fixes = append(fixes, Fix{Message: rules.RenameTitle(rules.SubjectToken, name.Value(), proposed), Edits: []Edit{{name.Start, name.End, proposed}}})
	}
	c.report(p.Code, sev, p.Message, name.Start, name.End, fixes...)
}

// scope checks the permission of a TOKEN line (TB202, TB201). It reports
// whether the Tinybird CLI accepts the line as a grant on the file's kind,
// possibly after upper-casing, which makes it count for TB206.
func (c *checker) scope(d *Directive, scope Token) bool {
	p := rules.CheckDatafileScope(c.f.Kind, scope.Value(), scope.Quote != 0)
	if p == nil {
		return true
	}
	var fixes []Fix
	if p.Suggest != "" {
		verb := "Change the scope to "
		if p.Code == rules.TB202 && strings.EqualFold(scope.Value(), p.Suggest) && scope.Quote == 0 {
			verb = "Write the scope in upper case: "
		}
		fixes = append(fixes, Fix{Message: verb + p.Suggest, Edits: []Edit{{scope.Start, scope.End, p.Suggest}}})
	}
	if p.Code == rules.TB201 {
		fixes = append(fixes, c.removeLine(d))
	}
	c.report(p.Code, p.Severity, p.Message, scope.Start, scope.End, fixes...)
	return p.Severity == rules.Warning
}

// arityFixes proposes fixes for a TOKEN line with the wrong number of
// arguments.
func (c *checker) arityFixes(d *Directive) []Fix {
	args := d.Args
	switch {
	case len(args) == 0:
		return []Fix{c.removeLine(d)}
	case len(args) == 1:
		// The scope is missing: offer each scope the kind accepts.
		var fixes []Fix
		for _, s := range rules.Scopes(c.f.Kind) {
			fixes = append(fixes, Fix{Message: "Add the scope " + s, Edits: []Edit{{args[0].End, args[0].End, " " + s}}})
		}
		return append(fixes, c.removeLine(d))
	}
	// Several words before a last word that is a scope: most likely a name
	// with spaces that lacks its quotes.
	last := args[len(args)-1]
	words := args[:len(args)-1]
	if !rules.KnownScope(strings.ToUpper(last.Text)) {
		if rules.KnownScope(strings.ToUpper(args[1].Text)) {
			// A scope in its place, then words the CLI refuses.
			return []Fix{
				{Message: "Remove the words after the scope", Edits: []Edit{{args[1].End, last.End, ""}}},
				c.removeLine(d),
			}
		}
		return []Fix{c.removeLine(d)}
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = w.Value()
	}
	start, end := words[0].Start, words[len(words)-1].End
	var fixes []Fix
	joined := strings.Join(parts, "_")
	if rules.ValidName(joined) {
		fixes = append(fixes, Fix{Message: "Join the name's words with underscores: " + joined, Edits: []Edit{{start, end, joined}}})
	}
	spaced := strings.Join(parts, " ")
	if !strings.Contains(spaced, `"`) {
		fixes = append(fixes, Fix{Message: "Quote the token name", Edits: []Edit{{start, end, `"` + spaced + `"`}}})
	}
	return append(fixes, c.removeLine(d))
}

// closeQuote proposes where to close an unterminated quoted word: before
// its last word when that is a scope (TOKEN "read api READ), else at the end
// of the line.
func closeQuote(a Token) Fix {
	q := string(a.Quote)
	body := strings.TrimRight(a.Text, " \t")
	if i := strings.LastIndexAny(body, " \t"); i > 0 && rules.KnownScope(strings.ToUpper(body[i+1:])) {
		if nameEnd := len(strings.TrimRight(body[:i], " \t")); nameEnd > 1 {
			return Fix{Message: "Close the quote before the scope", Edits: []Edit{{a.Start + nameEnd, a.Start + nameEnd, q}}}
		}
	}
	return Fix{Message: "Close the quote at the end of the line", Edits: []Edit{{a.End, a.End, q}}}
}

func (c *checker) removeLine(d *Directive) Fix {
	return c.removeLineAs(d, "Remove the TOKEN line")
}

// removeLineAs returns a fix deleting d's line (its body too, if any) with
// its line terminator.
func (c *checker) removeLineAs(d *Directive, msg string) Fix {
	end := max(d.End, d.LineEnd)
	src := c.f.Src
	if end < len(src) && src[end] == '\r' {
		end++
	}
	if end < len(src) && src[end] == '\n' {
		end++
	}
	return Fix{Message: msg, Edits: []Edit{{d.LineStart, end, ""}}}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' }
