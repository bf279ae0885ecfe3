#!/usr/bin/env node
// Hostile-input fuzz of CommunityBot's public endpoints, then one normal group question timed end to end.
//
//   node eval/fuzz.js --bot http://127.0.0.1:5000 [--count 12000] [--seconds 90] [--seed 12] [--concurrency 16]
//
// Sends --count payloads (deterministic for a --seed) over POST /api/messages, POST /api/local/messages, GET+POST
// /api/wecom, POST /open311/v2/requests.json|xml and POST /admin/login, stops after --seconds whatever is left, and
// prints one JSON object: status counts per endpoint, the mutations that drew a 5xx, and whether a normal
// "@小灵通 物业电话多少" sent afterwards reached the Connector stand-in this script serves within --answer-ms (1000).
//
// Loopback only: the bot URL must be 127.0.0.1/localhost/[::1], and every serviceUrl and response_url in the payloads
// points at this script's own stand-in (or at nothing that can be reached), so the bot is never led off the machine.
// WeCom payloads are signed and encrypted with WECOM_TOKEN and WECOM_AES_KEY (the server's WeCom__Token and
// WeCom__EncodingAESKey; the defaults are eval/wecom-send.sh's sample values); OPEN311_API_KEY is sent as a valid key
// on some Open311 posts. Node 20, no npm packages.
'use strict';
const http = require('http');
const crypto = require('crypto');

const args = parseArgs(process.argv.slice(2));
const bot = new URL(args.bot || 'http://127.0.0.1:5000');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(bot.hostname)) {
  console.error(`refusing ${bot.href}: the fuzz runs against loopback only`);
  process.exit(2);
}
const COUNT = Math.min(Number(args.count || 12000), 100000);
const SECONDS = Math.min(Number(args.seconds || 90), 600);
const CONCURRENCY = Math.max(1, Math.min(Number(args.concurrency || 16), 128));
const ANSWER_MS = Number(args['answer-ms'] || 1000);
const TOKEN = process.env.WECOM_TOKEN || 'QDG6eK';
const AES_KEY = process.env.WECOM_AES_KEY || 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const API_KEY = process.env.OPEN311_API_KEY || 'fuzz-key';
const rand = mulberry32(Number(args.seed || 12));
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });

// ---- the Connector / response_url stand-in ---------------------------------------------------------------------
const awaited = new Map(); // activity id -> resolve(ms)
let standInCalls = 0;
const standIn = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    standInCalls++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"id":"stand-in","errcode":0,"errmsg":"ok"}');
    const m = /\/v3\/conversations\/[^/]+\/activities\/([^/?]+)/.exec(req.url || '');
    let replyTo = m ? decodeURIComponent(m[1]) : null;
    if (!replyTo) {
      try { replyTo = JSON.parse(Buffer.concat(chunks).toString('utf8')).replyToId; } catch { /* not ours */ }
    }
    const done = replyTo && awaited.get(replyTo);
    if (done) { awaited.delete(replyTo); done(performance.now()); }
  });
});

// ---- helpers -------------------------------------------------------------------------------------------------
function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) if (list[i].startsWith('--')) out[list[i].slice(2)] = list[i + 1], i++;
  return out;
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6D2B79F5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const pick = list => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const repeat = (s, n) => s.repeat(Math.max(0, n));
// Strings a careless parser trips on; "\ud800" is written raw into JSON as the escape, a lone surrogate.
const NASTY = ['', ' ', '\u0000', '\ud800', '\udfff', '\u202e', '../../etc/passwd', '\\..\\..', '%00', '<script>', '${7*7}',
  "' OR 1=1 --", '\r\n\r\nX-Injected: 1', '🏠'.repeat(300), 'a'.repeat(1100), '号'.repeat(400), '0'.repeat(5000), '{"$gt":""}', 'null', 'NaN'];
const nasty = () => pick(NASTY);
// Percent-encodes the UTF-8 bytes (encodeURIComponent throws on a lone surrogate; Buffer writes U+FFFD for it).
const enc = v => [...Buffer.from(String(v), 'utf8')].map(b => '%' + b.toString(16).padStart(2, '0')).join('');
const anyValue = () => pick([nasty(), int(-1e9, 1e9), 1e308, -0, true, null, [], {}, [nasty()], { a: nasty() }, 'x'.repeat(int(0, 3000))]);
function deep(n) { let v = 'x'; for (let i = 0; i < n; i++) v = { a: v }; return v; }
const standInUrl = () => `http://127.0.0.1:${standIn.address().port}/`;
// Never anything off the machine: our stand-in, a closed loopback port, or a URL no client can send to.
const loopbackUrl = () => pick([standInUrl(), standInUrl() + '..%2F..%2F', 'http://127.0.0.1:9/', 'http://[::1]:9/', '\\..\\..', 'file:///etc/passwd', 'ftp://127.0.0.1/', 'http://', '', 'not a url']);

