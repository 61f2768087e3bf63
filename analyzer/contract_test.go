package analyzer_test

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/rules"
)

// TestStaticCoversRunTime is the contract between the analyzers and the
// SDK's Validate, on programs whose schemas are built from constants and
// hold mistakes (testdata/src/tbvettest/contract/…, and
// examples/badschema): each program is run for real, and every problem
// Validate prints must also be a diagnostic of the Suite with the same
// code, inside the Define call Validate names (Validate locates a problem
// at the call, the analyzers at the field; a field held in a package-level
// variable the call uses counts as inside it). Static ⊇ run time. And the
// reverse for the schema checks: each schema diagnostic (TB5xx, TB6xx,
// TB701, TB703) is a problem Validate reports for that call, so the two
// never disagree. TB702 is reported at every definition of a name, where
// Validate reports the one the project lists last, so it is only checked
// one way.
func TestStaticCoversRunTime(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH to run the programs")
	}
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", "testdata", "src", "tbvettest"))
	if err != nil {
		t.Fatal(err)
	}
	module, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ dir, pkg string }{
		{root, "./contract/datasources"},
		{root, "./contract/pipes"},
		{root, "./contract/project"},
		{module, "./examples/badschema"},
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var patterns = map[string][]string{}
	for _, c := range cases {
		patterns[c.dir] = append(patterns[c.dir], c.pkg)
	}
	diags := map[string][]*staticDiag{} // by absolute file name
	var files []loadedFile
	for dir, pats := range patterns {
		pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadSyntax, Dir: dir, Env: env}, pats...)
		if err != nil {
			t.Fatal(err)
		}
		if n := packages.PrintErrors(pkgs); n > 0 {
			t.Fatalf("loading %v: %d errors", pats, n)
		}
		graph, err := checker.Analyze(analyzer.Suite, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for act := range graph.All() {
			if !act.IsRoot {
				continue
			}
			if act.Err != nil {
				t.Fatalf("%s: %v", act, act.Err)
			}
			for _, d := range act.Diagnostics {
				p := act.Package.Fset.Position(d.Pos)
				diags[p.Filename] = append(diags[p.Filename], &staticDiag{code: d.Category, pos: d.Pos, end: d.End, msg: d.Message, at: p})
			}
		}
		for _, p := range pkgs {
			for _, f := range p.Syntax {
				files = append(files, loadedFile{f: f, info: p.TypesInfo, fset: p.Fset, name: p.Fset.File(f.Pos()).Name()})
			}
		}
	}
	for _, c := range cases {
		pkgDir := filepath.Join(c.dir, c.pkg)
		problems := runProgram(t, pkgDir, env)
		if len(problems) < 10 {
			t.Errorf("%s: only %d problems at run time; the corpus should hold many", c.pkg, len(problems))
		}
		var calls []defineCall
		for _, lf := range files {
			if filepath.Dir(lf.name) == pkgDir {
				calls = append(calls, defineCalls(lf, files)...)
			}
		}
		matched := map[*staticDiag]bool{}
		for _, p := range problems {
			cs := callsAt(calls, p.file, p.line)
			if len(cs) == 0 {
				t.Errorf("%s:%d: no Define call on the line of %s %s", p.file, p.line, p.code, p.msg)
				continue
			}
			found := false
			for _, call := range cs {
				for _, r := range call.ranges {
					for _, d := range diags[r.file] {
						if d.code == p.code && r.pos <= d.pos && d.end <= r.end {
							found, matched[d] = true, true
						}
					}
				}
			}
			if !found {
				t.Errorf("%s:%d: Validate reports %s %s, but no analyzer reports %s inside that Define call", filepath.Base(p.file), p.line, p.code, p.msg, p.code)
			}
		}
		// The reverse, for the schema checks.
		for _, lf := range files {
			if filepath.Dir(lf.name) != pkgDir {
				continue
			}
			for _, d := range diags[lf.name] {
				code := rules.Code(d.code)
				schema := strings.HasPrefix(d.code, "TB5") || strings.HasPrefix(d.code, "TB6") || code == rules.TB701 || code == rules.TB703
				if schema && !matched[d] {
					t.Errorf("%s: %s is reported statically, but Validate reports no %s for its Define call", d.at, d.msg, d.code)
				}
			}
		}
	}
}

