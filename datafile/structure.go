package datafile

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// The checks of a file's shape, as the Tinybird CLI reads it: the byte-order
// mark, empty files, directives the kind does not accept, SCHEMA and NODE,
// node names and types, and INCLUDE.

// bom reports a UTF-8 byte-order mark (TB801).
func (c *checker) bom() {
	if c.f.BOM {
		c.report(rules.TB801, 0, rules.MsgBOM, 0, len(bom),
			Fix{Message: "Remove the byte-order mark", Edits: []Edit{{0, len(bom), ""}}})
	}
}

// empty reports a file without a single directive (TB802) and whether it
// did. An .incl file may be empty: including it adds nothing.
func (c *checker) empty() bool {
	f := c.f
	if len(f.Directives) > 0 || len(f.Errors) > 0 {
		return false
	}
	var msg string
	switch f.FileKind {
	case rules.FileDatasource:
		msg = rules.MsgEmptyDatasource
	case rules.FilePipe:
		msg = rules.MsgEmptyPipe
	case rules.FileConnection:
		msg = rules.MsgEmptyConnection
	default:
		return false
	}
	start := 0
	if f.BOM {
		start = len(bom)
	}
	c.report(rules.TB802, 0, msg, start, max(start, f.lineEnd(0)))
	return true
}

// shape reports a datasource without SCHEMA (TB501) and a pipe without NODE
// (TB601), counting what INCLUDE brought in. It reports whether the pipe is
// bare SQL, whose lines then are not reported one by one as directives.
func (c *checker) shape(inc inclusion) (bare bool) {
	f := c.f
	if inc.unresolved || len(f.Directives) == 0 {
		return false
	}
	first := f.Directives[0]
	switch f.FileKind {
	case rules.FileDatasource:
		if !inc.schema && !hasDirective(f.Directives, "SCHEMA") {
			c.report(rules.TB501, 0, rules.MsgNoSchema, first.Start, first.HeaderEnd)
		}
	case rules.FilePipe:
		if len(f.Nodes) > 0 || inc.nodes > 0 {
			return false
		}
		msg := rules.MsgNoNode
		if !rules.DirectiveAccepted(rules.FilePipe, first.Keyword.Text) {
			msg, bare = rules.MsgNoNodeBareSQL, true
		}
		c.report(rules.TB601, 0, msg, first.Start, first.HeaderEnd)
	}
	return bare
}

func hasDirective(ds []*Directive, kw string) bool {
	for _, d := range ds {
		if d.Is(kw) {
			return true
		}
	}
	return false
}

// directives reports directives the file's kind does not accept (TB801).
func (c *checker) directives() {
	for _, d := range c.f.Directives {
		kw := d.Keyword
		if kw.Quote != 0 || rules.DirectiveAccepted(c.f.FileKind, kw.Text) {
			continue
		}
		var fixes []Fix
		switch {
		case strings.HasPrefix(kw.Text, "--"):
			fixes = append(fixes, Fix{Message: "Turn the line into a # comment", Edits: []Edit{{kw.Start, kw.Start + 2, "#"}}})
		case strings.EqualFold(kw.Text, "SETTINGS"):
			fixes = append(fixes, Fix{Message: "Change SETTINGS to ENGINE_SETTINGS", Edits: []Edit{{kw.Start, kw.End, "ENGINE_SETTINGS"}}})
		}
		c.report(rules.TB801, 0, rules.InvalidDirectiveMessage(c.f.FileKind, kw.Text), kw.Start, kw.End, fixes...)
	}
}

