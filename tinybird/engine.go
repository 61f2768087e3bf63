package tinybird

import (
	"sort"
	"strings"
)

// EngineKind names a table engine.
type EngineKind string

// The table engines a datasource can use.
const (
	EngineMergeTree                    EngineKind = "MergeTree"
	EngineReplacingMergeTree           EngineKind = "ReplacingMergeTree"
	EngineSummingMergeTree             EngineKind = "SummingMergeTree"
	EngineAggregatingMergeTree         EngineKind = "AggregatingMergeTree"
	EngineCollapsingMergeTree          EngineKind = "CollapsingMergeTree"
	EngineVersionedCollapsingMergeTree EngineKind = "VersionedCollapsingMergeTree"
	EngineNull                         EngineKind = "Null"
)

// Engine is a datasource's table engine, built with MergeTree,
// ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree,
// CollapsingMergeTree, VersionedCollapsingMergeTree or NullEngine. The zero
// Engine means "no engine given": the datafile then says ENGINE "MergeTree"
// and Tinybird picks the sorting key.
type Engine struct {
	kind         EngineKind
	sortingKey   []string
	partitionKey string
	primaryKey   []string
	ttl          string
	settings     map[string]any
	ver          string // ReplacingMergeTree
	isDeleted    string // ReplacingMergeTree
	columns      []string
	sign         string // (Versioned)CollapsingMergeTree
	version      string // VersionedCollapsingMergeTree
}

// Kind returns the engine's kind, "" for the zero Engine.
func (e Engine) Kind() EngineKind { return e.kind }

// SortingKey returns the engine's sorting key columns.
func (e Engine) SortingKey() []string { return e.sortingKey }

// MergeTreeOptions configures a MergeTree engine; the other MergeTree
// engines' options repeat these fields.
type MergeTreeOptions struct {
	// SortingKey lists the columns (or expressions) rows are sorted by.
	SortingKey []string
	// PartitionKey is an expression partitioning the data, e.g.
	// "toYYYYMM(timestamp)".
	PartitionKey string
	// PrimaryKey defaults to SortingKey.
	PrimaryKey []string
	// TTL expires rows, e.g. "timestamp + INTERVAL 90 DAY".
	TTL string
	// Settings are engine settings. Values are strings, numbers or
	// booleans; they are written sorted by name.
	Settings map[string]any
}

// ReplacingMergeTreeOptions configures a ReplacingMergeTree engine.
type ReplacingMergeTreeOptions struct {
	SortingKey   []string
	PartitionKey string
	PrimaryKey   []string
	TTL          string
	Settings     map[string]any
	// Ver is the version column: the row with the highest version is kept.
	Ver string
	// IsDeleted is the column marking deleted rows (ClickHouse 23.2+).
	IsDeleted string
}

// SummingMergeTreeOptions configures a SummingMergeTree engine.
type SummingMergeTreeOptions struct {
	SortingKey   []string
	PartitionKey string
	PrimaryKey   []string
	TTL          string
	Settings     map[string]any
	// Columns are the columns to sum; all numeric columns when empty.
	Columns []string
}

// CollapsingMergeTreeOptions configures a CollapsingMergeTree engine.
type CollapsingMergeTreeOptions struct {
	SortingKey   []string
	PartitionKey string
	PrimaryKey   []string
	TTL          string
	Settings     map[string]any
	// Sign is the column holding 1 (state) or -1 (cancel). Required.
	Sign string
}

// VersionedCollapsingMergeTreeOptions configures a
// VersionedCollapsingMergeTree engine.
type VersionedCollapsingMergeTreeOptions struct {
	SortingKey   []string
	PartitionKey string
	PrimaryKey   []string
	TTL          string
	Settings     map[string]any
	// Sign is the column holding 1 (state) or -1 (cancel). Required.
	Sign string
	// Version is the version column. Required.
	Version string
}

func base(kind EngineKind, o MergeTreeOptions) Engine {
	return Engine{kind: kind, sortingKey: o.SortingKey, partitionKey: o.PartitionKey,
		primaryKey: o.PrimaryKey, ttl: o.TTL, settings: o.Settings}
}

// MergeTree is the general-purpose MergeTree engine.
func MergeTree(opts MergeTreeOptions) Engine { return base(EngineMergeTree, opts) }

