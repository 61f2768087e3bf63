package tinybird

// ProjectOptions lists a project's resources.
type ProjectOptions struct {
	Datasources []*Datasource
	Pipes       []*Pipe
}

// Project is a set of resources to validate and write as datafiles.
type Project struct {
	options ProjectOptions
}

// DefineProject defines a project.
func DefineProject(opts ProjectOptions) *Project { return &Project{options: opts} }