// nodes checks the nodes through rules.CheckNodes (names TB103/TB104, a
// name used twice TB602, a node without SQL TB603) and their types (TB803).
func (c *checker) nodes() {
	f := c.f
	if f.FileKind != rules.FilePipe && f.FileKind != rules.FileInclude || len(f.Nodes) == 0 {
		return
	}
	model := make([]rules.Node, len(f.Nodes))
	for i, n := range f.Nodes {
		model[i] = rules.Node{Name: n.Name(), SQL: nodeSQL(f, n)}
	}
	for _, l := range rules.CheckNodes(f.Name, model) {
		if l.Index < 0 || l.Index >= len(f.Nodes) {
			continue
		}
		n := f.Nodes[l.Index]
		d := n.Directive
		switch {
		case l.Part == rules.PartName && len(d.Args) > 0:
			name := d.Args[0]
			if strings.Contains(name.Value(), "$") {
				continue // ${VAR}, $NAME: the CLI substitutes it
			}
			var fixes []Fix
			if l.Code == rules.TB103 {
				if proposed, ok := rules.ProposeName(name.Value()); ok {
					fixes = append(fixes, Fix{Message: rules.RenameTitle(rules.SubjectNode, name.Value(), proposed), Edits: []Edit{{name.Start, name.End, proposed}}})
				}
			}
			c.report(l.Code, 0, l.Message, name.Start, name.End, fixes...)
		case l.Part == rules.PartName:
			c.report(l.Code, 0, l.Message+" NODE takes the node's name: NODE <name>.", d.Start, d.HeaderEnd)
		default:
			c.report(l.Code, 0, l.Message, d.Start, d.HeaderEnd)
		}
	}
	special := 0 // endpoint, materialized, copy, sink and stream nodes
	for _, n := range f.Nodes {
		// The CLI assigns TYPE to the node each time: the last one counts.
		var last *Directive
		for _, td := range n.Directives {
			if !td.Is("TYPE") || td.Block != nil || len(td.Args) == 0 {
				continue
			}
			t := td.Args[0]
			if strings.Contains(t.Value(), "$") {
				last = nil
				continue
			}
			if !rules.ValidNodeType(t.Value()) {
				c.report(rules.TB803, 0, rules.InvalidNodeTypeMessage(n.Name(), t.Value()), t.Start, t.End)
				last = nil
				continue
			}
			last = td
		}
		if last == nil {
			continue
		}
		t := last.Args[0]
		typ := strings.ToLower(t.Value())
		if typ == "standard" || typ == "default" {
			continue
		}
		if special++; special > 1 && f.FileKind == rules.FilePipe {
			c.report(rules.TB605, 0, rules.MsgManyNodeTypes, t.Start, t.End)
		}
		c.nodeTarget(n, last, typ)
	}
}

// nodeTarget checks what a materialized or copy node needs: its target
// (TB620, TB630) and a known copy mode (TB631). A node with an INCLUDE may
// get them from there.
func (c *checker) nodeTarget(n *Node, typeDir *Directive, typ string) {
	if typ != "materialized" && typ != "copy" {
		return
	}
	var target, mode *Directive
	for _, d := range n.Directives {
		switch {
		case d.Is("INCLUDE"):
			return
		case d.Is("DATASOURCE") && typ == "materialized", d.Is("TARGET_DATASOURCE") && typ == "copy":
			target = d
		case d.Is("COPY_MODE") || d.Is("MODE"):
			mode = d
		}
	}
	if target == nil {
		msg, code := rules.MaterializedNodeNoTarget(n.Name()), rules.TB620
		if typ == "copy" {
			msg, code = rules.CopyNodeNoTarget(n.Name()), rules.TB630
		}
		c.report(code, 0, msg, typeDir.Start, typeDir.HeaderEnd)
	}
	if mode != nil && typ == "copy" {
		if v, start, end, ok := directiveValue(c.f.Src, mode); ok {
			if p := rules.CheckDatafileCopyMode(v); p != nil {
				c.report(p.Code, 0, p.Message, start, end)
			}
		}
	}
}

// nodeSQL returns a node's SQL as the CLI collects it: the body of its
// SQL > block, or the value of a one-line SQL. A node whose section has an
// INCLUDE may get its SQL from there: it counts as having some.
func nodeSQL(f *File, n *Node) string {
	sql := ""
	for _, d := range n.Directives {
		switch {
		case d.Is("INCLUDE"):
			return "-- included"
		case d.Is("SQL") && d.Block != nil:
			sql = d.Block.Text(f.Src)
		case d.Is("SQL"):
			for _, a := range d.Args {
				sql += a.Text + " "
			}
		}
	}
	return sql
}

// inclusion is what the INCLUDE directives of a file bring into it.
type inclusion struct {
	// unresolved reports an INCLUDE that could not be read (no ReadFile, a
	// path with a variable, a missing file): what it brings is unknown.
	unresolved bool
	schema     bool // an included file has SCHEMA
	nodes      int  // NODE sections in included files
}

