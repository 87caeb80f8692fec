import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** libs/domain stays pure: no framework, no I/O, no import that leaves the folder (DESIGN.md). */
const root = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

describe('libs/domain boundary', () => {
  const files = sourceFiles(root).filter((file) => !file.endsWith('.spec.ts'));

  it('finds the domain sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s imports nothing outside libs/domain', (_name, file) => {
    const outside = importsOf(readFileSync(file, 'utf8')).filter(
      (specifier) => !specifier.startsWith('.') || relative(root, resolve(dirname(file), specifier)).startsWith('..'),
    );
    expect(outside).toEqual([]);
  });

  it('the import scanner sees package, node and escaping imports', () => {
    expect(importsOf("import { Injectable } from '@nestjs/common';\nimport x from '../../catalogue/src';\nconst fs = require('node:fs');")).toEqual([
      '@nestjs/common',
      '../../catalogue/src',
      'node:fs',
    ]);
  });

  it('domain code never reads the clock: time is an input', () => {
    const offenders = files.filter((file) => /new Date\(\)|Date\.now\(\)/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
