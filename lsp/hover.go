package lsp

import (
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/resolve"
	"github.com/tbls-dev/tbls/rules"
)

// Hover on a scope value, a DefineToken call, a token reference (an
// identifier of type tinybird.Token) or a datafile TOKEN line shows, in
// markdown: the documentation of the checks whose diagnostics cover the
// position, the scope's documentation, and the token's access map (every
// resource of the workspace that grants it, with the scope and where).

func init() {
	handleRequest(protocol.MethodTextDocumentHover, (*Server).hover)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.HoverProvider = protocol.Boolean(true)
	})
}

// hoverTarget is what the cursor is on.
type hoverTarget struct {
	start, end int    // byte offsets of the hovered text
	token      string // the token's name, when known
	tokenVar   string // "pkgpath.Var" of the token variable, when token is not known yet
	scope      string // a scope value (READ, APPEND, or anything written there)
	jwtType    string // a JWT scope type value
}

// goHoverTarget finds the hover target at byte offset off of the Go file
// filename of p.
func goHoverTarget(p *typedPackage, filename string, off int) (hoverTarget, bool) {
	file, tf := p.fileAt(filename)
	if file == nil || off < 0 || off > tf.Size() {
		return hoverTarget{}, false
	}
	info := p.infoOf(file)
	if info == nil {
		return hoverTarget{}, false
	}
	pos := tf.Pos(off)
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	var t hoverTarget
	found := false
	mark := func(n ast.Node) {
		if !found {
			t.start, t.end, found = tf.Offset(n.Pos()), tf.Offset(n.End()), true
		}
	}
	for i, n := range path {
		switch n := n.(type) {
		case *ast.Ident, *ast.SelectorExpr, *ast.BasicLit:
			e := n.(ast.Expr)
			if sel, ok := path[min(i+1, len(path)-1)].(*ast.SelectorExpr); ok && sel.Sel == n {
				continue // the selector as a whole is the value
			}
			tv, ok := info.Types(e)
			if t.scope == "" && t.jwtType == "" && ok && tv.Value != nil {
				switch sdkTypeName(tv.Type) {
				case "Scope":
					t.scope, _ = constStringOf(info, e)
					mark(n)
				case "JWTScopeType":
					t.jwtType, _ = constStringOf(info, e)
					mark(n)
				}
			}
			if t.token == "" && t.tokenVar == "" {
				if id := identOf(e); id != nil {
					if v, ok := objectOf(info, id).(*types.Var); ok && sdkTypeName(v.Type()) == "Token" && v.Pkg() != nil {
						t.tokenVar = v.Pkg().Path() + "." + v.Name()
						mark(n)
					}
				}
			}
		case *ast.CallExpr:
			if t.token == "" && t.tokenVar == "" {
				for _, td := range p.sdkModel().Tokens {
					if td.Call == n && td.NameConst {
						t.token = td.Name
						mark(n)
					}
				}
			}
		case *ast.CompositeLit:
			// On a scope of {Token: X, Scope: S}: X's map too.
			if found && t.token == "" && t.tokenVar == "" && litTypeName(info, file, n, path[i:]) == "TokenAccess" {
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok && keyName(kv) == "Token" {
						if id := identOf(kv.Value); id != nil {
							if v, ok := info.Use(id).(*types.Var); ok && v.Pkg() != nil {
								t.tokenVar = v.Pkg().Path() + "." + v.Name()
							}
						}
					}
				}
			}
		case *ast.FuncDecl, *ast.GenDecl:
			return t, found
		}
	}
	return t, found
}

// constStringOf returns the constant string value of e.
func constStringOf(info *analyzer.TypesInfo, e ast.Expr) (string, bool) {
	if tv, ok := info.Types(e); ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return "", false
}

