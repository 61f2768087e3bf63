package datafile

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// shapeCase is a whole datafile and what Check must say about it: each want
// is "CODE text-at-fault", in order. No want means no diagnostic at all.
type shapeCase struct {
	name, filename, src string
	want                []string
	fix                 map[string]string // fix message -> the text after applying it
}

func runShapeCases(t *testing.T, tests []shapeCase, opts Options) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckWith(tt.filename, []byte(tt.src), opts)
			checkDiagnostics(t, tt.src, got)
			var have []string
			for _, d := range got {
				have = append(have, string(d.Code)+" "+tt.src[d.Start:d.End])
			}
			if strings.Join(have, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n  %s\nwant\n  %s\n%s", strings.Join(have, "\n  "), strings.Join(tt.want, "\n  "), dump(tt.src, got))
			}
			seen := map[string]bool{}
			for _, d := range got {
				for _, f := range d.Fixes {
					want, ok := tt.fix[f.Message]
					if !ok {
						continue
					}
					seen[f.Message] = true
					if res := apply(t, tt.src, f.Edits); res != want {
						t.Errorf("fix %q:\n got %q\nwant %q", f.Message, res, want)
					}
				}
			}
			for m := range tt.fix {
				if !seen[m] {
					t.Errorf("no fix %q", m)
				}
			}
		})
	}
}

const (
	goodDatasource = "SCHEMA >\n    `ts` DateTime,\n    `id` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n"
	goodPipe       = "NODE top\nSQL >\n    SELECT count() FROM events\n\nTYPE endpoint\n"
)

