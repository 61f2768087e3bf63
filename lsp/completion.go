package lsp

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/rules"
)

// Scope completion. tbls completes a value only where a scope (or a JWT
// scope type) is expected, and only with what is valid there; everywhere
// else it returns nothing and leaves Go to gopls. The Go contexts are:
//
//	Scope: "|"                          inside the string: READ, APPEND
//	Scope: tinybird.|                   the SDK's constants (any alias; bare under a dot import)
//	Scope: |                            qualified constants: tb.Read
//	Permissions: []tinybird.Scope{|}    the same, as elements (after a comma too)
//	JWTScope{Type: |}                   PipesRead, DatasourcesRead
//
// The resource kind decides the scopes: the options type of the literal the
// TokenAccess sits in (DatasourceOptions: READ and APPEND; every pipe kind:
// READ), or, for an access list held in a variable, what is valid on every
// resource the variable is granted on. The work is syntactic plus look-ups
// in the cached type information: completion never type-checks.

func init() {
	handleRequest(protocol.MethodTextDocumentCompletion, (*Server).completion)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		// '"' opens a scope string, '.' follows the SDK's name, ' ' ends
		// "Scope:" and "TOKEN name"; anywhere else the answer is empty.
		c.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: []string{".", "\"", " "}}
	})
}

func (s *Server) completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	empty := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	d, ok := s.document(p.TextDocument.URI)
	if !ok {
		return empty, nil
	}
	off, err := d.mapper.PositionOffset(p.Position)
	if err != nil {
		return empty, nil
	}
	var res completionResult
	switch d.kind {
	case kindDatafile:
		res, ok = datafileCompletion(datafile.ParseFile(d.checkName(), d.text), off)
	case kindGo:
		if d.path == "" {
			return empty, nil
		}
		res, ok = s.goCompletionAt(ctx, d, off)
	}
	if !ok {
		return empty, nil
	}
	rng, err := d.mapper.OffsetRange(res.Start, res.End)
	if err != nil {
		return empty, nil
	}
	list := &protocol.CompletionList{Items: make([]protocol.CompletionItem, 0, len(res.Items))}
	for i, it := range res.Items {
		kind := protocol.CompletionItemKindValue
		if it.Const {
			kind = protocol.CompletionItemKindConstant
		}
		list.Items = append(list.Items, protocol.CompletionItem{
			Label:         it.Label,
			Kind:          kind,
			Detail:        protocol.NewOptional(it.Detail),
			Documentation: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Doc},
			SortText:      protocol.NewOptional(fmt.Sprintf("%02d", i)), // rules' order
			FilterText:    protocol.NewOptional(it.NewText),
			TextEdit:      &protocol.TextEdit{Range: rng, NewText: it.NewText},
		})
	}
	return list, nil
}

// completionBudget is how long completion waits for the engine's snapshot
// before it answers from the syntax of the buffer alone.
const completionBudget = 3 * time.Millisecond

// sdkMemo is the SDK package as the last snapshot imported it: completion
// from syntax alone reads its constants while the engine is busy, and the
// resolver index reads a package without types with it.
type sdkMemo struct {
	mu  sync.Mutex
	sdk *types.Package
}

// last returns the SDK package of the last snapshot seen, or nil.
func (m *sdkMemo) last() *types.Package {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sdk
}

// remember records the SDK package of a snapshot, when it has one.
func (m *sdkMemo) remember(sdk *types.Package) {
	if sdk == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sdk = sdk
}

// goCompletionAt completes at off of the Go document d: with the engine's
// snapshot when it is current and at hand, else from the syntax of d's text
// alone (with the SDK's constants of an earlier snapshot), which serves
// every context but an access list in a variable, where the kinds of the
// resources using it need types: it then offers a datasource's scopes.
func (s *Server) goCompletionAt(ctx context.Context, d *document, off int) (completionResult, bool) {
	sdk := s.sdk.last()
	budget := completionBudget
	if sdk == nil {
		budget = time.Minute // nothing to fall back on yet: wait for the engine
	}
	if pkg := s.snapshotWithin(ctx, d.path, budget); pkg != nil {
		tp := s.typedFromCache(pkg)
		s.sdk.remember(tp.sdkPackage())
		if f := pkg.File(d.path); f != nil && bytes.Equal(f.Content, d.text) {
			return goCompletion(tp, d.path, d.text, off)
		}
		sdk = tp.sdkPackage()
	}
	if sdk == nil {
		return completionResult{}, false
	}
	return goCompletion(syntaxWindow(d.path, d.text, off, sdk), d.path, d.text, off)
}

