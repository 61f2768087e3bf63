package main

import (
	"archive/tar"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/resolve"
	"github.com/tbls-dev/tbls/rules"
)

// access is `tbls access`: the token access matrix of a project, or with
// -base how it changed against a git revision.
func access(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls access", flag.ContinueOnError)
	fs.SetOutput(stderr)
	formatName := fs.String("format", "text", "output `format`: text, markdown, json or csv")
	base := fs.String("base", "", "print what changed against the git `revision` REV: grants added, removed, widened or narrowed")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tbls access [-format=text|markdown|json|csv] [-base REV] [paths…]

Prints which token holds which scopes on which resource, with the file:line
of every grant, from the datafiles and Go packages under paths (default .).
Inline tokens are included. With -base REV, prints what changed against the
git revision REV instead: grants added, removed, widened (READ → APPEND, or a
scope added) and narrowed. The revision is read with git archive into a
temporary directory; the work tree is never touched.

Exit status: 0 printed, 1 something could not be read, 2 usage error.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	format := *formatName
	switch format {
	case "text", "markdown", "json", "csv":
	default:
		fmt.Fprintf(stderr, "tbls access: -format: unknown format %q: use text, markdown, json or csv\n", format)
		return exitUsage
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"."}
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "tbls access: %v\n", err)
		return exitFailure
	}
	p, ok := loadProject(wd, targets, stderr)
	if !ok {
		return exitFailure
	}
	// Never silent: say what was read, and refuse to print an empty
	// matrix for targets that hold no project at all.
	datafiles, goFiles := 0, 0
	for _, f := range p.Files() {
		if strings.HasSuffix(f.Path, ".go") {
			goFiles++
		} else {
			datafiles++
		}
	}
	if datafiles+goFiles == 0 {
		fmt.Fprintf(stderr, "tbls access: %s: nothing to read: no datafiles (.datasource, .pipe, .incl, .connection) or Go files using the SDK in it or below it (%s)\n", strings.Join(targets, " "), skippedDirs)
		return exitFailure
	}
	fmt.Fprintf(stderr, "tbls access: read %s and %s\n", report.Plural(datafiles, "datafile"), report.Plural(goFiles, "Go file"))
	now := resolve.Matrix(p.Grants())
	rel := func(path string) string { return filepath.ToSlash(relTo(wd, path)) }
	if *base == "" {
		if err := writeMatrix(stdout, format, now, rel); err != nil {
			fmt.Fprintf(stderr, "tbls access: %v\n", err)
			return exitFailure
		}
		return exitOK
	}

	old, oldRel, cleanup, err := loadRevision(wd, *base, targets, stderr)
	defer cleanup()
	if err != nil {
		fmt.Fprintf(stderr, "tbls access: -base %s: %v\n", *base, err)
		return exitFailure
	}
	changes := resolve.Diff(resolve.Matrix(old.Grants()), now)
	relOf := func(c resolve.Change) func(string) string {
		if c.Kind == resolve.Removed {
			return oldRel
		}
		return rel
	}
	if err := writeDiff(stdout, format, *base, changes, relOf); err != nil {
		fmt.Fprintf(stderr, "tbls access: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// loadRevision resolves the project at targets as it is in the git
// revision rev: the repository's tree at rev is extracted into a temporary
// directory (git archive), which cleanup removes. rel makes a path of the
// extracted tree relative to it, as the work tree's paths are shown.
func loadRevision(wd, rev string, targets []string, stderr io.Writer) (p *resolve.Project, rel func(string) string, cleanup func(), err error) {
	cleanup = func() {}
	top, err := gitOutput(wd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, nil, cleanup, err
	}
	top = strings.TrimSpace(top)
	if _, err := gitOutput(wd, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, nil, cleanup, fmt.Errorf("%q is not a commit of the repository at %s", rev, top)
	}
	tmp, err := os.MkdirTemp("", "tbls-access-")
	if err != nil {
		return nil, nil, cleanup, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	cmd := exec.Command("git", "-C", top, "archive", "--format=tar", rev)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, cleanup, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, cleanup, err
	}
	extractErr := extractTar(out, tmp)
	if err := cmd.Wait(); err != nil {
		return nil, nil, cleanup, fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(errBuf.String()))
	}
	if extractErr != nil {
		return nil, nil, cleanup, extractErr
	}
	// The same targets, in the extracted tree: the working directory's
	// place in the repository is kept.
	realWD, err := filepath.EvalSymlinks(wd)
	if err != nil {
		return nil, nil, cleanup, err
	}
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return nil, nil, cleanup, err
	}
	sub, err := filepath.Rel(realTop, realWD)
	if err != nil || strings.HasPrefix(sub, "..") {
		return nil, nil, cleanup, fmt.Errorf("the working directory %s is not inside the repository %s", wd, top)
	}
	oldWD := filepath.Join(tmp, sub)
	var oldTargets []string
	for _, t := range targets {
		if filepath.IsAbs(t) {
			r, err := filepath.Rel(realTop, t)
			if err != nil || strings.HasPrefix(r, "..") {
				return nil, nil, cleanup, fmt.Errorf("%s is not inside the repository %s", t, top)
			}
			t = filepath.Join(tmp, r)
		}
		// A target that did not exist at rev contributes nothing.
		check := t
		if !filepath.IsAbs(check) {
			check = filepath.Join(oldWD, strings.TrimSuffix(t, "/..."))
		}
		if _, err := os.Stat(check); err != nil {
			continue
		}
		oldTargets = append(oldTargets, t)
	}
	if err := os.MkdirAll(oldWD, 0o755); err != nil {
		return nil, nil, cleanup, err
	}
	p = resolve.NewProject()
	if len(oldTargets) > 0 {
		var ok bool
		if p, ok = loadProject(oldWD, oldTargets, stderr); !ok {
			return nil, nil, cleanup, fmt.Errorf("the project at %s could not be read whole", rev)
		}
	}
	rel = func(path string) string { return filepath.ToSlash(relTo(oldWD, path)) }
	return p, rel, cleanup, nil
}