// loadedFile is a file of a loaded package.
type loadedFile struct {
	f    *ast.File
	info *types.Info
	fset *token.FileSet
	name string
}

// staticDiag is one diagnostic of the Suite.
type staticDiag struct {
	code     string
	pos, end token.Pos
	msg      string
	at       token.Position
}

// runtimeProblem is one line Validate printed: "file:line: CODE message".
type runtimeProblem struct {
	file string // absolute
	line int
	code string
	msg  string
}

var problemLine = regexp.MustCompile(`^(\S+?\.go):(\d+): (TB\d{3}) (.*)$`)

// runProgram runs the program in dir and returns the problems it prints.
// The programs print Validate's error; badschema exits 1 on purpose.
func runProgram(t *testing.T, dir string, env []string) []runtimeProblem {
	t.Helper()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && !strings.Contains(stderr.String(), "exit status 1") {
		t.Fatalf("go run %s: %v\n%s", dir, err, stderr.String())
	}
	var ps []runtimeProblem
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := problemLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		file := m[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, filepath.Base(file))
		}
		ps = append(ps, runtimeProblem{file: file, line: line, code: m[3], msg: m[4]})
	}
	return ps
}

// defineCall is a call of an SDK Define function, and the ranges that
// count as inside it: the call, and the initializers of the package-level
// variables it uses, transitively.
type defineCall struct {
	file   string
	line   int
	ranges []fileRange
}

type fileRange struct {
	file     string
	pos, end token.Pos
}

// defineCalls returns the Define calls of lf. files are every loaded
// file, to find the package-level variables' initializers.
func defineCalls(lf loadedFile, files []loadedFile) []defineCall {
	inits := map[types.Object]ast.Expr{}
	fileOf := map[types.Object]string{}
	for _, g := range files {
		for _, d := range g.f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, id := range vs.Names {
					if obj := g.info.Defs[id]; obj != nil {
						inits[obj], fileOf[obj] = vs.Values[i], g.name
					}
				}
			}
		}
	}
	isDefine := func(info *types.Info, call *ast.CallExpr) bool {
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		return ok && fn.Pkg() != nil && fn.Pkg().Path() == analyzer.SDKPath && strings.HasPrefix(fn.Name(), "Define")
	}
	var calls []defineCall
	ast.Inspect(lf.f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !isDefine(lf.info, call) {
			return true
		}
		dc := defineCall{file: lf.name, line: lf.fset.Position(call.Pos()).Line, ranges: []fileRange{{lf.name, call.Pos(), call.End()}}}
		seen := map[types.Object]bool{}
		var follow func(e ast.Node, depth int)
		follow = func(e ast.Node, depth int) {
			if depth > 4 {
				return
			}
			ast.Inspect(e, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				obj := lf.info.Uses[id]
				init, ok := inits[obj]
				if !ok || seen[obj] {
					return true
				}
				// A variable holding another Define call's result is
				// another resource, not part of this one.
				if c, ok := ast.Unparen(init).(*ast.CallExpr); ok && isDefine(lf.info, c) {
					return true
				}
				seen[obj] = true
				dc.ranges = append(dc.ranges, fileRange{fileOf[obj], init.Pos(), init.End()})
				follow(init, depth+1)
				return true
			})
		}
		follow(call, 0)
		calls = append(calls, dc)
		return true
	})
	return calls
}

// callsAt returns the Define calls of file that start on line.
func callsAt(calls []defineCall, file string, line int) []defineCall {
	var out []defineCall
	for _, c := range calls {
		if c.file == file && c.line == line {
			out = append(out, c)
		}
	}
	return out
}
