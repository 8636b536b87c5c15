#!/usr/bin/env node
// Runs the Khronos glTF validator over .glb files and prints one JSON line per file:
//   {"file":..., "errors":N, "warnings":N, "infos":N, "hints":N, "messages":[first few issues]}
// Arguments are .glb files or folders (searched recursively). Exit code: 0 when no file has errors,
// 1 when any has (or cannot be read as glTF at all), 2 on bad usage.
// Install first: npm ci --prefix build/tools
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const validator = require('gltf-validator');

const MaxMessages = 5;
const Severities = ['error', 'warning', 'info', 'hint'];

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      collect(join(path, name), out);
    }
  } else if (path.toLowerCase().endsWith('.glb')) {
    out.push(path);
  }
  return out;
}

async function validate(file) {
  try {
    const report = await validator.validateBytes(new Uint8Array(readFileSync(file)), {
      uri: file,
      format: 'glb',
      maxIssues: 0,
      writeTimestamp: false,
    });
    const issues = report.issues;
    return {
      file,
      errors: issues.numErrors,
      warnings: issues.numWarnings,
      infos: issues.numInfos,
      hints: issues.numHints,
      messages: issues.messages.slice(0, MaxMessages).map((m) => ({
        code: m.code,
        severity: Severities[m.severity] ?? String(m.severity),
        message: m.message,
        pointer: m.pointer,
      })),
    };
  } catch (error) {
    // The validator rejects input it cannot even recognise as glTF: that is an error too.
    return { file, errors: 1, warnings: 0, infos: 0, hints: 0, messages: [{ code: 'UNREADABLE', severity: 'error', message: String(error) }] };
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node build/tools/validate-gltf.mjs <file.glb | folder>...');
  process.exit(2);
}

let files;
try {
  files = args.flatMap((arg) => collect(arg, []));
} catch (error) {
  console.error(String(error));
  process.exit(2);
}

if (files.length === 0) {
  console.error('no .glb files found in: ' + args.join(' '));
  process.exit(2);
}

let failed = false;
for (const file of files) {
  const result = await validate(file);
  failed ||= result.errors > 0;
  console.log(JSON.stringify(result));
}
process.exit(failed ? 1 : 0);
