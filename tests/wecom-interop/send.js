// Try the WeCom channel without WeCom: signs and encrypts a real-shaped 智能机器人 group text callback with
// Tencent's official @wecom/crypto, posts it to a running CommunityBot, and prints the markdown reply the bot
// then posts to the callback's response_url (a one-shot listener here stands in for WeCom).
// Usage: WeCom__Token=… WeCom__EncodingAESKey=… node send.js "物业电话多少" [http://localhost:3978]
'use strict';
const http = require('http');
const { randomBytes } = require('crypto');
const { getSignature, encrypt } = require('@wecom/crypto');

const [text = '物业电话多少', server = 'http://localhost:3978'] = process.argv.slice(2);
const token = process.env.WeCom__Token;
const key = process.env.WeCom__EncodingAESKey;
const botName = process.env.WeCom__BotName || '小灵通';
if (!token || !key) {
  process.stderr.write('Set WeCom__Token and WeCom__EncodingAESKey to the values the server runs with.\n');
  process.exit(1);
}

const timer = setTimeout(() => {
  process.stderr.write('No reply reached the response_url within 20 s (see the server log).\n');
  process.exit(1);
}, 20000);

const listener = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    response.setHeader('Content-Type', 'application/json');
    response.end('{"errcode":0,"errmsg":"ok"}');
    const reply = JSON.parse(body);
    process.stdout.write(`reply (${reply.msgtype}):\n${reply.markdown ? reply.markdown.content : body}\n`);
    clearTimeout(timer);
    listener.close();
  });
});

listener.listen(0, '127.0.0.1', async () => {
  const { port } = listener.address();
  const callback = {
    msgid: randomBytes(12).toString('base64'),
    aibotid: 'AIBOTID-LOCAL',
    chatid: 'local-test-group',
    chattype: 'group',
    from: { userid: 'local-resident' },
    response_url: `http://127.0.0.1:${port}/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`,
    msgtype: 'text',
    text: { content: `@${botName} ${text}` },
  };
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const nonce = randomBytes(5).readUInt32BE(0).toString();
  const ciphered = encrypt(key, JSON.stringify(callback), '');
  const signature = getSignature(token, timestamp, nonce, ciphered);
  const url = `${server}/api/wecom?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ encrypt: ciphered }),
  });
  process.stdout.write(`POST /api/wecom -> ${answer.status}\n`);
  if (!answer.ok) {
    process.stdout.write(`${await answer.text()}\n`);
    process.exit(1);
  }
});
