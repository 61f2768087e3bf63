-- tbls for Neovim: diagnostics, scope completion, quick fixes and hover for
-- Tinybird resources declared in Go and for .datasource/.pipe datafiles.
--
-- Copy this file into your runtimepath (e.g. ~/.config/nvim/lua/tbls.lua)
-- and call it from init.lua:
--
--   require('tbls').setup()                      -- tbls on PATH
--   require('tbls').setup({ cmd = { '/path/to/tbls', '-logfile', '/tmp/tbls.log' } })
--   require('tbls').setup({ settings = { checks = 'inherit,-TB302' } })
--
-- settings are tbls's (see the README's language server section): they are
-- sent as initializationOptions and answer workspace/configuration for the
-- section "tbls".
--
-- It works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client, one
-- client per root) and on 0.8 and later (vim.lsp.start, which reuses a
-- client for the same root by itself).
local M = {}

local patterns = { '*.go', '*.datasource', '*.pipe' }

-- The root is the nearest directory holding go.work, else go.mod, else the
-- file's own directory: tbls loads Go packages from there.
local function root_dir(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  for _, marker in ipairs({ 'go.work', 'go.mod' }) do
    local found = vim.fn.findfile(marker, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h')
    end
  end
  return dir
end

local clients = {} -- root -> client id, for Neovim 0.7

function M.attach(bufnr, opts)
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' then
    return nil
  end
  local root = root_dir(fname)
  local config = {
    name = 'tbls',
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
  }
  if opts.settings then
    config.init_options = { tbls = opts.settings }
    config.settings = { tbls = opts.settings }
  end
  if vim.lsp.start then -- Neovim 0.8 and later
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

function M.setup(opts)
  opts = vim.tbl_extend('force', { cmd = { 'tbls' } }, opts or {})
  local group = vim.api.nvim_create_augroup('tbls', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = patterns,
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
end

return M