// gitOutput runs git in dir and returns its standard output.
func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errBuf
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errBuf.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return out.String(), nil
}

// extractTar writes the regular files and directories of a tar stream
// below dir; entries that would land outside dir, and links, are skipped.
func extractTar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive's output: %v", err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			continue
		}
		path := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(path, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}

// kindName names a resource kind in the output.
func kindName(k rules.Kind) string {
	if k == 0 {
		return "resource"
	}
	return k.String()
}

// where lists the file:line of grants.
func where(gs []resolve.Grant, rel func(string) string) string {
	var parts []string
	seen := map[string]bool{}
	for _, g := range gs {
		s := rel(g.File) + ":" + strconv.Itoa(g.Line)
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// tokenLabel is a token's name, marked when every grant of it is inline.
func tokenLabel(token string, gs []resolve.Grant) string {
	for _, g := range gs {
		if !g.Inline {
			return token
		}
	}
	return token + " (inline)"
}

// jsonGrant is a grant in JSON output.
type jsonGrant struct {
	Scope  string `json:"scope"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Inline bool   `json:"inline,omitempty"`
}

func jsonGrants(gs []resolve.Grant, rel func(string) string) []jsonGrant {
	out := []jsonGrant{}
	for _, g := range gs {
		out = append(out, jsonGrant{Scope: g.Scope, File: rel(g.File), Line: g.Line, Inline: g.Inline})
	}
	return out
}

// writeMatrix writes the access matrix.
func writeMatrix(w io.Writer, format string, m []resolve.Access, rel func(string) string) error {
	switch format {
	case "json":
		type entry struct {
			Token    string      `json:"token"`
			Resource string      `json:"resource"`
			Kind     string      `json:"kind"`
			Scopes   []string    `json:"scopes"`
			Grants   []jsonGrant `json:"grants"`
		}
		out := []entry{}
		for _, a := range m {
			out = append(out, entry{a.Token, a.Resource, kindName(a.ResourceKind), a.Scopes, jsonGrants(a.Grants, rel)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"token", "resource", "kind", "scope", "file", "line", "inline"})
		for _, a := range m {
			for _, g := range a.Grants {
				_ = cw.Write([]string{a.Token, a.Resource, kindName(a.ResourceKind), g.Scope, rel(g.File), strconv.Itoa(g.Line), strconv.FormatBool(g.Inline)})
			}
		}
		cw.Flush()
		return cw.Error()
	case "markdown":
		var b strings.Builder
		b.WriteString("| Token | Resource | Kind | Scopes | Granted at |\n|---|---|---|---|---|\n")
		for _, a := range m {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", tokenLabel(a.Token, a.Grants), a.Resource, kindName(a.ResourceKind), strings.Join(a.Scopes, ", "), where(a.Grants, rel))
		}
		if len(m) == 0 {
			b.WriteString("\nNo token is granted anything.\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	rows := [][]string{{"TOKEN", "RESOURCE", "KIND", "SCOPES", "GRANTED AT"}}
	for _, a := range m {
		rows = append(rows, []string{tokenLabel(a.Token, a.Grants), a.Resource, kindName(a.ResourceKind), strings.Join(a.Scopes, ","), where(a.Grants, rel)})
	}
	if len(m) == 0 {
		_, err := io.WriteString(w, "No token is granted anything.\n")
		return err
	}
	return writeColumns(w, rows)
}

// writeColumns writes rows as left-aligned columns.
func writeColumns(w io.Writer, rows [][]string) error {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDiff writes the changes of access against the revision base.
func writeDiff(w io.Writer, format, base string, changes []resolve.Change, relOf func(resolve.Change) func(string) string) error {
	scopes := func(s []string) string {
		if len(s) == 0 {
			return "—"
		}
		return strings.Join(s, ", ")
	}
	switch format {
	case "json":
		type entry struct {
			Change   string      `json:"change"`
			Token    string      `json:"token"`
			Resource string      `json:"resource"`
			Kind     string      `json:"kind"`
			Before   []string    `json:"before"`
			After    []string    `json:"after"`
			Grants   []jsonGrant `json:"grants"`
		}
		out := []entry{}
		for _, c := range changes {
			before, after := c.Old, c.New
			if before == nil {
				before = []string{}
			}
			if after == nil {
				after = []string{}
			}
			out = append(out, entry{string(c.Kind), c.Token, c.Resource, kindName(c.ResourceKind), before, after, jsonGrants(c.Grants, relOf(c))})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"change", "token", "resource", "kind", "before", "after", "granted_at"})
		for _, c := range changes {
			_ = cw.Write([]string{string(c.Kind), c.Token, c.Resource, kindName(c.ResourceKind), strings.Join(c.Old, " "), strings.Join(c.New, " "), where(c.Grants, relOf(c))})
		}
		cw.Flush()
		return cw.Error()
	case "markdown":
		var b strings.Builder
		fmt.Fprintf(&b, "### Token access changes against `%s`\n\n", base)
		if len(changes) == 0 {
			b.WriteString("No token gains or loses access.\n")
		} else {
			b.WriteString("| Change | Token | Resource | Kind | Before | After | Granted at |\n|---|---|---|---|---|---|---|\n")
			for _, c := range changes {
				fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s | %s | %s | %s |\n", c.Kind, tokenLabel(c.Token, c.Grants), c.Resource, kindName(c.ResourceKind), scopes(c.Old), scopes(c.New), where(c.Grants, relOf(c)))
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	if len(changes) == 0 {
		_, err := fmt.Fprintf(w, "No token gains or loses access against %s.\n", base)
		return err
	}
	rows := [][]string{{"CHANGE", "TOKEN", "RESOURCE", "KIND", "BEFORE", "AFTER", "GRANTED AT"}}
	for _, c := range changes {
		rows = append(rows, []string{string(c.Kind), tokenLabel(c.Token, c.Grants), c.Resource, kindName(c.ResourceKind), scopes(c.Old), scopes(c.New), where(c.Grants, relOf(c))})
	}
	return writeColumns(w, rows)
}
