#!/usr/bin/env node
// Minimal launcher: the stand-in alone (dist/standin/server.js), same output contract as
// `jobsmith standin`: first stdout line `listening on URL`, stops on SIGTERM/SIGINT.
// usage: node bench/standin/run-standin.mjs HOME USER TOKEN
import { startStandin } from '../../dist/standin/server.js';

const [home, user, token] = process.argv.slice(2);
const s = await startStandin({ home, port: 0, users: [{ name: user, token }] });
process.stdout.write(`listening on ${s.url}\n`);
const stop = () => void s.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
