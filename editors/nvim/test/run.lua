-- Headless Neovim test of tbls: run by scripts/test-nvim.sh, which sets
-- TBLS (the binary), TBLS_GO and TBLS_PIPE (files to open) and puts
-- editors/nvim on package.path. Exits 0 when every assertion holds, else
-- prints FAIL lines and exits 1.
local failures = 0
local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  failures = failures + 1
end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code then
      found[tostring(code)] = true
    end
  end
  return found
end

local function wait_code(bufnr, code)
  return vim.wait(60000, function()
    return codes(bufnr)[code] == true
  end, 50)
end

-- find returns the 0-based line and the byte column just after needle.
local function find(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s, e = line:find(needle, 1, true)
    if s then
      return i - 1, e
    end
  end
  error('no ' .. needle .. ' in buffer ' .. bufnr)
end

local function complete(bufnr, line, col)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = col }, -- ASCII lines: bytes = UTF-16 units
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 20000)
  local labels = {}
  for _, resp in pairs(responses or {}) do
    local result = resp.result or {}
    for _, item in ipairs(result.items or result) do
      table.insert(labels, item.label)
    end
  end
  table.sort(labels)
  return table.concat(labels, ',')
end

-- The settings leave out TB206, which the Go file's repeated grant raises
-- without them.
require('tbls').setup({
  cmd = { os.getenv('TBLS'), '-logfile', os.getenv('TBLS_LOG') },
  settings = { checks = 'inherit,-TB206' },
})

-- A Go schema file: an invalid token name and APPEND on an endpoint.
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('TBLS_GO')))
local go = vim.api.nvim_get_current_buf()
vim.bo[go].filetype = 'go'
-- Neovim 0.7 attaches a buffer once the client has initialized.
local attached = vim.wait(30000, function()
  return #vim.lsp.buf_get_clients(go) > 0
end, 50)
if not attached then
  fail('tbls did not attach to the Go file')
end
for _, code in ipairs({ 'TB101', 'TB201' }) do
  if not wait_code(go, code) then
    fail('no ' .. code .. ' diagnostic on the Go file; got ' .. vim.inspect(vim.diagnostic.get(go)))
  end
end
if codes(go)['TB206'] then
  fail('TB206 reported on the Go file although the settings leave it out: ' .. vim.inspect(vim.diagnostic.get(go)))
end
local line, col = find(go, 'Scope: tinybird.')
local got = complete(go, line, col)
if got ~= 'Read' then
  fail('Go completion after "Scope: tinybird." on an endpoint = [' .. got .. '], want [Read]')
end

-- A .pipe datafile granting APPEND.
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('TBLS_PIPE')))
local pipe = vim.api.nvim_get_current_buf()
if not wait_code(pipe, 'TB201') then
  fail('no TB201 diagnostic on the .pipe file; got ' .. vim.inspect(vim.diagnostic.get(pipe)))
end
line, col = find(pipe, 'TOKEN app_read ')
got = complete(pipe, line, col)
if got ~= 'READ' then
  fail('datafile completion after "TOKEN app_read " in a .pipe = [' .. got .. '], want [READ]')
end

vim.lsp.stop_client(vim.lsp.get_active_clients())
if failures > 0 then
  vim.cmd('cquit 1')
end
io.stdout:write('neovim: ok\n')
vim.cmd('qall!')
