// Runs a JavaScript submission's function-style tests inside the sandbox, all in this process.
//
// Copied into the task folder and started as `node js_harness.js FD START`. Reads
// /tests/request.json and /task/solution.js, evaluates the code once in a fresh vm context (no
// require, no process, no eval or new Function: code generation from strings is off), then calls
// the named function for tests START.. with the vm's timeout as the per-test wall limit. One JSON
// line per event goes to fd FD: `start`, `result`, or `fatal` when the code cannot load.
// The vm context is a policy for honest code, not a security boundary: the sandbox around this
// process is.
'use strict';

const fs = require('fs');
const util = require('util');
const vm = require('vm');

const TASK_DIR = '/task';
const SOURCE_NAME = 'solution.js';
const STDERR_CAP = 64 * 1024;
const STDOUT_REPORT = 64 * 1024;
const ENTRY = '__prepai_entry__';

const resultFd = Number(process.argv[2]);
const startIndex = Number(process.argv[3] || 0);
const TESTS_DIR = '/tests';
const request = JSON.parse(fs.readFileSync(`${TESTS_DIR}/request.json`, 'utf8'));
const maxOutput = Number(request.max_output_bytes);

function emit(event) {
  const data = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(resultFd, data, offset);
}

class OutputLimitExceeded extends Error {}

// What console.* writes during one test.
const capture = { out: [], outBytes: 0, err: [], errBytes: 0, overflowed: false };

function resetCapture() {
  capture.out = [];
  capture.outBytes = 0;
  capture.err = [];
  capture.errBytes = 0;
  capture.overflowed = false;
}

function writeOut(args) {
  const text = `${util.format(...args)}\n`;
  const size = Buffer.byteLength(text);
  if (capture.outBytes + size > maxOutput) {
    capture.overflowed = true;
    throw new OutputLimitExceeded('output limit exceeded');
  }
  capture.outBytes += size;
  if (capture.out.length < 100000) capture.out.push(text);
}

function writeErr(args) {
  const text = `${util.format(...args)}\n`;
  if (capture.errBytes < STDERR_CAP) capture.err.push(text);
  capture.errBytes += Buffer.byteLength(text);
}

function sandboxConsole() {
  const out = (...args) => writeOut(args);
  const err = (...args) => writeErr(args);
  return { log: out, info: out, debug: out, warn: err, error: err, trace: err, table: out, dir: out };
}

function errorLine(stack) {
  const match = /solution\.js:(\d+)/.exec(String(stack || ''));
  return match ? Number(match[1]) : null;
}

function describeError(error) {
  if (error && typeof error === 'object' && 'message' in error) {
    const name = error.name || 'Error';
    const message = error.message ? `${name}: ${error.message}` : name;
    const stack = String(error.stack || '');
    const trace = stack
      .split('\n')
      .filter((line) => line.includes(SOURCE_NAME))
      .slice(0, 20)
      .map((line) => line.trim());
    return { type: name, message: message.slice(0, 2000), line: errorLine(stack), trace };
  }
  return { type: 'Error', message: `Uncaught ${String(error)}`.slice(0, 2000), line: null, trace: [] };
}

function isTimeout(error) {
  return Boolean(error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT');
}

function isOutOfMemory(error) {
  // Errors thrown in the context come from the context's own RangeError: compare names.
  return Boolean(error && error.name === 'RangeError' && /allocation failed/i.test(error.message));
}

function classify(error) {
  if (capture.overflowed || error instanceof OutputLimitExceeded) return ['output_limit', null];
  if (isTimeout(error)) return ['timeout', null];
  if (isOutOfMemory(error)) return ['memory', describeError(error)];
  return ['runtime_error', describeError(error)];
}

function resetPeakMemory() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch (error) {
    // not fatal: memory is then the process's peak so far
  }
}