// completionForm says how the value under the cursor is written.
type completionForm int

const (
	formString    completionForm = iota + 1 // inside a string literal: the value itself
	formQualified                           // after "tinybird.": the constant's name
	formBare                                // a bare word or nothing yet: the qualified constant
)

// slotType says what a completion slot expects.
type slotType int

const (
	slotScope    slotType = iota + 1 // a tinybird.Scope
	slotJWTScope                     // a tinybird.JWTScopeType
)

// completionItem is one candidate, before conversion to the protocol.
type completionItem struct {
	Label   string // shown in the list
	NewText string // replaces the completion's range
	Detail  string
	Doc     string // markdown
	Const   bool   // an SDK constant, not a string value
}

// completionResult is what to offer at a cursor: items replacing the text
// between byte offsets Start and End (the partial word under the cursor).
type completionResult struct {
	Start, End int
	Items      []completionItem
}

// goCompletion computes the scope completion at byte offset off of the Go
// file filename of p, whose text is src. ok is false where no scope is
// expected.
func goCompletion(p *typedPackage, filename string, src []byte, off int) (completionResult, bool) {
	file, tf := p.fileAt(filename)
	if file == nil || tf.Size() != len(src) || off < 0 || off > len(src) {
		return completionResult{}, false
	}
	pos := tf.Pos(off)
	for _, cg := range file.Comments {
		// In a comment "// Scope: tinybird." is prose. The end of a line
		// comment is still in it; the end of a /* */ comment is not.
		if cg.Pos() < pos && (pos < cg.End() || pos == cg.End() && cg.List[len(cg.List)-1].Text[1] == '/') {
			return completionResult{}, false
		}
	}

	res := completionResult{Start: off, End: off}
	var form completionForm
	var qual string
	exprStart := off // where the value's expression starts

	// A string holding the cursor also holds the byte before it (its
	// opening quote at least), even when unterminated and so ending at the
	// cursor.
	var path []ast.Node
	if off > 0 {
		path, _ = astutil.PathEnclosingInterval(file, pos-1, pos)
	}
	if lit, ok := firstNode(path).(*ast.BasicLit); ok && lit.Kind == token.STRING && lit.Pos() < pos {
		start, end := tf.Offset(lit.Pos()), tf.Offset(lit.End())
		text := src[start:end]
		closed := len(text) >= 2 && text[len(text)-1] == text[0]
		if off <= start || (closed && off >= end) {
			return completionResult{}, false // on a quote, not inside
		}
		for _, b := range text {
			if b == '\n' || b == '\r' {
				return completionResult{}, false // a multi-line raw string
			}
		}
		form, exprStart = formString, start
		res.Start, res.End = start+1, end
		if closed {
			res.End = end - 1
		}
	} else {
		ws, we := off, off
		for ws > 0 && isGoIdentByte(src[ws-1]) {
			ws--
		}
		for we < len(src) && isGoIdentByte(src[we]) {
			we++
		}
		if ws < we && isASCIIDigit(src[ws]) {
			return completionResult{}, false
		}
		res.Start, res.End = ws, we
		form, exprStart = formBare, ws
		if ws > 0 && src[ws-1] == '.' {
			qs := ws - 1
			for qs > 0 && isGoIdentByte(src[qs-1]) {
				qs--
			}
			if qs == ws-1 || isASCIIDigit(src[qs]) {
				return completionResult{}, false
			}
			form, qual, exprStart = formQualified, string(src[qs:ws-1]), qs
		}
	}

	slot, lit, litPath, ok := findSlot(p, file, tf, src, exprStart)
	if !ok {
		return completionResult{}, false
	}
	if form == formQualified {
		id := qualifierIdent(lit, tf.Pos(exprStart))
		if id != nil && id.Name == qual {
			if !isSDKQualifier(p.infoOf(file), file, id) {
				return completionResult{}, false
			}
		} else if name, ok := sdkImportName(p.infoOf(file), file); !ok || name != qual {
			return completionResult{}, false
		}
	}

	var values []string
	var typeName string
	switch slot {
	case slotScope:
		typeName = "Scope"
		values = scopesForKinds(scopeSlotKinds(p, file, lit, litPath))
	case slotJWTScope:
		typeName = "JWTScopeType"
		values = rules.JWTScopeTypes()
	}
	consts := sdkConsts(p.sdkPackage(), typeName)
	prefix := ""
	if form == formBare {
		name, ok := sdkImportName(p.infoOf(file), file)
		if !ok {
			return completionResult{}, false // no way to name the constants
		}
		if name != "." {
			prefix = name + "."
		}
	}
	for _, v := range values {
		item := completionItem{Doc: valueDoc(slot, v)}
		switch form {
		case formString:
			item.Label, item.NewText = v, v
			item.Detail = "tinybird." + typeName + " " + strconv.Quote(v)
		default:
			name, ok := consts[v]
			if !ok {
				continue // an SDK without this constant
			}
			item.Label, item.NewText, item.Const = prefix+name, prefix+name, true
			item.Detail = "tinybird." + name + " = " + strconv.Quote(v)
		}
		res.Items = append(res.Items, item)
	}
	return res, len(res.Items) > 0
}

