//! Zed extension for tbls, the language server for Tinybird resources in Go
//! code and in .datasource/.pipe datafiles.
//!
//! Zed cannot start a language server from settings alone: an extension
//! must name it and say how to run it. This one runs the `tbls` binary the
//! user installed; it downloads nothing.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const INSTALL: &str = "go install github.com/tbls-dev/tbls/cmd/tbls@latest";

struct Tbls;

impl zed::Extension for Tbls {
    fn new() -> Self {
        Tbls
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        // Recent Zed applies "lsp.tbls.binary.path" itself and never asks
        // the extension then; reading it here covers older Zed, and
        // "arguments"/"env" given without a path.
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let (path, arguments, extra_env) = match binary {
            Some(b) => (b.path, b.arguments, b.env),
            None => (None, None, None),
        };

        let command = match path {
            Some(path) => path,
            None => worktree.which("tbls").ok_or_else(|| {
                format!(
                    "tbls is not on the PATH of this project's shell. Install it with `{INSTALL}` \
                     and put $(go env GOPATH)/bin on your PATH, or set lsp.tbls.binary.path \
                     in Zed's settings."
                )
            })?,
        };

        // tbls runs `go list` to load packages, so it needs the PATH and Go
        // variables of the user's shell in the project, not Zed's own.
        let mut env = worktree.shell_env();
        env.extend(extra_env.unwrap_or_default());

        Ok(zed::Command {
            command,
            args: arguments.unwrap_or_else(|| vec!["serve".into()]),
            env,
        })
    }
}

zed::register_extension!(Tbls);
