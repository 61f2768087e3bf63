package resolve

import (
	"fmt"
	"slices"
	"testing"
)

func TestMatrix(t *testing.T) {
	p := project(sample)
	var got []string
	for _, a := range Matrix(p.Grants()) {
		got = append(got, fmt.Sprintf("%s %s %v %s:%d", a.Token, a.Resource, a.Scopes, a.Grants[0].File, a.Grants[0].Line))
	}
	want := []string{
		"app_read events [READ] datasources/events.datasource:5",
		"app_read top [READ] pipes/top.pipe:1",
		"ingest events [APPEND] datasources/events.datasource:6",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Matrix =\n%q\nwant\n%q", got, want)
	}
}

func TestDiff(t *testing.T) {
	old := project(map[string]string{
		"a.datasource": "TOKEN r READ\nTOKEN gone READ\nTOKEN w APPEND\nTOKEN both READ\nTOKEN both APPEND\n",
		"p.pipe":       "TOKEN r READ\nNODE n\nSQL >\n    SELECT 1\n",
	})
	new := project(map[string]string{
		"a.datasource": "TOKEN r APPEND\nTOKEN w READ\nTOKEN w APPEND\nTOKEN both READ\nTOKEN fresh READ\n",
		"p.pipe":       "TOKEN r READ\nNODE n\nSQL >\n    SELECT 1\n",
	})
	var got []string
	for _, c := range Diff(Matrix(old.Grants()), Matrix(new.Grants())) {
		got = append(got, fmt.Sprintf("%s %s %s %v→%v", c.Kind, c.Token, c.Resource, c.Old, c.New))
	}
	want := []string{
		"narrowed both a [READ APPEND]→[READ]",
		"added fresh a []→[READ]",
		"removed gone a [READ]→[]",
		"widened r a [READ]→[APPEND]",
		"widened w a [APPEND]→[READ APPEND]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Diff =\n%q\nwant\n%q", got, want)
	}
}