func TestCheckShape(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// Complete files: nothing to say.
		{name: "datasource", filename: "events.datasource", src: goodDatasource},
		{name: "pipe", filename: "top.pipe", src: goodPipe},
		{name: "materialized in any case", filename: "p.pipe", src: "NODE a\nSQL >\n    SELECT 1\nTYPE Materialized\nDATASOURCE t\n"},
		{name: "copy in any case", filename: "p.pipe", src: "NODE a\nSQL >\n    SELECT 1\nTYPE COPY\nTARGET_DATASOURCE t\n"},
		{name: "sink", filename: "p.pipe", src: "NODE a\nSQL >\n    SELECT 1\nTYPE sink\nEXPORT_CONNECTION_NAME c\n"},
		{name: "standard nodes", filename: "p.pipe", src: "NODE a\nSQL >\n    SELECT 1\nTYPE standard\n\nNODE b\nSQL >\n    SELECT 1\nTYPE default\n"},
		{name: "classic directives in a pipe", filename: "mv.pipe",
			src: "VERSION 1\nDESCRIPTION >\n    daily\n\nNODE mv\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE daily\nENGINE \"SummingMergeTree\"\nENGINE_SORTING_KEY \"d\"\n"},
		{name: "Forward-only directives", filename: "events.datasource",
			src: goodDatasource + "FORWARD_QUERY >\n    SELECT ts, id\nBACKFILL skip\n"},
		{name: "connection", filename: "kafka.connection",
			src: "TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS host:9092\nKAFKA_KEY {{ tb_secret(\"k\") }}\nKAFKA_SECRET {{ tb_secret(\"s\") }}\n"},
		{name: "shared datasource file name", filename: "vendor/ws/datasources/analytics.events.datasource", src: goodDatasource},
		{name: "comment lines everywhere", filename: "top.pipe", src: "# about\n" + goodPipe + "# end\n"},
		{name: "-- inside SQL is SQL", filename: "top.pipe", src: "NODE top\nSQL >\n    -- count\n    SELECT 1\n-- column 0 in a body is body text\n    FROM t\n"},

		// TB801.
		{name: "-- comment in column 0", filename: "top.pipe", src: "-- daily totals\n" + goodPipe,
			want: []string{"TB801 --"},
			fix:  map[string]string{"Turn the line into a # comment": "# daily totals\n" + goodPipe}},
		{name: "misspelt directive", filename: "events.datasource", src: goodDatasource + "ENGNE_TTL ts + interval 1 day\n",
			want: []string{"TB801 ENGNE_TTL"}},
		{name: "unknown engine setting", filename: "events.datasource", src: goodDatasource + "ENGINE_ORDER_BY ts\n",
			want: []string{"TB801 ENGINE_ORDER_BY"}},
		{name: "SETTINGS", filename: "events.datasource", src: goodDatasource + "SETTINGS index_granularity=8192\n",
			want: []string{"TB801 SETTINGS"},
			fix:  map[string]string{"Change SETTINGS to ENGINE_SETTINGS": goodDatasource + "ENGINE_SETTINGS index_granularity=8192\n"}},
		{name: "NODE in a datasource", filename: "events.datasource", src: goodDatasource + "NODE n\n",
			want: []string{"TB801 NODE"}},
		{name: "pipe directive in a connection", filename: "kafka.connection", src: "TYPE kafka\nNODE n\n",
			want: []string{"TB801 NODE"}},
		{name: "byte-order mark", filename: "events.datasource", src: "\uFEFF" + goodDatasource,
			want: []string{"TB801 \uFEFF"},
			fix:  map[string]string{"Remove the byte-order mark": goodDatasource}},

		// TB802.
		{name: "empty datasource", filename: "events.datasource", src: "", want: []string{"TB802 "}},
		{name: "comments only", filename: "top.pipe", src: "# TODO\n\n", want: []string{"TB802 # TODO"}},
		{name: "empty connection", filename: "k.connection", src: "\n", want: []string{"TB802 "}},
		{name: "empty include is fine", filename: "common.incl", src: ""},
		{name: "empty and reserved name", filename: "select.pipe", src: "", want: []string{"TB104 ", "TB802 "}},

		// TB501 (SCHEMA is mandatory).
		{name: "datasource without SCHEMA", filename: "events.datasource", src: "ENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n",
			want: []string{"TB501 ENGINE \"MergeTree\""}},
		{name: "SCHEMA on one line counts", filename: "events.datasource", src: "SCHEMA `ts` DateTime\n"},

		// TB601 (at least one node).
		{name: "bare SQL", filename: "top.pipe", src: "SELECT count()\nFROM events\n",
			want: []string{"TB601 SELECT count()"}},
		{name: "tokens but no node", filename: "top.pipe", src: "DESCRIPTION top\nTOKEN r READ\n",
			want: []string{"TB601 DESCRIPTION top"}},

		// TB803.
		{name: "unknown TYPE", filename: "top.pipe", src: "NODE top\nSQL >\n    SELECT 1\nTYPE api\n",
			want: []string{"TB803 api"}},
		{name: "TYPE from a variable", filename: "top.incl", src: "NODE top\nSQL >\n    SELECT 1\nTYPE $KIND\n"},

		// Node names.
		{name: "invalid node name", filename: "top.pipe", src: "NODE top-events\nSQL >\n    SELECT 1\n",
			want: []string{"TB103 top-events"},
			fix:  map[string]string{"Rename the node to top_events": "NODE top_events\nSQL >\n    SELECT 1\n"}},
		{name: "reserved node name", filename: "top.pipe", src: "NODE from\nSQL >\n    SELECT 1\n",
			want: []string{"TB104 from"}},
		{name: "NODE without a name", filename: "top.pipe", src: "NODE\nSQL >\n    SELECT 1\n",
			want: []string{"TB103 NODE"}},
		{name: "quoted node name", filename: "top.pipe", src: "NODE \"top\"\nSQL >\n    SELECT 1\n"},
		// Seen in Tinybird's own starter kits: a classic-CLI permission.
		{name: "TOKEN CREATE on a datasource", filename: "logs.datasource", src: "TOKEN app CREATE\n" + goodDatasource,
			want: []string{"TB202 CREATE"}},
		{name: "node name from an include attribute", filename: "q.incl", src: "NODE ${NAME}_daily\nSQL >\n    SELECT 1\n"},
	}, Options{})
}

// memFS is a directory of files for INCLUDE tests.
type memFS map[string]string

func (m memFS) read(path string) ([]byte, error) {
	if s, ok := m[filepath.ToSlash(path)]; ok {
		return []byte(s), nil
	}
	return nil, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
}