function peakMemoryKb() {
  try {
    const match = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch (error) {
    // fall through
  }
  return Math.round(process.resourceUsage().maxRSS);
}

function lookupExpression(name) {
  const top = name.split('.')[0];
  return `(typeof ${top} !== 'undefined' ? ${top} : undefined)`;
}

function resolveFunction(context, name) {
  const [top, method] = name.split('.');
  let target = context[ENTRY];
  const exported = context.module && context.module.exports;
  if (target === undefined && exported) {
    if (typeof exported === 'function' && exported.name === top) target = exported;
    else if (typeof exported === 'object' && typeof exported[top] === 'function') target = exported[top];
  }
  if (method) {
    if (typeof target !== 'function') throw new Error(`'${name}' is not defined: define class ${top} with a method ${method}`);
    const instance = new target();
    if (typeof instance[method] !== 'function') throw new Error(`'${name}' is not a method`);
    return instance[method].bind(instance);
  }
  if (typeof target !== 'function') throw new Error(`function '${name}' is not defined`);
  return target;
}

function callArguments(fn, value) {
  // A list whose length fits the parameters is spread over them; otherwise a one-parameter
  // function gets the whole value; otherwise a list is spread anyway.
  const arity = fn.length;
  if (Array.isArray(value) && value.length === arity) return value;
  if (arity === 1) return [value];
  return Array.isArray(value) ? value : [value];
}

function encodeValue(value) {
  if (value === undefined) return { actual: null };
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return { actual: null, actual_is_repr: true };
    if (Buffer.byteLength(text) > maxOutput) return { status: 'output_limit' };
    return { actual: JSON.parse(text) };
  } catch (error) {
    return { actual: String(value), actual_is_repr: true };
  }
}

function capturedOutput() {
  return {
    stdout: capture.out.join('').slice(0, STDOUT_REPORT),
    stdout_bytes: capture.outBytes,
    stderr: capture.err.join('').slice(0, STDERR_CAP),
  };
}

async function settle(value, wallMs) {
  if (!value || typeof value.then !== 'function') return value;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' })), wallMs);
  });
  try {
    return await Promise.race([value, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runTest(context, parse, fn, test, wallMs) {
  const index = Number(test.index);
  emit({ event: 'start', index });
  resetCapture();
  resetPeakMemory();
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let status = 'ok';
  let error = null;
  let value;
  try {
    // Arguments are parsed inside the context, so arrays are the context's own Arrays.
    const args = callArguments(fn, parse(JSON.stringify(test.args)));
    context.__prepai_fn__ = fn;
    context.__prepai_args__ = args;
    value = vm.runInContext('__prepai_fn__(...__prepai_args__)', context, { timeout: wallMs });
    value = await settle(value, wallMs);
  } catch (thrown) {
    [status, error] = classify(thrown);
  }
  const cpu = process.cpuUsage(cpuStart);
  const wallMsUsed = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const event = { event: 'result', index, ...capturedOutput() };
  if (status === 'ok' && capture.overflowed) status = 'output_limit';
  if (status === 'ok') {
    const encoded = encodeValue(value);
    if (encoded.status) status = encoded.status;
    else Object.assign(event, encoded);
  }
  Object.assign(event, {
    status,
    error,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    wall_ms: wallMsUsed,
    rss_kb: peakMemoryKb(),
  });
  emit(event);
}

async function main() {
  const source = fs.readFileSync(`${TASK_DIR}/${SOURCE_NAME}`, 'utf8');
  const wallMs = Math.max(1, Math.round(Number(request.wall_time_s) * 1000));
  const module = { exports: {} };
  const context = vm.createContext(
    { console: sandboxConsole(), module, exports: module.exports },
    { codeGeneration: { strings: false, wasm: false } },
  );
  let script;
  try {
    const lookup = lookupExpression(String(request.function_name));
    script = new vm.Script(`${source}\n;globalThis.${ENTRY} = ${lookup};\n`, { filename: SOURCE_NAME });
  } catch (error) {
    emit({ event: 'fatal', status: 'compile_error', error: describeError(error) });
    return;
  }
  // Taken before the code runs, so the code cannot replace it.
  const parse = vm.runInContext('JSON.parse', context);
  resetCapture();
  try {
    script.runInContext(context, { timeout: wallMs });
  } catch (error) {
    const [status, detail] = classify(error);
    emit({ event: 'fatal', status, error: detail });
    return;
  }
  let fn;
  try {
    fn = resolveFunction(context, String(request.function_name));
  } catch (error) {
    emit({ event: 'fatal', status: 'runtime_error', error: { message: error.message, line: null } });
    return;
  }
  for (const test of request.tests) {
    if (Number(test.index) < startIndex) continue;
    await runTest(context, parse, fn, test, wallMs);
  }
}

main().catch((error) => {
  emit({ event: 'fatal', status: 'internal_error', error: { message: String(error && error.stack), line: null } });
});