function teamsActivity(id) {
  return {
    type: 'message', id, timestamp: new Date().toISOString(), serviceUrl: standInUrl(), channelId: 'msteams',
    from: { id: '29:fuzz-resident', name: '居民' }, conversation: { id: '19:fuzz-group@thread.v2', isGroup: true, conversationType: 'groupChat' },
    recipient: { id: '28:bot', name: '小灵通' }, text: '<at>小灵通</at> 物业电话多少', textFormat: 'plain', locale: 'zh-CN',
    entities: [{ type: 'mention', mentioned: { id: '28:bot', name: '小灵通' }, text: '<at>小灵通</at>' }],
  };
}
function setPath(o, path, v) { const p = path.split('.'); let n = o; for (const k of p.slice(0, -1)) { if (typeof n[k] !== 'object' || n[k] === null) n[k] = {}; n = n[k]; } n[p[p.length - 1]] = v; }

// ---- WeCom crypto (protocols B.2.1): AES-256-CBC, PKCS#7 to 32 bytes, SHA1 signature over the sorted strings -----
const aesKey = Buffer.from(AES_KEY + '=', 'base64');
function wecomEncrypt(plain) {
  const msg = Buffer.isBuffer(plain) ? plain : Buffer.from(plain, 'utf8');
  const len = Buffer.alloc(4); len.writeUInt32BE(msg.length);
  const body = Buffer.concat([crypto.randomBytes(16), len, msg]);
  const pad = 32 - (body.length % 32);
  const cipher = crypto.createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)); cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
const wecomSign = (timestamp, nonce, encrypt) => crypto.createHash('sha1').update([TOKEN, timestamp, nonce, encrypt].sort().join('')).digest('hex');
function wecomCallback(id) {
  return { msgid: id, aibotid: 'AIBOTFUZZ', chatid: 'wrkFuzzGroup', chattype: 'group', from: { userid: 'fuzzuser' },
    response_url: standInUrl() + 'cgi-bin/aibot/response?response_code=' + id, msgtype: 'text', text: { content: '@小灵通 物业电话多少' } };
}

