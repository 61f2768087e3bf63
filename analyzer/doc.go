// Package analyzer defines the go/analysis Analyzers of tbvet, which check
// Tinybird resources declared in Go with the tinybird SDK before the code
// runs: token, datasource and pipe names, the scopes tokens are granted,
// token use, JWTs, and the schema of datasources, pipes and the project.
// Suite lists them all.
//
// The analyzers find SDK calls and values in typed Go code and ask the rules
// package what is valid; they hold no rule of their own. They match the SDK
// by type, never by spelling, so import aliases and dot imports work and a
// function called DefineToken in another package is never flagged. Names and
// scopes may be any constant expression. The analyzers export no facts and
// keep no global state, so the language server can run them concurrently on
// unsaved buffers. They share one walk of the package, by an internal
// analyzer they all require, so running the whole Suite costs little more
// than running one of them; a driver must run an analyzer's Requires first,
// as every go/analysis driver does.
//
// Each diagnostic has its check code as Category (TB101 …), the check's
// documentation as URL, and a message that starts with the code.
//
// # The SDK model
//
// Model (NewModel, typed; NewSyntaxModel, from the syntax of code that does
// not type-check) is the one reading of what a package declares with the
// SDK: its resources (kind, name and the name's expression, options), its
// token definitions, the grants of tokens on resources (token, scope,
// resource, where), and typed targets (a materialized view's or copy
// pipe's Datasource, an ingestion's Connection). Grants are read through
// Tokens lists, shared lists in package-level variables, append, helper
// functions returning a TokenAccess, variables holding one, and pointers.
// The scope analyzer reads Tokens values through it, and the language
// server's completion, hover and token access map read the whole model, so
// they agree on who grants what.
//
// # Suppression
//
// A comment
//
//	//tbvet:ignore TB201 read by the billing job
//
// on the line of a diagnostic, or on the line above, silences that check
// there; several codes may be given separated by commas. A comment
//
//	//tbvet:file-ignore TB302 tokens granted by the deploy script
//
// silences the check in the whole file. A directive must give a reason (one
// without a reason silences nothing), name a known check, and silence
// something; otherwise it is reported as TB001 by the analyzer that owns the
// code it names. A directive naming an unknown code, or TB001 itself, is
// reported by tokenname.
//
// # Analyzer tokenname
//
// tokenname: check token names
//
// The tokenname analyzer checks the constant names passed to
// tinybird.DefineToken and the Name of inline tokens (TokenAccess.Name)
// against Tinybird's name pattern, and offers the nearest valid name as a
// fix when the name is a string literal.
//
// # Analyzer resourcename
//
// resourcename: check datasource, pipe, node and connection names
//
// The resourcename analyzer checks the constant names passed to
// DefineDatasource, DefinePipe, DefineEndpoint, DefineMaterializedView,
// DefineCopyPipe and the Define…Connection functions, and the Name of each
// Node, against Tinybird's name pattern and, for datasources and pipes, its
// reserved names.
//
// # Analyzer scope
//
// scope: check the scopes granted to tokens on resources
//
// The scope analyzer checks every TokenAccess in the Tokens field of a
// resource's options against the kind of resource the options type
// configures: pipes of every kind accept READ only, scopes must be exactly
// READ or APPEND, inline tokens take Permissions on datasources only, and a
// grant must not be repeated. It follows Tokens lists held in package-level
// variables (checked for every resource that uses them, reported at the use)
// and TokenAccess values returned by small helper functions of the package.
//
// # Analyzer tokenuse
//
// tokenuse: check how defined tokens are used
//
// The tokenuse analyzer reports a token name defined twice in one package,
// and a token held only in unexported package-level variables, or in none,
// that no resource of the package grants, so that a deploy never creates
// it. A variable counts as granting the token when it is used for anything
// but a method call or field access, so the check errs on the side of
// silence.
//
// # Analyzer jwt
//
// jwt: check JWT options and scopes
//
// The jwt analyzer checks JWTScope values (scope type, resource, FixedParams
// and Filter) and the expiration of JWTOptions: ExpiresAt must be set and,
// when it is built only from constants (time.Date, time.Unix), lie in the
// future at the time of analysis.
//
// # Analyzer datasource
//
// datasource: check datasource schemas, engines, indexes, ingestion and connections
//
// The datasource analyzer checks the options of DefineDatasource calls
// whose values are constant: columns (names, ClickHouse types built with
// the SDK's constructors, JSON paths, defaults), the engine's keys and
// columns against the schema (sorting, primary and partition keys, TTL,
// Ver, IsDeleted, Sign, Version, summing columns; Nullable key columns;
// the types the engine requires), engine settings, data-skipping indexes,
// ingestion options and the settings of S3, GCS and DynamoDB connections.
// It offers to remove a duplicate column and to rename a misspelled key
// column to the nearest column. Options, schemas and engines held in
// package-level variables are followed; anything not constant is not
// judged.
//
// # Analyzer pipe
//
// pipe: check pipe nodes, output, types, materialized views, copy and sink pipes
//
// The pipe analyzer checks the options of DefinePipe, DefineEndpoint,
// DefineMaterializedView, DefineCopyPipe and DefineSinkPipe calls with a
// constant name: nodes (at least one, unique names, SQL in each), the
// output schema endpoints and materialized views need, a pipe set to more
// than one type, the endpoint cache TTL, the target of a materialized view
// or copy pipe (and a materialized view's output against a target defined
// in the package), deployment and copy modes, and sink settings.
//
// # Analyzer project
//
// project: check resource names across a package
//
// The project analyzer reports two Define calls of one kind with one
// constant name held in package-level variables of a package (they would
// write the same datafile), a pipe named as such a datasource, and nil
// entries in the lists of ProjectOptions. Calls in function bodies, which
// may build resources of other projects, are not compared, and test files
// are compared among themselves only.
package analyzer
