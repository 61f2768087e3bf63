package lsp

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/resolve"
	"github.com/tbls-dev/tbls/rules"
)

// Code lenses: above a DefineToken call, what the token is granted
// ("granted on 3 resources · READ 2 · APPEND 1"); above a resource (a Go
// Define call, or the first line of its datafile), how often it is used and
// by how many tokens. Each runs showReferencesCommand with the references,
// as gopls's and rust-analyzer's lenses do in VS Code.

// showReferencesCommand is VS Code's command showing a list of locations;
// other editors show the lens's title.
const showReferencesCommand = "editor.action.showReferences"

func init() {
	handleRequest(protocol.MethodTextDocumentCodeLens, (*Server).codeLens)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.CodeLensProvider = &protocol.CodeLensOptions{}
	})
}

func (s *Server) codeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok || d.path == "" || d.kind == kindOther {
		return nil, nil
	}
	w := s.resolver().workspace(ctx)
	if t, ok := w.texts[d.path]; !ok || string(t) != string(d.text) {
		return nil, nil
	}
	f := w.project.File(d.path)
	if f == nil {
		return nil, nil
	}
	var lenses []protocol.CodeLens
	grants := w.project.Grants()
	for _, decl := range f.Decls {
		t := resolve.Target{Kind: decl.Kind, Name: decl.Name, Pipe: decl.Pipe}
		var title string
		switch decl.Kind {
		case resolve.Token:
			title = tokenLensTitle(grants, decl.Name)
		case resolve.Datasource, resolve.Pipe:
			t.Kind = resolve.Resource
			title = resourceLensTitle(w.project.Refs(t), grants, decl.Name)
		default:
			continue
		}
		start, end := decl.Start, decl.End
		if decl.FromFileName {
			start, end = 0, 0
		}
		rng, err := d.mapper.OffsetRange(start, end)
		if err != nil {
			continue
		}
		lenses = append(lenses, protocol.CodeLens{Range: rng, Command: w.showReferences(d.uri, rng.Start, w.project.Refs(t), title)})
	}
	return lenses, nil
}

// showReferences is the command of a lens listing refs.
func (w *workspace) showReferences(u uri.URI, pos protocol.Position, refs []resolve.Ref, title string) protocol.Command {
	locs := []protocol.Location{}
	seen := map[protocol.Location]bool{}
	for _, r := range refs {
		if loc, ok := w.location(r.File, r.Start, r.End); ok && !seen[loc] {
			seen[loc] = true
			locs = append(locs, loc)
		}
	}
	var args []protocol.LSPAny
	for _, v := range []any{u, pos, locs} {
		if b, err := protocol.Marshal(v); err == nil {
			args = append(args, protocol.LSPAny(b))
		}
	}
	return protocol.Command{Title: title, Command: showReferencesCommand, Arguments: args}
}

// tokenLensTitle summarizes the grants of the token name: "granted on 3
// resources · READ 2 · APPEND 1", or "granted on no resource".
func tokenLensTitle(grants []resolve.Grant, name string) string {
	resources := map[string]bool{}
	scopes := map[string]int{}
	var order []string
	for _, g := range grants {
		if g.Token != name {
			continue
		}
		resources[g.Resource] = true
		if scopes[g.Scope] == 0 {
			order = append(order, g.Scope)
		}
		scopes[g.Scope]++
	}
	if len(resources) == 0 {
		return "granted on no resource"
	}
	parts := []string{fmt.Sprintf("granted on %d %s", len(resources), pluralOf(len(resources), "resource", "resources"))}
	for _, s := range []string{rules.ScopeRead, rules.ScopeAppend} {
		if scopes[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, scopes[s]))
		}
	}
	for _, s := range order {
		if s != rules.ScopeRead && s != rules.ScopeAppend {
			parts = append(parts, fmt.Sprintf("%s %d", s, scopes[s]))
		}
	}
	return strings.Join(parts, " · ")
}

// resourceLensTitle summarizes the uses of the resource name: "4
// references · 2 tokens".
func resourceLensTitle(refs []resolve.Ref, grants []resolve.Grant, name string) string {
	title := fmt.Sprintf("%d %s", len(refs), pluralOf(len(refs), "reference", "references"))
	tokens := map[string]bool{}
	for _, g := range grants {
		if g.Resource == name {
			tokens[g.Token] = true
		}
	}
	if len(tokens) > 0 {
		title += fmt.Sprintf(" · %d %s", len(tokens), pluralOf(len(tokens), "token", "tokens"))
	}
	return title
}

func pluralOf(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