// firstNode returns path[0], or nil for an empty path.
func firstNode(path []ast.Node) ast.Node {
	if len(path) == 0 {
		return nil
	}
	return path[0]
}

// valueDoc returns the documentation of a scope or JWT scope type.
func valueDoc(slot slotType, v string) string {
	if slot == slotJWTScope {
		return rules.JWTScopeDoc(v)
	}
	return rules.ScopeDoc(v)
}

// findSlot reports whether a value starting at byte offset start is in a
// scope slot: the value of Scope in a TokenAccess literal, an element of a
// []Scope literal, or the value of Type in a JWTScope literal. It returns
// the composite literal holding the slot and that literal's enclosing nodes
// (innermost first, the literal included).
func findSlot(p *typedPackage, file *ast.File, tf *token.File, src []byte, start int) (slotType, *ast.CompositeLit, []ast.Node, bool) {
	pos := tf.Pos(start)
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for i, n := range path {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || !(lit.Lbrace < pos && (pos <= lit.Rbrace || !lit.Rbrace.IsValid())) {
			continue
		}
		litPath := path[i:]
		// The element the value belongs to: the last one starting before it.
		var elt ast.Expr
		for _, e := range lit.Elts {
			if e.Pos() <= pos {
				elt = e
			}
		}
		if kv, ok := elt.(*ast.KeyValueExpr); ok && kv.Colon < pos {
			if !blankOrComments(file, tf, src, tf.Offset(kv.Colon)+1, start) {
				return 0, nil, nil, false
			}
			switch key, typ := keyName(kv), litTypeName(p.infoOf(file), file, lit, litPath); {
			case key == "Scope" && typ == "TokenAccess":
				return slotScope, lit, litPath, true
			case key == "Type" && typ == "JWTScope":
				return slotJWTScope, lit, litPath, true
			}
			return 0, nil, nil, false
		}
		// An element of a slice literal: after "{" or ",".
		prev := start - 1
		for prev >= 0 && (isBlankByte(src[prev]) || inComment(file, tf, prev)) {
			prev--
		}
		if prev < 0 || (src[prev] != '{' && src[prev] != ',') || tf.Pos(prev) < lit.Lbrace {
			return 0, nil, nil, false
		}
		switch sliceElemTypeName(p.infoOf(file), file, lit, litPath) {
		case "Scope":
			return slotScope, lit, litPath, true
		case "JWTScopeType":
			return slotJWTScope, lit, litPath, true
		}
		return 0, nil, nil, false
	}
	return 0, nil, nil, false
}