func TestCheckIncludes(t *testing.T) {
	files := memFS{
		"p/includes/schema.incl": "SCHEMA >\n    `ts` DateTime\n",
		"p/includes/node.incl":   "NODE $NAME\nSQL >\n    SELECT 1\n",
		"p/includes/outer.incl":  "INCLUDE \"inner.incl\"\n",
		"p/includes/inner.incl":  "NODE inner\nSQL >\n    SELECT 1\n",
		"p/includes/a.incl":      "INCLUDE \"b.incl\"\n",
		"p/includes/b.incl":      "INCLUDE \"a.incl\"\n",
		"p/includes/broken.incl": "INCLUDE \"gone.incl\"\n",
		"p/includes/self.incl":   "INCLUDE \"self.incl\"\n",
	}
	for i := 0; i < 20; i++ {
		files[fmt.Sprintf("p/deep/%d.incl", i)] = fmt.Sprintf("INCLUDE \"%d.incl\"\n", i+1)
	}
	runShapeCases(t, []shapeCase{
		{name: "SCHEMA from an include", filename: "p/events.datasource", src: "INCLUDE \"includes/schema.incl\"\nENGINE \"MergeTree\"\n"},
		{name: "node from an include with attributes", filename: "p/top.pipe", src: "INCLUDE \"includes/node.incl\" \"NAME=top\"\n"},
		{name: "nested include", filename: "p/top.pipe", src: "INCLUDE \"includes/outer.incl\"\n"},
		{name: "missing include", filename: "p/top.pipe", src: "INCLUDE \"includes/nope.incl\"\n",
			want: []string{"TB804 \"includes/nope.incl\""}},
		{name: "missing nested include", filename: "p/top.pipe", src: "INCLUDE \"includes/broken.incl\"\n",
			want: []string{"TB804 \"includes/broken.incl\""}},
		{name: "include cycle", filename: "p/top.pipe", src: "INCLUDE \"includes/a.incl\"\n",
			want: []string{"TB804 \"includes/a.incl\""}},
		{name: "include of itself", filename: "p/includes/self.incl", src: "INCLUDE \"self.incl\"\n",
			want: []string{"TB804 \"self.incl\""}},
		{name: "unbounded depth", filename: "p/deep/start.pipe", src: "INCLUDE \"0.incl\"\n",
			want: []string{"TB804 \"0.incl\""}},
		{name: "INCLUDE without a path", filename: "p/top.pipe", src: "INCLUDE\n", want: []string{"TB804 INCLUDE"}},
		{name: "include with a variable path is not read", filename: "p/top.pipe", src: "INCLUDE \"$DIR/x.incl\"\n"},
		{name: "no node even with the include", filename: "p/top.pipe", src: "INCLUDE \"includes/schema.incl\"\n",
			want: []string{"TB601 INCLUDE \"includes/schema.incl\""}},
	}, Options{ReadFile: files.read})

	// Without a ReadFile, an INCLUDE may bring anything: no TB501/TB601.
	runShapeCases(t, []shapeCase{
		{name: "unresolved include", filename: "p/top.pipe", src: "INCLUDE \"includes/nope.incl\"\n"},
	}, Options{})

	for _, msg := range []string{"cycle", "→"} {
		d := CheckWith("p/top.pipe", []byte("INCLUDE \"includes/a.incl\"\n"), Options{ReadFile: files.read})
		if len(d) != 1 || !strings.Contains(d[0].Message, msg) {
			t.Errorf("cycle message %v lacks %q", d, msg)
		}
	}
}

