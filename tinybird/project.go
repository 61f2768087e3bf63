package tinybird

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tbls-dev/tbls/rules"
)

// ProjectOptions lists a project's resources. Datasources a pipe writes
// into and connections a datasource or pipe uses are part of the project
// even when not listed.
type ProjectOptions struct {
	Datasources []*Datasource
	Pipes       []*Pipe
	Connections []Connection
}

// Project is a set of resources to validate and write as datafiles.
type Project struct {
	options ProjectOptions
	pos     position
}

// DefineProject defines a project.
//
//go:noinline
func DefineProject(opts ProjectOptions) *Project {
	return &Project{options: opts, pos: callerPosition()}
}

// resources is a project's resources, including those reached through
// references, each once, in a stable order: listed ones first, in order.
type resources struct {
	datasources []*Datasource
	pipes       []*Pipe
	connections []Connection
}

func (p *Project) collect(l *problemList) resources {
	var r resources
	seenDS := map[*Datasource]bool{}
	seenPipe := map[*Pipe]bool{}
	seenConn := map[Connection]bool{}
	addConn := func(c Connection) {
		if c == nil || isNilConnection(c) || seenConn[c] {
			return
		}
		seenConn[c] = true
		r.connections = append(r.connections, c)
	}
	addDS := func(d *Datasource) {
		if d == nil || seenDS[d] {
			return
		}
		seenDS[d] = true
		r.datasources = append(r.datasources, d)
	}
	for i, d := range p.options.Datasources {
		if d == nil {
			pr := rules.NilResource("Datasources", i)
			l.add(p.pos, "project", fmt.Sprintf("Datasources[%d]", i), pr.Code, pr.Message)
		}
		addDS(d)
	}
	for i, pp := range p.options.Pipes {
		if pp == nil {
			pr := rules.NilResource("Pipes", i)
			l.add(p.pos, "project", fmt.Sprintf("Pipes[%d]", i), pr.Code, pr.Message)
			continue
		}
		if seenPipe[pp] {
			continue
		}
		seenPipe[pp] = true
		r.pipes = append(r.pipes, pp)
	}
	for _, pp := range r.pipes {
		if m := pp.opts.Materialized; m != nil {
			addDS(m.Datasource)
		}
		if c := pp.opts.Copy; c != nil {
			addDS(c.Datasource)
		}
	}
	for i, c := range p.options.Connections {
		if c == nil || isNilConnection(c) {
			pr := rules.NilResource("Connections", i)
			l.add(p.pos, "project", fmt.Sprintf("Connections[%d]", i), pr.Code, pr.Message)
		}
		addConn(c)
	}
	for _, d := range r.datasources {
		o := d.options
		if o.Kafka != nil && o.Kafka.Connection != nil {
			addConn(o.Kafka.Connection)
		}
		if o.S3 != nil && o.S3.Connection != nil {
			addConn(o.S3.Connection)
		}
		if o.GCS != nil && o.GCS.Connection != nil {
			addConn(o.GCS.Connection)
		}
		if o.DynamoDB != nil && o.DynamoDB.Connection != nil {
			addConn(o.DynamoDB.Connection)
		}
	}
	for _, pp := range r.pipes {
		if s := pp.sink; s != nil {
			if s.Kafka != nil && s.Kafka.Connection != nil {
				addConn(s.Kafka.Connection)
			}
			if s.S3 != nil && s.S3.Connection != nil {
				addConn(s.S3.Connection)
			}
		}
	}
	return r
}

// isNilConnection reports whether a Connection interface holds a nil pointer.
func isNilConnection(c Connection) bool {
	switch c := c.(type) {
	case *KafkaConnection:
		return c == nil
	case *S3Connection:
		return c == nil
	case *GCSConnection:
		return c == nil
	case *DynamoDBConnection:
		return c == nil
	}
	return false
}

// Validate checks every resource of the project, the tokens they grant and
// the connections they use, and returns every problem at once as a
// *ValidationError (nil when there is none). Each problem names the
// file:line of the Define call that made the resource and, when the check
// table has one, the check's code:
//
//	schema/tokens.go:12: TB101 Invalid token name: "app-read". …
//
// Warnings (TB203, TB204, TB206) are problems too: each is a grant that does
// not do what it says.
func (p *Project) Validate() error {
	var l problemList
	r := p.collect(&l)
	p.validate(&l, r)
	return l.err()
}

func (p *Project) validate(l *problemList, r resources) {
	dsNames := map[string]*Datasource{}
	for _, d := range r.datasources {
		d.validate(l)
		if other, ok := dsNames[d.name]; ok {
			pr := rules.DuplicateResource(rules.SubjectDatasource, d.name, other.pos.String())
			l.add(d.pos, d.label(), "", pr.Code, pr.Message)
		} else {
			dsNames[d.name] = d
		}
	}
	pipeNames := map[string]*Pipe{}
	for _, pp := range r.pipes {
		pp.validate(l)
		if other, ok := pipeNames[pp.name]; ok {
			pr := rules.DuplicateResource(rules.SubjectPipe, pp.name, other.pos.String())
			l.add(pp.pos, pp.label(), "", pr.Code, pr.Message)
		} else {
			pipeNames[pp.name] = pp
			if d, ok := dsNames[pp.name]; ok {
				pr := rules.DatasourcePipeClash(pp.name, d.pos.String())
				l.add(pp.pos, pp.label(), "", pr.Code, pr.Message)
			}
		}
	}
	connNames := map[string]Connection{}
	for _, c := range r.connections {
		validateConnection(l, c)
		if other, ok := connNames[c.Name()]; ok {
			pr := rules.DuplicateResource(rules.SubjectConnection, c.Name(), other.position().String())
			l.add(c.position(), fmt.Sprintf("connection %q", c.Name()), "", pr.Code, pr.Message)
		} else {
			connNames[c.Name()] = c
		}
	}
}

// Datafile is the name and text of one generated datafile.
type Datafile struct {
	// Name is the file name: "<resource>.datasource", ".pipe" or
	// ".connection".
	Name    string
	Content string
}

// Datafiles validates the project and returns its datafiles: datasources,
// then pipes, then connections, each in project order. It returns the
// Validate error, and no files, when the project is invalid.
func (p *Project) Datafiles() ([]Datafile, error) {
	var l problemList
	r := p.collect(&l)
	p.validate(&l, r)
	if err := l.err(); err != nil {
		return nil, err
	}
	files := make([]Datafile, 0, len(r.datasources)+len(r.pipes)+len(r.connections))
	for _, d := range r.datasources {
		files = append(files, Datafile{Name: d.name + ".datasource", Content: d.Datafile()})
	}
	for _, pp := range r.pipes {
		files = append(files, Datafile{Name: pp.name + ".pipe", Content: pp.Datafile()})
	}
	for _, c := range r.connections {
		files = append(files, Datafile{Name: c.Name() + ".connection", Content: c.Datafile()})
	}
	return files, nil
}

// WriteDatafiles writes one <name>.datasource per datasource, one
// <name>.pipe per pipe and one <name>.connection per connection into dir,
// creating dir if needed. When the project is invalid it writes nothing and
// returns the Validate error.
func (p *Project) WriteDatafiles(dir string) error {
	files, err := p.Datafiles()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("tinybird: creating the datafile directory: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, []byte(f.Content), 0o644); err != nil {
			return fmt.Errorf("tinybird: writing datafile: %w", err)
		}
	}
	return nil
}
