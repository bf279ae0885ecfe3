// Load test of POST /api/wecom on loopback: pre-sealed callbacks (official @wecom/crypto), then
// (1) as fast as CONCURRENCY allows, (2) a fixed RATE/s for SECONDS. Reports callbacks/s and latency of the
// HTTP answer (verify → decrypt → map → turn committed to the outbox) and of the reply arriving at the
// response_url (a local listener). Usage: WeCom__Token=… WeCom__EncodingAESKey=… node bench.js [server]
'use strict';
const http = require('http');
const { randomBytes } = require('crypto');
const { getSignature, encrypt } = require('@wecom/crypto');

const server = process.argv[2] || 'http://localhost:3978';
const token = process.env.WeCom__Token;
const key = process.env.WeCom__EncodingAESKey;
const total = Number(process.env.TOTAL || 2000);
const concurrency = Number(process.env.CONCURRENCY || 16);
const rate = Number(process.env.RATE || 100);
const seconds = Number(process.env.SECONDS || 20);
const questions = ['物业电话多少', '停车费怎么交', '垃圾分类几点投放', '社区医院在哪', '明天火箭几点发射'];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const sentAt = new Map();
const replyLatencies = [];

const listener = http.createServer((request, response) => {
  const code = new URL(request.url, 'http://x').searchParams.get('response_code');
  request.resume();
  request.on('end', () => {
    const start = sentAt.get(code);
    if (start !== undefined) replyLatencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    response.setHeader('Content-Type', 'application/json');
    response.end('{"errcode":0,"errmsg":"ok"}');
  });
});

function seal(i, port) {
  const code = `bench-${i}-${randomBytes(4).toString('hex')}`;
  const callback = {
    msgid: `bench-${Date.now()}-${i}`, aibotid: 'AIBOT', chatid: `bench-group-${i % 50}`, chattype: 'group',
    from: { userid: `resident-${i}` },
    response_url: `http://127.0.0.1:${port}/cgi-bin/aibot/response?response_code=${code}`,
    msgtype: 'text', text: { content: `@小灵通 ${questions[i % questions.length]}` },
  };
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const nonce = String(100000 + i);
  const ciphered = encrypt(key, JSON.stringify(callback), '');
  const path = `/api/wecom?msg_signature=${getSignature(token, timestamp, nonce, ciphered)}&timestamp=${timestamp}&nonce=${nonce}`;
  return { code, path, body: JSON.stringify({ encrypt: ciphered }) };
}

function post(item) {
  const target = new URL(server);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    sentAt.set(item.code, start);
    const request = http.request({
      host: target.hostname, port: target.port, path: item.path, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(item.body) },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
    });
    request.on('error', reject);
    request.end(item.body);
  });
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1) : 'n/a';
};
const summary = (name, values) => `${name}: n=${values.length} p50=${pct(values, 50)} ms p99=${pct(values, 99)} ms max=${pct(values, 100)} ms`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

listener.listen(0, '127.0.0.1', async () => {
  const { port } = listener.address();
  let offset = 0;
  const items = Array.from({ length: total + rate * seconds + 200 }, (_, i) => seal(i, port));

  // Warm-up.
  for (const item of items.slice(0, 200)) await post(item);
  offset = 200;
  await sleep(2000);
  replyLatencies.length = 0;

  // (1) Throughput.
  const burst = items.slice(offset, offset + total);
  offset += total;
  let next = 0;
  let bad = 0;
  const latencies = [];
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < burst.length) {
      const result = await post(burst[next++]);
      if (result.status !== 200) bad++;
      latencies.push(result.ms);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - begin) / 1e9;
  console.log(`throughput: ${total} callbacks, concurrency ${concurrency}: ${(total / elapsed).toFixed(0)} callbacks/s, non-200: ${bad}`);
  console.log(summary('  HTTP answer', latencies));
  await sleep(5000);
  console.log(summary('  reply at response_url', replyLatencies));
  replyLatencies.length = 0;

  // (2) Fixed rate.
  const paced = items.slice(offset, offset + rate * seconds);
  const pacedLatencies = [];
  const start = Date.now();
  const pending = [];
  for (let i = 0; i < paced.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(post(paced[i]).then((r) => { pacedLatencies.push(r.ms); if (r.status !== 200) bad++; }));
  }
  await Promise.all(pending);
  console.log(`fixed rate: ${rate}/s for ${seconds} s, non-200 total: ${bad}`);
  console.log(summary('  HTTP answer', pacedLatencies));
  await sleep(5000);
  console.log(summary('  reply at response_url', replyLatencies));
  listener.close();
  agent.destroy();
});
