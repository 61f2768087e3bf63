package resolve

import "github.com/tbls-dev/tbls/rules"

// Unknown is a reference that resolves to nothing in the project (TB710).
type Unknown struct {
	Ref Ref
	// Nearest is the closest defined name, "" when none is close.
	Nearest string
}

// Message returns the TB710 message.
func (u Unknown) Message() string {
	what := "table"
	if u.Ref.Use == UseTarget {
		what = "target datasource"
	}
	return rules.UnknownReferenceMessage(what, u.Ref.Name, u.Nearest)
}

// Unknowns returns the SQL table references and targets of the project
// that resolve to nothing, by file and offset. A datasource's quarantine
// table (<name>_quarantine) and a classic versioned name (<name>__v<N>,
// from VERSION N) resolve. Precision comes first, so a
// reference is left out when the project cannot tell: a name built by a
// template or an INCLUDE variable, a dotted name (system.*, tinybird.*, a
// datasource shared from another workspace), a table function or system
// table name, a name Tinybird reserves, and every reference of a project
// that declares no datasource at all (its datasources live elsewhere). A
// reference in an .incl file, or in a pipe that includes one, is known when
// any node of the included files has its name.
//
// A materialized node's DATASOURCE target that the project does not define
// is created by the classic CLI from the node's output (public demo
// projects rely on it and read the created datasource elsewhere): it is
// reported only when it is nearly the name of a defined datasource, a
// likely typo, and otherwise defines its name for the other references.
func (p *Project) Unknowns() []Unknown {
	resources := map[string]bool{}
	datasources := 0
	inclNodes := map[string]bool{} // nodes declared in .incl files
	for _, f := range p.files {
		for _, d := range f.Decls {
			switch {
			case d.Kind == Datasource:
				datasources++
				resources[d.Name] = true
				// Tinybird keeps the rows a datasource refuses in
				// <name>_quarantine, which queries may read.
				resources[d.Name+"_quarantine"] = true
				if d.Version != "" {
					resources[d.Name+"__v"+d.Version] = true
					resources[d.Name+"__v"+d.Version+"_quarantine"] = true
				}
			case d.Kind == Pipe:
				resources[d.Name] = true
				if d.Version != "" {
					resources[d.Name+"__v"+d.Version] = true
				}
			case d.Kind == Node && f.Partial:
				inclNodes[d.Name] = true
			}
		}
	}
	if datasources == 0 {
		return nil
	}
	var names, dsNames []string
	for _, f := range p.files {
		for _, d := range f.Decls {
			if d.Kind != Datasource && d.Kind != Pipe {
				continue
			}
			ns := []string{d.Name}
			if d.Version != "" {
				ns = append(ns, d.Name+"__v"+d.Version)
			}
			names = append(names, ns...)
			if d.Kind == Datasource {
				dsNames = append(dsNames, ns...)
			}
		}
	}
	// Materialized targets far from every datasource name are created.
	var created []string
	for _, f := range p.files {
		for _, r := range f.Refs {
			if r.Creates && !resources[r.Name] && r.Fixed == "" && !r.Dotted && rules.NearestName(r.Name, dsNames) == "" {
				resources[r.Name] = true
				created = append(created, r.Name)
			}
		}
	}
	names = append(names, created...)
	dsNames = append(dsNames, created...)
	var out []Unknown
	for _, f := range p.files {
		for _, r := range f.Refs {
			if r.Use != UseTable && r.Use != UseTarget || r.Kind == Node || r.Dotted || r.Fixed != "" {
				continue
			}
			if resources[r.Name] || !rules.ValidName(r.Name) || notAResource(r.Name) {
				continue
			}
			if (f.Partial || len(f.Includes) > 0) && inclNodes[r.Name] {
				continue
			}
			if f.Partial && p.isNodeAnywhere(r.Name) {
				continue // an .incl runs inside pipes whose nodes it may read
			}
			cands := names
			if r.Use == UseTarget {
				cands = dsNames
			}
			out = append(out, Unknown{Ref: r, Nearest: rules.NearestName(r.Name, cands)})
		}
	}
	return out
}

// notAResource reports names that are not a project's datasource or pipe:
// Tinybird's enabled system tables and table functions (read bare, as in
// FROM one or FROM numbers), and names it refuses for resources (SQL
// keywords, database names), which a query can only mean as ClickHouse's.
func notAResource(name string) bool {
	return rules.IsSystemTable(name) || rules.IsTableFunction(name) || rules.IsReserved(name)
}

// isNodeAnywhere reports whether some pipe of the project has a node named
// name.
func (p *Project) isNodeAnywhere(name string) bool {
	for _, f := range p.files {
		for _, d := range f.Decls {
			if d.Kind == Node && d.Name == name {
				return true
			}
		}
	}
	return false
}
