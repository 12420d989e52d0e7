#!/usr/bin/env node
// The Kafka broker's jars (infra/kafka/jars.txt) into a folder, from Maven's local repository
// (~/.m2/repository) when it has them, else from Maven Central, each checked against the SHA-1 that
// Maven Central publishes beside it and kept in ~/.m2/repository for the next checkout. Node alone
// does it: no Maven needed on the machine.
//
//   node scripts/infra/kafka-jars.js <folder>
const { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { Buffer } = require('node:buffer');
const { createHash } = require('node:crypto');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');

const central = process.env.MAVEN_CENTRAL_URL ?? 'https://repo1.maven.org/maven2';
const localRepository = join(homedir(), '.m2', 'repository');
const list = join(__dirname, '..', '..', 'infra', 'kafka', 'jars.txt');

function coordinates() {
  return readFileSync(list, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [group, artifact, version] = line.split(':');
      const file = `${artifact}-${version}.jar`;
      return { file, path: `${group.replaceAll('.', '/')}/${artifact}/${version}/${file}` };
    });
}

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The jar from ~/.m2, or downloaded and verified into it. */
async function cachedJar({ path }) {
  const cached = join(localRepository, path);
  if (existsSync(cached)) return cached;
  const [jar, sha1] = await Promise.all([download(`${central}/${path}`), download(`${central}/${path}.sha1`)]);
  const expected = sha1.toString('utf8').trim().split(/\s+/)[0];
  const actual = createHash('sha1').update(jar).digest('hex');
  if (actual !== expected) throw new Error(`${path}: SHA-1 ${actual}, Maven Central says ${expected}`);
  mkdirSync(dirname(cached), { recursive: true });
  // Written aside, then renamed: an interrupted download never leaves a truncated jar in the cache.
  writeFileSync(`${cached}.part`, jar);
  renameSync(`${cached}.part`, cached);
  return cached;
}

async function main() {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: kafka-jars.js <folder>');
  mkdirSync(folder, { recursive: true });
  const jars = coordinates();
  // Eight at a time: 57 jars, 46 MB, in seconds without opening 57 connections at once.
  for (let i = 0; i < jars.length; i += 8) {
    await Promise.all(
      jars.slice(i, i + 8).map(async (jar) => copyFileSync(await cachedJar(jar), join(folder, jar.file))),
    );
  }
  console.log(`[infra] ${jars.length} Kafka jars in ${folder}`);
}

main().catch((error) => {
  console.error(`[infra] error: could not fetch the Kafka jars: ${error.message}`);
  process.exit(1);
});