// ---- one hostile request per endpoint --------------------------------------------------------------------------
const json = JSON.stringify; // keeps a lone surrogate as its escape ("\\ud800"), as a hostile client would send it
let seq = 0;
const generators = {
  '/api/messages': () => {
    const a = teamsActivity(`fz-${++seq}`);
    const m = pick(['long-id', 'long-conversation', 'long-from', 'long-recipient', 'long-tenant', 'multibyte-id', 'huge-text', 'surrogate-text',
      'wrong-types', 'missing-field', 'channel-forged', 'invoke', 'not-json', 'deep', 'service-url', 'huge-entities', 'value-object', 'bad-timestamp', 'content-type', 'empty']);
    switch (m) {
      case 'long-id': a.id = repeat('i', int(1024, 4000)); break;
      case 'long-conversation': a.conversation.id = repeat('c', int(1024, 4000)); break;
      case 'long-from': a.from.id = repeat('u', int(1024, 4000)); break;
      case 'long-recipient': a.recipient.id = repeat('b', int(1024, 4000)); a.entities[0].mentioned.id = a.recipient.id; break;
      case 'long-tenant': a.conversation.tenantId = repeat('t', int(1024, 4000)); break;
      case 'multibyte-id': setPath(a, pick(['id', 'conversation.id', 'from.id']), repeat('号', int(90, 500))); break;
      case 'huge-text': a.text = '<at>小灵通</at> ' + repeat(pick(['长', 'a', '<at>x</at>', ' ']), int(3000, 60000)); break;
      case 'surrogate-text': a.text = '<at>小灵通</at> \ud800 物业\udfff电话'; break;
      case 'wrong-types': setPath(a, pick(['id', 'conversation', 'from', 'conversation.id', 'from.id', 'entities', 'text', 'timestamp', 'attachments', 'channelData', 'conversation.isGroup']), anyValue()); break;
      case 'missing-field': delete a[pick(['id', 'type', 'serviceUrl', 'channelId', 'from', 'conversation', 'recipient'])]; break;
      case 'channel-forged': a.channelId = pick(['admin', 'local', 'wecom', 'open311', nasty()]); a.value = { value: 'tk:WT20261123-0001:TakeOver' }; break;
      case 'invoke': a.type = 'invoke'; a.name = pick(['adaptiveCard/action', 'signin/verifyState', nasty()]); a.value = anyValue(); break;
      case 'not-json': return { body: Buffer.from(pick(['{', 'null', '[]', '"x"', '\xff\xfe{}', '{"type":"message",' + repeat('"a":1,', 2000)]), 'latin1'), mutation: m };
      case 'deep': a.channelData = deep(int(50, 3000)); break;
      case 'service-url': a.serviceUrl = loopbackUrl(); break;
      case 'huge-entities': a.entities = Array.from({ length: int(100, 3000) }, () => ({ type: 'mention', mentioned: { id: '28:bot', name: nasty() }, text: nasty() })); break;
      case 'value-object': a.text = ''; a.value = { value: pick([repeat('v', 300000 / 2), nasty(), 'tk:WT20261123-0001:TakeOver']) }; break;
      case 'bad-timestamp': a.timestamp = pick(['yesterday', '9999-99-99', '-1', 1e20]); break;
      case 'content-type': return { body: Buffer.from(json(a)), contentType: pick(['text/plain', 'application/xml', 'application/json; charset=utf-7', '']), mutation: m };
      case 'empty': return { body: Buffer.alloc(0), mutation: m };
    }
    return { body: Buffer.from(json(a), 'utf8'), mutation: m };
  },
  '/api/local/messages': () => {
    const r = { conversationId: 'fuzz-conv', userId: 'fuzz-user', userName: '居民', isGroup: true, text: '@小灵通 物业电话多少', messageId: `fz-${++seq}` };
    const m = pick(['long-ids', 'bad-ids', 'huge-text', 'wrong-types', 'surrogate', 'not-json', 'content-type', 'button', 'missing']);
    switch (m) {
      case 'long-ids': r[pick(['conversationId', 'userId', 'messageId'])] = repeat('x', int(65, 4000)); break;
      case 'bad-ids': r[pick(['conversationId', 'userId', 'messageId'])] = nasty(); break;
      case 'huge-text': r.text = repeat('长', int(2001, 30000)); break;
      case 'wrong-types': r[pick(['conversationId', 'userId', 'isGroup', 'text', 'buttonValue', 'messageId', 'userName'])] = anyValue(); break;
      case 'surrogate': r.text = '\ud800'; r.userName = '\udfff'; break;
      case 'not-json': return { body: Buffer.from(pick(['{', '', 'null', '\xff{}']), 'latin1'), mutation: m };
      case 'content-type': return { body: Buffer.from(json(r)), contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-7']), mutation: m };
      case 'button': r.text = ''; r.buttonValue = pick(['tk:WT20261123-0001:TakeOver', repeat('b', 3000), nasty()]); break;
      case 'missing': delete r[pick(['conversationId', 'userId', 'text'])]; break;
    }
    return { body: Buffer.from(json(r), 'utf8'), mutation: m };
  },
  '/api/wecom': () => {
    const ts = String(Math.floor(Date.now() / 1000)), nonce = String(int(1, 1e9));
    const m = pick(['unsigned', 'bad-signature', 'surrogate-encrypt', 'bad-base64', 'stale', 'inner-long', 'inner-types', 'inner-missing', 'inner-huge', 'inner-surrogate', 'inner-not-json', 'get', 'get-signed']);
    const signedQuery = (encrypt, t = ts) => `?msg_signature=${wecomSign(t, nonce, encrypt)}&timestamp=${t}&nonce=${nonce}`;
    const sealed = inner => { const e = wecomEncrypt(inner); return { query: signedQuery(e), body: Buffer.from(JSON.stringify({ encrypt: e })) }; };
    const c = wecomCallback(`fzw-${++seq}`);
    switch (m) {
      case 'unsigned': return { query: `?msg_signature=${enc(nasty())}&timestamp=${ts}&nonce=1`, body: Buffer.from(JSON.stringify({ encrypt: nasty() })), mutation: m };
      case 'bad-signature': return { query: `?msg_signature=00&timestamp=${enc(pick([ts, '', 'x', '-1']))}&nonce=${nonce}`, body: Buffer.from(JSON.stringify({ encrypt: wecomEncrypt('{}') })), mutation: m };
      case 'surrogate-encrypt': return { query: `?msg_signature=${wecomSign(ts, nonce, '\ud800')}&timestamp=${ts}&nonce=${nonce}`, body: Buffer.from('{"encrypt":"\\ud800"}'), mutation: m };
      case 'bad-base64': { const e = pick(['!!!!', 'AAAA', 'A'.repeat(64), repeat('A', 40000)]); return { query: signedQuery(e), body: Buffer.from(JSON.stringify({ encrypt: e })), mutation: m }; }
      case 'stale': { const t = String(Number(ts) - pick([301, 3600, 86400 * 3])); const e = wecomEncrypt(JSON.stringify(c)); return { query: signedQuery(e, t), body: Buffer.from(JSON.stringify({ encrypt: e })), mutation: m }; }
      case 'inner-long': setPath(c, pick(['msgid', 'chatid', 'aibotid', 'from.userid', 'response_url']), repeat(pick(['x', '号']), int(400, 4000))); break;
      case 'inner-types': setPath(c, pick(['msgid', 'chatid', 'aibotid', 'from', 'from.userid', 'text', 'text.content', 'create_time', 'msgtype', 'mixed', 'event', 'response_url']), anyValue()); break;
      case 'inner-missing': delete c[pick(['msgid', 'from', 'msgtype', 'chatid', 'text'])]; break;
      case 'inner-huge': c.text.content = '@小灵通 ' + repeat('a', int(3000, 30000)); break;
      case 'inner-surrogate': return { ...sealed(`{"msgid":"\\ud800","msgtype":"text","from":{"userid":"\\udfff"},"text":{"content":"\\ud800"}}`), mutation: m };
      case 'inner-not-json': return { ...sealed(pick(['', 'null', '[]', '\xff\xfe', '{"msgid":'])), mutation: m };
      case 'get': return { method: 'GET', query: `?msg_signature=${enc(nasty())}&timestamp=${enc(pick([ts, 'x', '']))}&nonce=1&echostr=${enc(nasty())}`, mutation: m };
      case 'get-signed': { const e = pick([wecomEncrypt('1234'), '\ud800', 'AAAA']); return { method: 'GET', query: signedQuery(e) + '&echostr=' + enc(e), mutation: m }; }
    }
    return { ...sealed(JSON.stringify(c)), mutation: m };
  },
  '/open311/v2/requests': () => {
    const f = { api_key: rand() < 0.5 ? API_KEY : nasty(), service_code: pick(['property', 'municipal', nasty()]), description: '电梯坏了', address_string: '1号楼' };
    const m = pick(['charset', 'multipart', 'huge-field', 'bad-coords', 'bad-percent', 'many-fields', 'json-body', 'surrogate', 'media-url', 'plain']);
    let contentType = 'application/x-www-form-urlencoded';
    switch (m) {
      case 'charset': contentType += '; charset=' + pick(['utf-7', 'UTF-7', 'gbk', 'bogus', 'utf-16', '"utf-7"']); break;
      case 'multipart': contentType = pick(['multipart/form-data', 'multipart/form-data; boundary=xyz', 'multipart/mixed; boundary=a']); break;
      case 'huge-field': f[pick(['description', 'address_string', 'first_name', 'email', 'phone', 'account_id'])] = repeat('x', int(200, 20000)); break;
      case 'bad-coords': f.lat = pick(['NaN', 'Infinity', '1e400', '91', nasty()]); f.long = pick(['0', '-181', '1e-400', nasty()]); break;
      case 'bad-percent': return { body: Buffer.from('api_key=' + API_KEY + '&description=%ED%A0%80%ZZ%&service_code=property&address_string=%FF'), contentType, mutation: m, format: pick(['json', 'xml']) };
      case 'many-fields': for (let i = 0; i < int(65, 500); i++) f['k' + i] = 'v'; break;
      case 'json-body': return { body: Buffer.from(JSON.stringify(f)), contentType: 'application/json', mutation: m, format: pick(['json', 'xml']) };
      case 'surrogate': f.description = '\ud800电梯'; break;
      case 'media-url': f.media_url = loopbackUrl(); break;
    }
    return { body: Buffer.from(new URLSearchParams(f).toString()), contentType, mutation: m, format: pick(['json', 'xml', nasty().slice(0, 8)]) };
  },
  '/admin/login': () => {
    const f = { name: pick(['admin', nasty()]), password: nasty(), returnUrl: pick(['/admin/tickets', '//evil', '\\\\evil', nasty()]) };
    const m = pick(['charset', 'multipart', 'huge', 'plain', 'json', 'bad-percent']);
    let contentType = 'application/x-www-form-urlencoded';
    if (m === 'charset') contentType += '; charset=' + pick(['utf-7', 'gbk', 'bogus']);
    if (m === 'multipart') contentType = pick(['multipart/form-data', 'multipart/form-data; boundary=xyz']);
    if (m === 'huge') f.password = repeat('p', int(5000, 60000));
    if (m === 'json') return { body: Buffer.from(JSON.stringify(f)), contentType: 'application/json', mutation: m };
    if (m === 'bad-percent') return { body: Buffer.from('name=%ED%A0%80&password=%ZZ'), contentType, mutation: m };
    return { body: Buffer.from(new URLSearchParams(f).toString()), contentType, mutation: m };
  },
};

function send(method, path, body, contentType) {
  return new Promise(resolve => {
    const headers = body ? { 'Content-Length': body.length } : {};
    if (body && contentType !== '') headers['Content-Type'] = contentType ?? 'application/json';
    const req = http.request({ host: bot.hostname.replace(/^\[|\]$/g, ''), port: bot.port, path, method, agent, headers, timeout: 15000 }, res => {
      res.resume(); res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', e => resolve(e.message === 'timeout' ? 'timeout' : 'error'));
    req.end(body);
  });
}

(async () => {
  await new Promise(r => standIn.listen(0, '127.0.0.1', r));
  const endpoints = Object.keys(generators);
  const counts = Object.fromEntries(endpoints.map(e => [e, {}]));
  const failing = {};
  const started = performance.now(), deadline = started + SECONDS * 1000;
  let sent = 0;
  // The payloads are drawn up front, in order, so a seed always yields the same sequence whatever the timing.
  const plan = Array.from({ length: COUNT }, (_, i) => { const e = endpoints[i % endpoints.length]; return { e, ...generators[e]() }; });
  async function worker() {
    while (sent < plan.length && performance.now() < deadline) {
      const p = plan[sent++];
      const path = p.e === '/open311/v2/requests' ? `${p.e}.${enc(p.format || 'json')}` : p.e + (p.query || '');
      const status = await send(p.method || 'POST', path, p.body, p.contentType);
      counts[p.e][status] = (counts[p.e][status] || 0) + 1;
      // 501 is the SDK's answer to an invoke nobody handles (protocols A.2.3): expected, not a failure.
      if (typeof status !== 'number' || (status >= 500 && status !== 501)) {
        const key = `${p.e} ${p.mutation} -> ${status}`;
        failing[key] = (failing[key] || 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const fuzzSeconds = (performance.now() - started) / 1000;

  // A normal question afterwards: answered when the reply reaches the stand-in within ANSWER_MS.
  const id = `normal-${Date.now()}`;
  const normal = teamsActivity(id);
  normal.from.id = '29:normal-resident'; normal.conversation.id = '19:normal-group@thread.v2';
  const t0 = performance.now();
  const reached = new Promise(resolve => awaited.set(id, resolve));
  const late = new Promise(r => setTimeout(() => r(null), ANSWER_MS)); // from the send, not from the HTTP 200
  const status = await send('POST', '/api/messages', Buffer.from(JSON.stringify(normal)), 'application/json');
  const t1 = await Promise.race([reached, late]);
  const total = Object.values(counts).flatMap(c => Object.entries(c)).reduce((n, [, v]) => n + v, 0);
  const fivexx = Object.values(counts).flatMap(c => Object.entries(c)).filter(([s]) => !(Number(s) < 500 || Number(s) === 501)).reduce((n, [, v]) => n + v, 0);
  console.log(JSON.stringify({
    seed: Number(args.seed || 12), sent: total, planned: COUNT, seconds: +fuzzSeconds.toFixed(1), fivexxOrNoAnswer: fivexx, // 501 not counted
    statusByEndpoint: counts, failing,
    normalQuestion: { httpStatus: status, answered: t1 !== null, ms: t1 === null ? null : +(t1 - t0).toFixed(1), withinMs: ANSWER_MS },
    standInCalls,
  }, null, 2));
  agent.destroy(); standIn.close();
  process.exit(fivexx === 0 && t1 !== null ? 0 : 1);
})();
