// Cross-check of CommunityBot's WeComCrypto against Tencent's official @wecom/crypto package.
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//   {"op":"seal","key","token","receiveId","timestamp","nonce","message"} -> {"encrypt","signature"}
//   {"op":"open","key","token","timestamp","nonce","encrypt","signature"} -> {"message","id"} or exit 2
'use strict';
const { getSignature, decrypt, encrypt } = require('@wecom/crypto');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  if (request.op === 'seal') {
    const ciphered = encrypt(request.key, request.message, request.receiveId);
    const signature = getSignature(request.token, request.timestamp, request.nonce, ciphered);
    process.stdout.write(JSON.stringify({ encrypt: ciphered, signature }));
  } else if (request.op === 'open') {
    const expected = getSignature(request.token, request.timestamp, request.nonce, request.encrypt);
    if (expected !== request.signature) {
      process.stderr.write(`signature mismatch: expected ${expected}, got ${request.signature}\n`);
      process.exit(2);
    }
    const { message, id } = decrypt(request.key, request.encrypt);
    process.stdout.write(JSON.stringify({ message, id }));
  } else {
    process.stderr.write(`unknown op ${request.op}\n`);
    process.exit(1);
  }
});