// ReplacingMergeTree removes rows with the same sorting key during merges.
func ReplacingMergeTree(opts ReplacingMergeTreeOptions) Engine {
	e := base(EngineReplacingMergeTree, MergeTreeOptions{opts.SortingKey, opts.PartitionKey, opts.PrimaryKey, opts.TTL, opts.Settings})
	e.ver, e.isDeleted = opts.Ver, opts.IsDeleted
	return e
}

// SummingMergeTree sums numeric columns of rows with the same sorting key.
func SummingMergeTree(opts SummingMergeTreeOptions) Engine {
	e := base(EngineSummingMergeTree, MergeTreeOptions{opts.SortingKey, opts.PartitionKey, opts.PrimaryKey, opts.TTL, opts.Settings})
	e.columns = opts.Columns
	return e
}

// AggregatingMergeTree merges AggregateFunction states; the usual target
// of a materialized view.
func AggregatingMergeTree(opts MergeTreeOptions) Engine {
	return base(EngineAggregatingMergeTree, opts)
}

// CollapsingMergeTree collapses pairs of state and cancel rows.
func CollapsingMergeTree(opts CollapsingMergeTreeOptions) Engine {
	e := base(EngineCollapsingMergeTree, MergeTreeOptions{opts.SortingKey, opts.PartitionKey, opts.PrimaryKey, opts.TTL, opts.Settings})
	e.sign = opts.Sign
	return e
}

// VersionedCollapsingMergeTree collapses state and cancel rows that may
// arrive out of order.
func VersionedCollapsingMergeTree(opts VersionedCollapsingMergeTreeOptions) Engine {
	e := base(EngineVersionedCollapsingMergeTree, MergeTreeOptions{opts.SortingKey, opts.PartitionKey, opts.PrimaryKey, opts.TTL, opts.Settings})
	e.sign, e.version = opts.Sign, opts.Version
	return e
}

// NullEngine discards inserted rows: a source for materialized views that
// need not keep the raw data.
func NullEngine() Engine { return Engine{kind: EngineNull} }

// clause returns the engine lines of a datafile, as the TypeScript SDK's
// getEngineClause writes them.
func (e Engine) clause() string {
	switch e.kind {
	case "":
		return `ENGINE "MergeTree"`
	case EngineNull:
		return "ENGINE Null"
	}
	parts := []string{`ENGINE "` + string(e.kind) + `"`}
	if e.partitionKey != "" {
		parts = append(parts, `ENGINE_PARTITION_KEY "`+e.partitionKey+`"`)
	}
	parts = append(parts, `ENGINE_SORTING_KEY "`+strings.Join(e.sortingKey, ", ")+`"`)
	// The TypeScript SDK tests the array's truthiness: an empty array
	// still writes the line.
	if e.primaryKey != nil {
		parts = append(parts, `ENGINE_PRIMARY_KEY "`+strings.Join(e.primaryKey, ", ")+`"`)
	}
	if e.ttl != "" {
		parts = append(parts, `ENGINE_TTL "`+e.ttl+`"`)
	}
	if e.kind == EngineReplacingMergeTree && e.ver != "" {
		parts = append(parts, `ENGINE_VER "`+e.ver+`"`)
	}
	if e.kind == EngineReplacingMergeTree && e.isDeleted != "" {
		parts = append(parts, `ENGINE_IS_DELETED "`+e.isDeleted+`"`)
	}
	if e.kind == EngineCollapsingMergeTree || e.kind == EngineVersionedCollapsingMergeTree {
		parts = append(parts, `ENGINE_SIGN "`+e.sign+`"`)
	}
	if e.kind == EngineVersionedCollapsingMergeTree {
		parts = append(parts, `ENGINE_VERSION "`+e.version+`"`)
	}
	if e.kind == EngineSummingMergeTree && len(e.columns) > 0 {
		parts = append(parts, `ENGINE_SUMMING_COLUMNS "`+strings.Join(e.columns, ", ")+`"`)
	}
	if len(e.settings) > 0 {
		names := make([]string, 0, len(e.settings))
		for k := range e.settings {
			names = append(names, k)
		}
		sort.Strings(names)
		kv := make([]string, len(names))
		for i, k := range names {
			if s, ok := e.settings[k].(string); ok {
				kv[i] = k + "='" + strings.ReplaceAll(s, "'", `\'`) + "'"
			} else {
				kv[i] = k + "=" + jsString(e.settings[k])
			}
		}
		parts = append(parts, `ENGINE_SETTINGS "`+strings.Join(kv, ", ")+`"`)
	}
	return strings.Join(parts, "\n")
}
