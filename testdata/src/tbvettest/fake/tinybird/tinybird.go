// Package tinybird is a look-alike of the SDK: same package name, same
// function and type names, another import path. The analyzers must never
// flag anything built with it.
package tinybird

// Scope looks like the SDK's Scope.
type Scope string

// Append looks like the SDK's Append.
const Append Scope = "APPEND"

// Token looks like the SDK's Token.
type Token struct{ name string }

// DefineToken looks like the SDK's DefineToken.
func DefineToken(name string) Token { return Token{name} }

// TokenAccess looks like the SDK's TokenAccess.
type TokenAccess struct {
	Token       Token
	Scope       Scope
	Name        string
	Permissions []Scope
}

// EndpointOptions looks like the SDK's EndpointOptions.
type EndpointOptions struct {
	Tokens []TokenAccess
}

// DefineEndpoint looks like the SDK's DefineEndpoint.
func DefineEndpoint(name string, opts EndpointOptions) {}

// JWTScope looks like the SDK's JWTScope.
type JWTScope struct {
	Type     string
	Resource string
}

// Type, Column, Schema, Col, String, Engine, MergeTreeOptions, MergeTree,
// DatasourceOptions, DefineDatasource, Node, PipeOptions and DefinePipe
// look like the SDK's schema API.
type Type struct{ ch string }

// Nullable looks like the SDK's Type.Nullable.
func (t Type) Nullable() Type { return Type{"Nullable(" + t.ch + ")"} }

type Column struct {
	Name string
	Type Type
}

type Schema []Column

func Col(name string, t Type) Column { return Column{name, t} }

func String() Type { return Type{"String"} }

func Array(t Type) Type { return Type{"Array(" + t.ch + ")"} }

type Engine struct{}

type MergeTreeOptions struct{ SortingKey []string }

func MergeTree(o MergeTreeOptions) Engine { return Engine{} }

type DatasourceOptions struct {
	Schema Schema
	Engine Engine
}

func DefineDatasource(name string, opts DatasourceOptions) {}

type Node struct{ Name, SQL string }

type PipeOptions struct{ Nodes []Node }

func DefinePipe(name string, opts PipeOptions) {}
