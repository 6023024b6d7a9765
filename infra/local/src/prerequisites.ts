// The tools the local infrastructure needs, each with one clear line on how to get it.
// Java runs the broker on every start; Maven and Go are needed only until their outputs are cached.
import { spawnSync } from 'node:child_process';
import { InfraError } from './errors';

export interface Tool {
  name: 'java' | 'mvn' | 'go';
  command: string;
  versionArgs: string[];
  minMajor: number;
  minMinor?: number;
  /** Finds "major.minor" in the version output. */
  parse: (output: string) => [number, number] | undefined;
  missing: string;
}

const numbers = (m: RegExpExecArray | null): [number, number] | undefined =>
  m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;

export const TOOLS: Record<Tool['name'], Tool> = {
  java: {
    name: 'java',
    command: 'java',
    versionArgs: ['-version'],
    minMajor: 17,
    parse: (out) => numbers(/version "(\d+)(?:\.(\d+))?/.exec(out)),
    missing:
      'Java 17 is needed for the local Kafka broker: install openjdk-17-jre (apt-get install openjdk-17-jre-headless)',
  },
  mvn: {
    name: 'mvn',
    command: 'mvn',
    versionArgs: ['-v'],
    minMajor: 3,
    minMinor: 6,
    parse: (out) => numbers(/Apache Maven (\d+)\.(\d+)/.exec(out)),
    missing:
      'Maven 3.6+ is needed once, to fetch the Kafka jars from Maven Central: install it (apt-get install maven)',
  },
  go: {
    name: 'go',
    command: 'go',
    versionArgs: ['version'],
    minMajor: 1,
    minMinor: 24,
    parse: (out) => numbers(/go(\d+)\.(\d+)/.exec(out)),
    missing:
      'Go 1.24+ is needed once, to build FerretDB from the Go module proxy: install it (https://go.dev/doc/install, or apt-get install golang from bookworm-backports)',
  },
};

export function versionOk(tool: Tool, version: [number, number]): boolean {
  const [major, minor] = version;
  return major > tool.minMajor || (major === tool.minMajor && minor >= (tool.minMinor ?? 0));
}

/** Throws an InfraError naming how to install the tool when it is missing or too old. */
export function requireTool(name: Tool['name']): string {
  const tool = TOOLS[name];
  const run = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8', timeout: 20_000 });
  if (run.error || run.status !== 0) throw new InfraError(tool.missing);
  const output = `${run.stdout}\n${run.stderr}`;
  const version = tool.parse(output);
  if (version && !versionOk(tool, version)) {
    throw new InfraError(`${tool.missing} (found ${version.join('.')})`);
  }
  return version ? version.join('.') : 'unknown version';
}