// includes resolves the file's INCLUDE directives, as the classic CLI does:
// the path is relative to the including file's directory, the other
// arguments are KEY=value pairs substituted for $KEY in the included text,
// and an included file may include others. A missing file, a cycle or
// nesting beyond rules.MaxIncludeDepth is TB804, reported at the INCLUDE of
// the checked file that leads to it.
func (c *checker) includes(path string, opts Options) inclusion {
	var inc inclusion
	done := map[string]bool{} // files already included, read once however many paths lead to them
	for _, d := range c.f.Directives {
		if !d.Is("INCLUDE") {
			continue
		}
		if len(d.Args) == 0 || d.Block != nil {
			c.report(rules.TB804, 0, rules.MsgIncludeNoPath, d.Start, d.HeaderEnd)
			inc.unresolved = true
			continue
		}
		arg := d.Args[0]
		if opts.ReadFile == nil || path == "" || strings.Contains(arg.Value(), "$") {
			inc.unresolved = true
			continue
		}
		r := resolver{read: opts.ReadFile, inc: &inc, done: done}
		target := filepath.Join(filepath.Dir(path), arg.Value())
		if msg := r.include(target, includeAttrs(d.Args[1:]), []string{path}); msg != "" {
			c.report(rules.TB804, 0, msg, arg.Start, arg.End)
			inc.unresolved = true
		}
	}
	return inc
}

// maxIncludedFiles bounds the files one check reads through INCLUDE, so
// that includes fanning out into new paths at every level stay cheap.
const maxIncludedFiles = 256

// resolver follows INCLUDEs.
type resolver struct {
	read func(string) ([]byte, error)
	inc  *inclusion
	// done holds the files included without a problem: including one again
	// adds nothing the booleans and counts of inc need, and reading it once
	// keeps a file that INCLUDEs several others linear, not exponential.
	done map[string]bool
}

// include reads file, included with attrs by the files in chain, and adds
// what it brings to r.inc. It returns a TB804 message when the file or one
// it includes cannot be included, "" otherwise.
func (r resolver) include(file string, attrs map[string]string, chain []string) string {
	for _, p := range chain {
		if p == file {
			return rules.IncludeCycleMessage(append(baseNames(chain), filepath.Base(file)))
		}
	}
	if len(chain) > rules.MaxIncludeDepth {
		return rules.IncludeDepthMessage(file)
	}
	if r.done[file] {
		return ""
	}
	if len(r.done) >= maxIncludedFiles {
		r.inc.unresolved = true // too many to follow: say nothing rather than guess
		return ""
	}
	src, err := r.read(file)
	if errors.Is(err, fs.ErrNotExist) {
		return rules.MissingIncludeMessage(file)
	}
	if err != nil {
		return "INCLUDE: " + err.Error()
	}
	g := Parse([]byte(substitute(string(src), attrs)))
	r.inc.nodes += len(g.Nodes)
	for _, d := range g.Directives {
		switch {
		case d.Is("SCHEMA"):
			r.inc.schema = true
		case d.Is("INCLUDE"):
			if len(d.Args) == 0 || d.Block != nil {
				return file + ": " + rules.MsgIncludeNoPath
			}
			p := d.Args[0].Value()
			if strings.Contains(p, "$") {
				r.inc.unresolved = true
				continue
			}
			if msg := r.include(filepath.Join(filepath.Dir(file), p), includeAttrs(d.Args[1:]), append(chain[:len(chain):len(chain)], file)); msg != "" {
				return msg
			}
		}
	}
	r.done[file] = true
	return ""
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}

// includeAttrs reads an INCLUDE's KEY=value arguments.
func includeAttrs(args []Token) map[string]string {
	m := make(map[string]string, len(args))
	for _, a := range args {
		if k, v, ok := strings.Cut(a.Value(), "="); ok {
			m[k] = v
		}
	}
	return m
}

// substitute replaces $KEY and ${KEY} in s by attrs[KEY], and $$ by $, as
// Python's string.Template.safe_substitute does; the CLI applies it to an
// included file with the INCLUDE's attributes. Unknown keys stay as written.
func substitute(s string, attrs map[string]string) string {
	if len(attrs) == 0 && !strings.Contains(s, "$$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		if s[i+1] == '$' {
			b.WriteByte('$')
			i += 2
			continue
		}
		braced := s[i+1] == '{'
		j := i + 1
		if braced {
			j++
		}
		k := j
		for k < len(s) && isTemplateIdent(s[k], k == j) {
			k++
		}
		name := s[j:k]
		v, ok := attrs[name]
		if braced && (k == len(s) || s[k] != '}') {
			ok = false
		}
		if name == "" || !ok {
			b.WriteByte('$')
			i++
			continue
		}
		b.WriteString(v)
		i = k
		if braced {
			i++
		}
	}
	return b.String()
}

func isTemplateIdent(c byte, first bool) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || !first && '0' <= c && c <= '9'
}
