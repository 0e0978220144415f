-- A real editor on `specbook lsp`: Neovim (headless) opens a spec of a copied fixture workspace
-- with the server attached and checks what it gets. tests/editor/run.sh starts it:
--
--   SPECBOOK_BIN=... SPECBOOK_WORKSPACE=... SPECBOOK_EDITOR_TESTS="diagnostics ..." \
--     nvim --headless --clean -c 'luafile tests/editor/nvim.lua'
--
-- Each test prints `ok NAME` or `not ok NAME: why`; the closing line is `# pass N` and
-- `# fail M`, and Neovim exits with 1 when a test failed. SPECBOOK_EDITOR_TESTS names the tests
-- to run, in order (they share one buffer: the quick fix changes the file).

local bin = assert(os.getenv('SPECBOOK_BIN'), 'SPECBOOK_BIN is not set')
local root = assert(os.getenv('SPECBOOK_WORKSPACE'), 'SPECBOOK_WORKSPACE is not set')
local wanted = os.getenv('SPECBOOK_EDITOR_TESTS') or 'diagnostics completion'
local spec = root .. '/specs/0001-webhook-delivery.md'
local timeout = 10000

local function out(line)
  io.stdout:write(line .. '\n')
end

local function read(path)
  local file = assert(io.open(path, 'rb'))
  local text = file:read('*a')
  file:close()
  return text
end

-- The rule of a diagnostic: `code` from Neovim 0.9 on, `user_data.lsp.code` before.
local function rule_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

-- Starts the server for the current buffer: `vim.lsp.start` from 0.8 on; `start_client` and
-- `buf_attach_client` in 0.7 (Debian 12's Neovim). 0.11's `vim.lsp.config`/`vim.lsp.enable`
-- start it by file type, which a test does not need (docs/editors.md shows it).
local function start_server()
  local config = {
    name = 'specbook',
    cmd = { bin, 'lsp', '--log-level', 'info' },
    root_dir = root,
  }
  if vim.lsp.start then
    return vim.lsp.start(config)
  end
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(0, id)
  return id
end

vim.cmd('edit ' .. vim.fn.fnameescape(spec))
local buffer = vim.api.nvim_get_current_buf()
local client_id = start_server()
local client
vim.wait(timeout, function()
  client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized
end, 20)

-- The findings of the buffer, as `rule@line` (1-based), sorted. The server pushes them to a
-- Neovim that does not declare pull diagnostics (before 0.10) and is asked for them by one that
-- does (textDocument/diagnostic, from 0.10 on); `vim.diagnostic.get` holds them either way, so
-- the tests wait for them there and never for a particular message.
local function findings()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    table.insert(list, string.format('%s@%d', rule_of(d), d.lnum + 1))
  end
  table.sort(list)
  return table.concat(list, ' ')
end

local function wait_for_findings(want)
  vim.wait(timeout, function()
    return findings() == want
  end, 20)
  assert(findings() == want, 'diagnostics: want "' .. want .. '", got "' .. findings() .. '"')
end

local function request(method, params)
  local answer, err = client.request_sync(method, params, timeout, buffer)
  assert(answer, method .. ': no answer (' .. tostring(err) .. ')')
  assert(not answer.err, method .. ': ' .. vim.inspect(answer.err))
  return answer.result
end

local function position(line, character)
  return { line = line - 1, character = character }
end

local tests = {}

-- The two findings of the fixture: a status in the wrong case (info, a safe fix) and the
-- missing `2. Current Solution` before `3. Proposed Solution`.
tests.diagnostics = function()
  assert(client, 'specbook lsp did not initialize')
  wait_for_findings('invalid-status@8 missing-section@33')
  local status = vim.diagnostic.get(buffer, { lnum = 7 })[1]
  assert(status.severity == vim.diagnostic.severity.INFO, 'invalid-status is not an info finding')
  assert(status.message:find('`Review`', 1, true), 'message: ' .. status.message)
end

-- The quick fix of the status finding, applied as the editor applies it, then saved: the
-- file says `Review` and the finding is gone.
tests.code_action = function()
  assert(client.server_capabilities.codeActionProvider, 'the server offers no code actions')
  local status = vim.diagnostic.get(buffer, { lnum = 7 })[1]
  -- Line 8 is ASCII: Neovim's byte columns are the UTF-16 columns LSP asks for.
  local range = {
    start = position(8, status.col),
    ['end'] = position(8, status.end_col),
  }
  -- The finding as the server sent it (Neovim keeps all of it only from 0.10 on).
  local finding = {
    range = range,
    severity = 3,
    code = rule_of(status),
    source = 'specbook',
    message = status.message,
  }
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    range = range,
    context = { diagnostics = { finding }, only = { 'quickfix' } },
  })
  local fix
  for _, action in ipairs(actions or {}) do
    if action.kind == 'quickfix' and action.edit and action.title:find('Review', 1, true) then
      fix = action
    end
  end
  assert(fix, 'no quick fix writing `Review` among ' .. vim.inspect(actions))
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  vim.cmd('silent write')
  local text = read(spec)
  assert(text:find('\n- **Status:** Review\n', 1, true), 'after the fix the file reads:\n' .. text)
  assert(not text:find('review\n', 1, true), 'the old status is still in the file')
  wait_for_findings('missing-section@33')
end

-- Completion on the empty line where `2. Current Solution` belongs (line 32, before
-- `## 3. Proposed Solution`) offers that heading, with the template's text as a snippet.
tests.completion = function()
  assert(client.server_capabilities.completionProvider, 'the server offers no completion')
  local result = request('textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    position = position(32, 0),
  })
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, item in ipairs(items) do
    local text = (item.textEdit and item.textEdit.newText) or item.insertText or item.label
    table.insert(labels, item.label)
    if item.label:find('Current Solution', 1, true) then
      assert(text:find('## 2. Current Solution\n', 1, true), 'the heading is inserted as ' .. vim.inspect(text))
      return
    end
  end
  error('no `Current Solution` heading among: ' .. table.concat(labels, ', '))
end

local passed, failed = 0, 0
for name in wanted:gmatch('%S+') do
  local test = tests[name]
  local ok, err = pcall(test or function()
    error('no such test')
  end)
  if ok then
    passed = passed + 1
    out('ok ' .. name)
  else
    failed = failed + 1
    out('not ok ' .. name .. ': ' .. tostring(err))
  end
end
out('# pass ' .. passed)
out('# fail ' .. failed)

if client then
  client.stop()
  vim.wait(2000, function()
    return client.is_stopped()
  end, 20)
end
vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