// scopeSlotKinds returns the kinds of the resources a scope slot in lit
// grants on: lit is the TokenAccess literal, or a []Scope literal that is
// the Permissions of one.
func scopeSlotKinds(p *typedPackage, file *ast.File, lit *ast.CompositeLit, litPath []ast.Node) []rules.Kind {
	if litTypeName(p.infoOf(file), file, lit, litPath) != "TokenAccess" {
		// A []Scope: find the TokenAccess whose Permissions it is.
		if len(litPath) < 3 {
			return nil
		}
		kv, ok := litPath[1].(*ast.KeyValueExpr)
		access, ok2 := litPath[2].(*ast.CompositeLit)
		if !ok || !ok2 || keyName(kv) != "Permissions" || litTypeName(p.infoOf(file), file, access, litPath[2:]) != "TokenAccess" {
			return nil
		}
		lit = access
		litPath = litPath[2:]
	}
	if kind, ok := directTokensKind(p, file, litPath); ok {
		return []rules.Kind{kind}
	}
	return p.grantKinds(lit)
}

// directTokensKind returns the kind of the options literal whose Tokens
// list holds path[0], a TokenAccess literal (path: it and its enclosing
// nodes, innermost first), when it is an element of that list as written:
// the SDK model then grants it on that kind alone, as a literal is one
// node of the tree, which no variable or helper reaches. It spares
// completion reading the whole package's model in the common case; ok is
// false in any other (ask the model).
func directTokensKind(p *typedPackage, file *ast.File, path []ast.Node) (rules.Kind, bool) {
	if len(path) < 4 {
		return 0, false
	}
	list, ok := path[1].(*ast.CompositeLit)
	if !ok || sliceElemTypeName(p.infoOf(file), file, list, path[1:]) != "TokenAccess" {
		return 0, false
	}
	kv, ok := path[2].(*ast.KeyValueExpr)
	if !ok || kv.Value != list || keyName(kv) != "Tokens" {
		return 0, false
	}
	opts, ok := path[3].(*ast.CompositeLit)
	if !ok {
		return 0, false
	}
	kind, ok := analyzer.OptionsKind(litTypeName(p.infoOf(file), file, opts, path[3:]))
	if !ok {
		return 0, false
	}
	if kind == rules.KindPipe {
		// As the model refines it: the first of Endpoint, Materialized and
		// Copy set to something but nil.
		kind = analyzer.RefinePipeKind(func(field string) bool {
			for _, elt := range opts.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok && keyName(kv) == field {
					id, isID := ast.Unparen(kv.Value).(*ast.Ident)
					return !isID || id.Name != "nil"
				}
			}
			return false
		})
	}
	return kind, true
}

// qualifierIdent returns the identifier at pos inside lit, to resolve a
// qualifier by its object when the parser kept it.
func qualifierIdent(lit *ast.CompositeLit, pos token.Pos) *ast.Ident {
	var found *ast.Ident
	ast.Inspect(lit, func(n ast.Node) bool {
		if found != nil || n == nil || n.End() < pos || n.Pos() > pos {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Pos() == pos {
			found = id
		}
		return true
	})
	return found
}

// datafileCompletion computes the scope completion at byte offset off of a
// datafile: after "TOKEN <name> ", the scopes the file's resource accepts.
func datafileCompletion(f *datafile.File, off int) (completionResult, bool) {
	c, ok := f.CompletionAt(off)
	if !ok {
		return completionResult{}, false
	}
	res := completionResult{Start: c.Start, End: c.End}
	for _, s := range rules.Scopes(c.Kind) {
		res.Items = append(res.Items, completionItem{
			Label:   s,
			NewText: s,
			Detail:  "TOKEN " + c.Token + " " + s + " on this " + c.Kind.String(),
			Doc:     rules.ScopeDoc(s),
		})
	}
	return res, len(res.Items) > 0
}

func isGoIdentByte(b byte) bool {
	return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func isASCIIDigit(b byte) bool { return '0' <= b && b <= '9' }

func isBlankByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// blankOrComments reports whether src[from:to] holds only white space and
// comments: "Scope: /* why */ |" is still the value's place.
func blankOrComments(file *ast.File, tf *token.File, src []byte, from, to int) bool {
	for i := from; i < to; i++ {
		if !isBlankByte(src[i]) && !inComment(file, tf, i) {
			return false
		}
	}
	return true
}

// inComment reports whether the byte at offset off of file is in a comment.
func inComment(file *ast.File, tf *token.File, off int) bool {
	pos := tf.Pos(off)
	for _, cg := range file.Comments {
		if cg.Pos() > pos {
			return false
		}
		for _, c := range cg.List {
			if c.Pos() <= pos && pos < c.End() {
				return true
			}
		}
	}
	return false
}
