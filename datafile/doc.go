// Package datafile parses and checks Tinybird datafiles (.datasource,
// .pipe, .incl and .connection files) for tbls: its language server (diagnostics, scope completion,
// hover, the workspace's token access map) and `tbls check`.
//
// # Syntax, as the Tinybird CLI reads it
//
// A datafile is read line by line. Lines end in \n, \r\n or a lone \r. Each
// line is split as Python's shlex does in its non-POSIX mode: words are
// separated by spaces and tabs; a ' or " at the start of a word opens a
// quoted word that ends at the matching quote (quotes are kept in the word
// and stripped from values); a quote inside a word is an ordinary character;
// # outside quotes starts a comment that runs to the end of the line, even in
// the middle of a word. A line with no words (blank, or a comment) is skipped
// everywhere, inside blocks too.
//
// The first word of a line is its keyword, matched without regard to case.
// "KEYWORD >" opens a block (SCHEMA >, SQL >, DESCRIPTION >, INDEXES >,
// FORWARD_QUERY >, SHARED_WITH >…); the following lines are its body until a
// line that starts in column 0 (no leading space or tab) with a known
// keyword. So an indented "TOKEN x APPEND" in an SQL body, or an SQL line in
// column 0 that does not start with a keyword, is body text, never a
// directive. NODE starts a section of a pipe: the directives after it, up to
// the next NODE, belong to it (Tinybird applies TYPE, DATASOURCE… to that
// node; TOKEN lines apply to the whole file wherever they are).
//
// The known keywords are the directives of the CLIs' tables (package rules,
// rules.EndsBlock): the classic CLI's single table and the Forward CLI's
// tables for .datasource, .pipe and .connection files together (the CLI
// checks one kind's set; the difference only matters for a column-0 line in
// a body that starts with a keyword of another kind of file).
// TestCLIReference compares the parser with the CLI's loop run on Python's
// own shlex (testdata/cli_reference.py). A UTF-8 byte-order mark is skipped
// (File.BOM), so that the first line's directive is read.
//
// Parse never fails: it records what the CLI would refuse to split
// (unterminated quotes) as SyntaxErrors and carries on.
//
// # Checks
//
// Check runs the rules of package rules on a .datasource, .pipe, .connection
// or .incl file, as the Tinybird CLI reads it:
//
//   - TOKEN lines: TB205 (arity, blocks, unterminated quotes), TB202 (unknown
//     scope; lower case, or a classic-only CREATE/DROP, is a warning), TB201 (a
//     scope other than READ on a pipe), TB101 (a token name the SDKs refuse,
//     a warning since Tinybird accepts it), TB206 (the same grant twice).
//   - Names: TB103 and TB104 on the resource name the file name gives
//     (reported on the first line; a shared "<workspace>.<name>.datasource"
//     is not judged) and on node names.
//   - The file's shape: TB801 (a directive neither CLI accepts in this kind
//     of file, SETTINGS, a -- comment in column 0, a byte-order mark), TB802
//     (an empty file), TB501 (a datasource without SCHEMA), TB601 (a pipe
//     without NODE), TB803 (an unknown node TYPE), TB804 (an INCLUDE that is
//     missing, cyclic or nested too deep).
//   - The schema, through the same rules as Go code: SCHEMA columns and
//     types (TB502-TB508), engine keys against the columns (TB510-TB514,
//     counting the columns a Kafka or DynamoDB connector adds), two nodes
//     with one name (TB602), a node without SQL (TB603), two endpoint,
//     materialized, copy or sink nodes in a pipe (TB605), a materialized
//     node without DATASOURCE (TB620), a copy node without
//     TARGET_DATASOURCE (TB630) or with an unknown COPY_MODE (TB631).
//
// CheckWith resolves INCLUDE with Options.ReadFile, as the classic CLI does
// (the Forward CLI does not support INCLUDE yet): paths relative to the
// including file, KEY=value attributes substituted for $KEY. Without it, the
// checks that need the included text are skipped for a file with INCLUDE.
// What a CLI would substitute (${VAR}, {{ template }}) is never judged.
package datafile
