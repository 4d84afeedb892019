// One client's crowd of requests, in a process of its own (so the test that measures another
// client meanwhile does not share its event loop): `count` GETs of `url` at once, each on a
// connection of its own from `localAddress`, with `headers` (JSON). Prints one JSON line: how
// many got each status (0: no answer), and the first 429 that nginx made itself.
//   node test-support/status-crowd.mjs <url> <localAddress> <count> '<headers JSON>'
import http from "node:http";

const [url, localAddress, count, headers] = process.argv.slice(2);

const answer = () =>
  new Promise((resolve) => {
    const request = http.request(url, { headers: JSON.parse(headers), localAddress, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body }));
      response.on("error", (error) => resolve({ status: 0, headers: {}, body: error.message }));
    });
    request.on("error", (error) => resolve({ status: 0, headers: {}, body: error.message }));
    request.end();
  });

const answers = await Promise.all(Array.from({ length: Number(count) }, answer));
const statuses = {};
for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
const proxyRefusal = answers.find((answer) => answer.status === 429 && answer.body.includes('"error":"rate_limited"'));
const unexpected = answers.find((answer) => answer.status !== 200 && answer.status !== 429);
process.stdout.write(`${JSON.stringify({ statuses, proxyRefusal, unexpected })}\n`);
