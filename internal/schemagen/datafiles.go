package schemagen

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteDatafiles writes n datasources (raw_NNNN.datasource) and n pipes
// (pipe_NNNN.pipe) into dir, the datafile half of the navigation and
// access benchmarks: pipe NNNN reads the generated Go datasource
// events_NNNN and the datafile raw_NNNN through two nodes, and every file
// grants app_read (datasources also grant ingest APPEND).
func WriteDatafiles(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		ds := "SCHEMA >\n    `timestamp` DateTime,\n    `event_name` String\n\nTOKEN app_read READ\nTOKEN ingest APPEND\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("raw_%04d.datasource", i)), []byte(ds), 0o644); err != nil {
			return err
		}
		p := fmt.Sprintf("TOKEN app_read READ\n\nNODE joined\nSQL >\n    SELECT e.event_name, count() AS hits\n    FROM events_%04d AS e\n    JOIN raw_%04d USING timestamp\n    GROUP BY e.event_name\n\nNODE top\nSQL >\n    SELECT * FROM joined ORDER BY hits DESC LIMIT 10\n\nTYPE endpoint\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("pipe_%04d.pipe", i)), []byte(p), 0o644); err != nil {
			return err
		}
	}
	return nil
}
