# Sourced by the real-client test scripts (Neovim, Emacs, pre-commit): the
# throw-away Go module they open in an editor or commit to, using this
# checkout's SDK through a replace directive.

# write_test_module DIR MODULE ROOT writes DIR/go.mod for module MODULE,
# requiring the SDK from the checkout at ROOT.
write_test_module() {
	mkdir -p "$1"
	cat > "$1/go.mod" <<GOMOD
module $2

go 1.26

require github.com/tbls-dev/tbls v0.0.0

replace github.com/tbls-dev/tbls => $3
GOMOD
}

# tidy_test_module DIR completes DIR's go.mod and go.sum once its Go files
# are written. A failure stops the test here, with go's own message, rather
# than as missing diagnostics later.
tidy_test_module() {
	(cd "$1" && GOFLAGS=-mod=mod go mod tidy)
}