func identOf(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

func objectOf(info *analyzer.TypesInfo, id *ast.Ident) types.Object {
	if o := info.Use(id); o != nil {
		return o
	}
	return info.Def(id)
}

// datafileHoverTarget finds the hover target at byte offset off of a
// datafile: the TOKEN line under the cursor.
func datafileHoverTarget(f *datafile.File, off int) (hoverTarget, bool) {
	g, ok := f.GrantAt(off)
	if !ok || off > g.Directive.HeaderEnd {
		return hoverTarget{}, false
	}
	return hoverTarget{start: g.Directive.Start, end: g.Directive.HeaderEnd, token: g.Token, scope: g.Scope}, true
}

// tokenAccess is a token's access map as hover shows it: the token's rows
// of resolve's access matrix, which code lenses and tbls access show too,
// and the grants the matrix cannot place because their resource or scope
// is not a constant.
type tokenAccess struct {
	cells   []resolve.Access
	partial []resolve.Grant
	def     *resolve.Decl // the token's first declaration in Go, nil when there is none
}

// tokenAccessOf returns the access map of the token named name in p.
func tokenAccessOf(p *resolve.Project, name string) *tokenAccess {
	var a tokenAccess
	var grants []resolve.Grant
	for _, g := range p.Grants() {
		if g.Token == name {
			grants = append(grants, g)
		}
	}
	a.cells = resolve.Matrix(grants)
	for _, g := range p.PartialGrants() {
		if g.Token == name {
			a.partial = append(a.partial, g)
		}
	}
	for _, d := range p.Decls(resolve.Target{Kind: resolve.Token, Name: name}) {
		if d.Go && (a.def == nil || d.File < a.def.File || d.File == a.def.File && d.Line < a.def.Line) {
			a.def = &d
		}
	}
	return &a
}

// resources counts the resources the token is granted on: each cell of
// the matrix, and each grant of the others on a resource not counted yet
// (every one on an unnamed resource).
func (a *tokenAccess) resources() int {
	type resource struct {
		kind rules.Kind
		name string
	}
	n := len(a.cells)
	seen := map[resource]bool{}
	for _, c := range a.cells {
		seen[resource{c.ResourceKind, c.Resource}] = true
	}
	for _, g := range a.partial {
		r := resource{g.ResourceKind, g.Resource}
		if g.Resource == "" || !seen[r] {
			n++
			seen[r] = true
		}
	}
	return n
}

// hoverMarkdown renders a hover: checks, scope documentation, access map.
// rel makes a file name relative for display.
func hoverMarkdown(t hoverTarget, checks []rules.Code, access *tokenAccess, rel func(string) string) string {
	var b strings.Builder
	for _, code := range checks {
		c, ok := rules.Lookup(code)
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "**%s** %s\n\n%s\n\n[%s documentation](%s)\n\n---\n\n", c.Code, c.Title, c.Doc, c.Code, c.URL())
	}
	if t.scope != "" {
		if doc := rules.ScopeDoc(t.scope); doc != "" {
			fmt.Fprintf(&b, "Scope `%s`: %s\n\n", t.scope, doc)
		} else {
			fmt.Fprintf(&b, "Scope `%s` is not a Tinybird scope: use %s.\n\n", t.scope, strings.Join(rules.Scopes(rules.KindDatasource), " or "))
		}
	}
	if t.jwtType != "" {
		if doc := rules.JWTScopeDoc(t.jwtType); doc != "" {
			fmt.Fprintf(&b, "JWT scope `%s`: %s\n\n", t.jwtType, doc)
		}
	}
	if t.token != "" && access != nil {
		fmt.Fprintf(&b, "Token `%s`", t.token)
		if access.def != nil {
			fmt.Fprintf(&b, ", defined at `%s:%d`", rel(access.def.File), access.def.Line)
		}
		if n := access.resources(); n == 0 {
			b.WriteString(": granted on no resource of the workspace.\n")
		} else {
			fmt.Fprintf(&b, ", granted on %d resource%s:\n\n", n, plural(n))
			for _, a := range access.cells {
				fmt.Fprintf(&b, "- %s `%s`: ", a.ResourceKind, a.Resource)
				for i, g := range a.Grants {
					if i > 0 {
						b.WriteString(", ")
					}
					fmt.Fprintf(&b, "**%s** at `%s:%d`", g.Scope, rel(g.File), g.Line)
				}
				b.WriteString("\n")
			}
			for _, g := range access.partial {
				name := g.Resource
				if name == "" {
					name = "(unnamed)"
				}
				scope := g.Scope
				if scope == "" {
					scope = "(scope not constant)"
				}
				fmt.Fprintf(&b, "- %s `%s`: **%s** at `%s:%d`\n", g.ResourceKind, name, scope, rel(g.File), g.Line)
			}
		}
	}
	return strings.TrimRight(b.String(), "\n-")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (s *Server) hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	off, err := d.mapper.PositionOffset(p.Position)
	if err != nil {
		return nil, nil
	}
	var t hoverTarget
	switch d.kind {
	case kindDatafile:
		t, ok = datafileHoverTarget(datafile.ParseFile(d.checkName(), d.text), off)
	case kindGo:
		if d.path == "" {
			return nil, nil
		}
		pkg, err := s.goSnapshot(ctx, d.path)
		if err != nil || pkg == nil {
			return nil, nil
		}
		if f := pkg.File(d.path); f == nil || string(f.Content) != string(d.text) {
			return nil, nil // the snapshot is of another text: positions would lie
		}
		t, ok = goHoverTarget(s.typedFromCache(pkg), d.path, off)
	default:
		return nil, nil
	}
	if !ok {
		// No value of interest here: the checks of the diagnostics
		// covering the position still explain themselves (schema checks
		// are reported on column names, types, keys…).
		return s.hoverDiagnostics(d, p.Position), nil
	}
	var access *tokenAccess
	if t.token != "" || t.tokenVar != "" {
		w := s.resolver().workspace(ctx)
		if t.token == "" {
			t.token, _ = w.project.TokenOfGoVar(t.tokenVar)
		}
		if t.token != "" {
			access = tokenAccessOf(w.project, t.token)
		}
	}
	var checks []rules.Code
	if version, published := s.publishedDiagnostics(d.uri); version == d.version {
		for _, pd := range published {
			if !before(p.Position, pd.Range.Start) && !before(pd.Range.End, p.Position) {
				checks = append(checks, pd.Code)
			}
		}
	}
	md := hoverMarkdown(t, checks, access, s.relativePath)
	if md == "" {
		return nil, nil
	}
	rng, err := d.mapper.OffsetRange(t.start, t.end)
	if err != nil {
		return nil, nil
	}
	return &protocol.Hover{
		Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md},
		Range:    &rng,
	}, nil
}

// relativePath shows path relative to the workspace folder holding it.
func (s *Server) relativePath(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	best := path
	for dir := range s.folders {
		if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") && len(r) < len(best) {
			best = r
		}
	}
	return filepath.ToSlash(best)
}

// hoverDiagnostics returns a hover documenting the checks of the published
// diagnostics of d that cover pos, over the first one's range; nil when
// none does.
func (s *Server) hoverDiagnostics(d *document, pos protocol.Position) *protocol.Hover {
	version, published := s.publishedDiagnostics(d.uri)
	if version != d.version {
		return nil
	}
	var checks []rules.Code
	var rng protocol.Range
	for _, pd := range published {
		if !before(pos, pd.Range.Start) && !before(pd.Range.End, pos) {
			if len(checks) == 0 {
				rng = pd.Range
			}
			checks = append(checks, pd.Code)
		}
	}
	md := hoverMarkdown(hoverTarget{}, checks, nil, s.relativePath)
	if md == "" {
		return nil
	}
	return &protocol.Hover{
		Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: md},
		Range:    &rng,
	}
}
