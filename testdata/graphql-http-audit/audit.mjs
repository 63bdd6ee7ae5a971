// Runs the GraphQL over HTTP audit suite (graphql-http's auditServer)
// against a GraphQL endpoint and prints one line per audit:
//
//   <status> <id> <name>[: <reason>]
//
// with status ok, notice (a failed MAY), warn (a failed SHOULD) or error (a
// failed MUST), then a summary line "N passed, N failed" style counts. It
// exits 1 if any audit is a warning or an error, 2 on a fatal problem.
//
// usage: node audit.mjs http://127.0.0.1:8080/query
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

try {
  const results = await auditServer({ url });
  const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  for (const r of results) {
    counts[r.status]++;
    let line = `${r.status.padEnd(6)} ${r.id} ${r.name}`;
    if (r.status !== 'ok') {
      let body = '';
      try {
        body = await r.response.text();
      } catch {
        // the body may already have been read by the audit
      }
      line += `: ${r.reason} (status ${r.response.status}, content-type ${r.response.headers.get('content-type')}${body ? `, body ${body}` : ''})`;
    }
    console.log(line);
  }
  console.log(`audits: ${results.length}, ok ${counts.ok}, notice ${counts.notice}, warn ${counts.warn}, error ${counts.error}`);
  process.exit(counts.warn + counts.error > 0 ? 1 : 0);
} catch (err) {
  console.error('the audit could not run:', err);
  process.exit(2);
}