func TestSubstitute(t *testing.T) {
	attrs := map[string]string{"A": "x", "B_2": "y"}
	for in, want := range map[string]string{
		"$A":        "x",
		"${A}z":     "xz",
		"$Az":       "$Az",
		"$$A":       "$A",
		"$B_2.$C":   "y.$C",
		"${A":       "${A",
		"cost $ 5":  "cost $ 5",
		"trailing$": "trailing$",
	} {
		if got := substitute(in, attrs); got != want {
			t.Errorf("substitute(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDirectiveTablesMatchParser(t *testing.T) {
	// Every directive a CLI accepts somewhere ends a block, except FROM and
	// SETTINGS (see rules.EndsBlock).
	for _, kind := range []rules.FileKind{rules.FileDatasource, rules.FilePipe, rules.FileConnection} {
		for _, kw := range []string{"SCHEMA", "NODE", "TOKEN", "ENGINE_TTL", "KAFKA_TOPIC", "S3_REGION", "CACHE"} {
			if rules.DirectiveAccepted(kind, kw) && !KnownKeyword(kw) {
				t.Errorf("%s accepted in %s files but does not end a block", kw, kind)
			}
		}
	}
	for _, kw := range []string{"FROM", "SETTINGS", "SELECT", "--"} {
		if KnownKeyword(kw) {
			t.Errorf("%s ends a block", kw)
		}
	}
}

func TestCheckSchema(t *testing.T) {
	const engine = "\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n"
	runShapeCases(t, []shapeCase{
		// Columns as the CLI reads them.
		{name: "every column form", filename: "e.datasource",
			src: "SCHEMA >\n    `ts` DateTime64(3, 'UTC') `json:$.ts`, -- when\n    id String DEFAULT '' CODEC(ZSTD(1)),\n    `n.a` Array(Tuple(a String, b Nullable(Int32))) `json:$.n[:]`,\n    `weird name` LowCardinality(Nullable(String)),\n    e Enum8('a, b' = 1, 'c' = 2),\n    agg AggregateFunction(uniq, String),\n    d DEFAULT now(),\n" + engine},
		{name: "defaults with commas in brackets and braces", filename: "e.datasource",
			src: "SCHEMA >\n    ts DateTime,\n    tags Array(String) `json:$.tags` DEFAULT ['x', 'y'],\n    m JSON DEFAULT {\"k\": [1, 2], \"v\": {\"w\": null}},\n    e Enum8('it\\'s' = 1, 'b' = 2) `json:$.e`\n" + engine},
		{name: "comment line in a schema", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n# a comment\n    `id` String\n" + engine},
		{name: "template in a schema is not judged", filename: "e.datasource", src: "SCHEMA >\n    `ts` {{ type }},\n    `ts` DateTime\n" + engine},
		{name: "duplicate column", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    `ts` DateTime\n" + engine,
			want: []string{"TB503 `ts` DateTime"}},
		{name: "invalid type", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    `n` Strng\n" + engine,
			want: []string{"TB506 Strng"}},
		{name: "missing comma", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime\n    `n` String\n" + engine,
			want: []string{"TB506 DateTime"}},
		{name: "type over several lines", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    `t` Tuple(\n        a String,\n        b Int32)\n" + engine},
		{name: "invalid column name", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    my-col String\n" + engine,
			want: []string{"TB505 my-col"}},
		{name: "column without a type", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    `n` `json:$.n`\n" + engine,
			want: []string{"TB504 n"}},
		{name: "column with a DEFAULT and no type", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime,\n    `n` DEFAULT 1\n" + engine},
		{name: "invalid JSON path", filename: "e.datasource", src: "SCHEMA >\n    `ts` DateTime `json:ts`\n" + engine,
			want: []string{"TB508 ts"}},

		// Engine keys against the columns.
		{name: "sorting key names a missing column", filename: "e.datasource",
			src:  "SCHEMA >\n    `timestamp` DateTime\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestmap\"\n",
			want: []string{"TB510 \"timestmap\""},
			fix:  map[string]string{"Change the column to timestamp": "SCHEMA >\n    `timestamp` DateTime\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n"}},
		{name: "no ENGINE is MergeTree", filename: "e.datasource",
			src: "SCHEMA >\n    `ts` DateTime\n\nENGINE_SORTING_KEY nope\n", want: []string{"TB510 nope"}},
		{name: "expressions in keys", filename: "e.datasource",
			src: "SCHEMA >\n    `ts` DateTime,\n    `id` String\n\nENGINE \"MergeTree\"\nENGINE_PARTITION_KEY \"toYYYYMM(ts)\"\nENGINE_SORTING_KEY \"id, toStartOfHour(ts)\"\nENGINE_TTL \"ts + toIntervalDay(30)\"\n"},
		{name: "primary key not a prefix", filename: "e.datasource",
			src:  "SCHEMA >\n    `ts` DateTime,\n    `id` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id, ts\"\nENGINE_PRIMARY_KEY \"ts\"\n",
			want: []string{"TB511 \"ts\""}},
		{name: "Nullable sorting key", filename: "e.datasource",
			src:  "SCHEMA >\n    `id` Nullable(String)\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id\"\n",
			want: []string{"TB512 \"id\""}},
		{name: "Nullable sorting key allowed", filename: "e.datasource",
			src: "SCHEMA >\n    `id` Nullable(String)\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id\"\nENGINE_SETTINGS \"allow_nullable_key=1\"\n"},
		{name: "ReplacingMergeTree ver of a refused type", filename: "e.datasource",
			src:  "SCHEMA >\n    `id` String,\n    `v` String\n\nENGINE \"ReplacingMergeTree\"\nENGINE_SORTING_KEY \"id\"\nENGINE_VER \"v\"\n",
			want: []string{"TB513 \"v\""}},
		{name: "key from a variable is not judged", filename: "e.datasource",
			src: "SCHEMA >\n    `id` String\n\nENGINE_SORTING_KEY \"$KEY\"\n"},
		// Seen in Tinybird's examples: connector columns outside SCHEMA.
		{name: "Kafka meta columns", filename: "k.datasource",
			src: "SCHEMA >\n    `id` String `json:$.id`\n\nENGINE \"MergeTree\"\nENGINE_PARTITION_KEY \"toYYYYMM(__timestamp)\"\nENGINE_SORTING_KEY \"__timestamp\"\n\nKAFKA_CONNECTION_NAME 'c'\nKAFKA_TOPIC 't'\nKAFKA_GROUP_ID 'g'\n"},
		{name: "DynamoDB columns", filename: "d.datasource",
			src: "SCHEMA >\n    `PK` String `json:$.Item.PK`,\n    `_old_record` Nullable(String) `json:$.OldImage`\n\nENGINE \"ReplacingMergeTree\"\nENGINE_PARTITION_KEY \"toYYYYMM(toDateTime64(_timestamp, 3))\"\nENGINE_SORTING_KEY \"PK\"\nENGINE_VER \"_timestamp\"\nENGINE_IS_DELETED \"_is_deleted\"\n\nIMPORT_SERVICE 'dynamodb'\nIMPORT_CONNECTION_NAME 'ddb'\n"},
		{name: "Kafka columns not on an S3 datasource", filename: "e.datasource",
			src: "SCHEMA >\n    `id` String\n\nENGINE_SORTING_KEY \"__timestamp\"\n\nIMPORT_SERVICE 's3'\n", want: []string{"TB510 \"__timestamp\""}},
		{name: "connector unknown: its columns may exist", filename: "e.datasource",
			src: "SCHEMA >\n    `id` String\n\nENGINE_PARTITION_KEY \"toYYYYMM(__timestamp)\"\nENGINE_SORTING_KEY \"id\"\n"},
		{name: "Snowflake's insertion_date", filename: "sf.datasource",
			src: "SCHEMA >\n    `ID` Nullable(String)\n\nENGINE \"MergeTree\"\nENGINE_PARTITION_KEY \"toYear(insertion_date)\"\nENGINE_SORTING_KEY \"insertion_date\"\n\nIMPORT_SERVICE 'snowflake'\n"},
		{name: "Kafka datasource keyed on a column it lacks", filename: "k.datasource",
			src:  "SCHEMA >\n    `id` String\n\nENGINE_SORTING_KEY \"_timestamp\"\n\nKAFKA_TOPIC t\n",
			want: []string{"TB510 \"_timestamp\""}},

		// Nodes, through rules.CheckNodes.
		{name: "two nodes with one name", filename: "p.pipe",
			src: "NODE endpoint\nSQL >\n    SELECT 1\n\nNODE endpoint\nSQL >\n    SELECT 2\n", want: []string{"TB602 endpoint"}},
		{name: "node without SQL", filename: "p.pipe", src: "NODE a\nDESCRIPTION x\n\nNODE b\nSQL >\n    SELECT 1\n",
			want: []string{"TB603 NODE a"}},
		{name: "node SQL from an include", filename: "p.pipe", src: "NODE a\nINCLUDE \"q.incl\"\n"},
		{name: "one-line SQL", filename: "p.pipe", src: "NODE a\nSQL SELECT 1\n"},

		// Node types: one special node, its target, the copy mode.
		{name: "two special nodes", filename: "p.pipe",
			src:  "NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\n\nNODE b\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\n",
			want: []string{"TB605 copy"}},
		// Seen in tinybirdco/web-analytics-starter-kit's history.
		{name: "TYPE twice in one node", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\nTYPE endpoint\n"},
		{name: "standard nodes around one endpoint", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE standard\n\nNODE b\nSQL >\n    SELECT 1\nTYPE ENDPOINT\n"},
		{name: "materialized node without DATASOURCE", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE materialized\n", want: []string{"TB620 TYPE materialized"}},
		{name: "copy node without TARGET_DATASOURCE", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE copy\nCOPY_SCHEDULE @on-demand\n", want: []string{"TB630 TYPE copy"}},
		{name: "unknown copy mode", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\nCOPY_MODE upsert\n", want: []string{"TB631 upsert"}},
		{name: "copy mode in any case", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE COPY\nTARGET_DATASOURCE t\nCOPY_MODE Replace\n"},
		{name: "target from an include", filename: "p.pipe",
			src: "NODE a\nSQL >\n    SELECT 1\nTYPE materialized\nINCLUDE \"target.incl\"\n"},
	}, Options{})
}
