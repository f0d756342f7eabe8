#!/usr/bin/env node
// Mints a Tencent IM TLS v2 UserSig for the Desk server's admin REST API.
//
//   node postman/usersig.js <sdkappid> <identifier> <secretKey> [time] [expire]
//
// time is the issue time in Unix seconds (default: now), expire the lifetime in seconds
// (default 86400). The token is Base64(zlib(JSON)) with + / = replaced by * - _.
//
// The part between the SHARED markers is also the core of the collection-level
// pre-request script of desk.postman_collection.json: keep the two identical. There
// CryptoJS does the HMAC, here node's crypto module does.
'use strict';

// ---- SHARED BEGIN ----
// UTF-8 bytes of a string (identifiers may be non-ASCII).
function utf8Bytes(text) {
  var bytes = [];
  for (var i = 0; i < text.length; i++) {
    var cp = text.codePointAt(i);
    if (cp > 0xffff) i++; // the low surrogate belongs to this code point
    if (cp < 0x80) {
      bytes.push(cp);
    } else if (cp < 0x800) {
      bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return bytes;
}

// A zlib stream (RFC 1950) holding the bytes in one final *stored* deflate block
// (RFC 1951, BTYPE 00): no compression needed, and every inflater accepts it.
function zlibStored(raw) {
  if (raw.length > 0xffff) throw new Error('UserSig payload too large for one stored block');
  var len = raw.length;
  var nlen = ~len & 0xffff;
  var a = 1, b = 0; // Adler-32 of the raw bytes
  for (var i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    b = (b + a) % 65521;
  }
  var out = [0x78, 0x01, 0x01, len & 0xff, (len >> 8) & 0xff, nlen & 0xff, (nlen >> 8) & 0xff];
  for (var j = 0; j < raw.length; j++) out.push(raw[j]);
  out.push((b >> 8) & 0xff, b & 0xff, (a >> 8) & 0xff, a & 0xff);
  return out;
}

function base64OfBytes(bytes) {
  var binary = '';
  for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  if (typeof btoa === 'function') return btoa(binary);
  if (typeof CryptoJS !== 'undefined') return CryptoJS.enc.Base64.stringify(CryptoJS.enc.Latin1.parse(binary));
  return Buffer.from(bytes).toString('base64');
}

// hmacBase64(content, key) must return Base64 of HMAC-SHA256 over the UTF-8 content.
function makeUserSig(hmacBase64, sdkAppId, identifier, secretKey, expire, time) {
  var content = 'TLS.identifier:' + identifier + '\n'
    + 'TLS.sdkappid:' + sdkAppId + '\n'
    + 'TLS.time:' + time + '\n'
    + 'TLS.expire:' + expire + '\n';
  var doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': String(identifier),
    'TLS.sdkappid': Number(sdkAppId),
    'TLS.expire': Number(expire),
    'TLS.time': Number(time),
    'TLS.sig': hmacBase64(content, secretKey)
  };
  var b64 = base64OfBytes(zlibStored(utf8Bytes(JSON.stringify(doc))));
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}
// ---- SHARED END ----

function nodeHmacBase64(content, key) {
  return require('crypto').createHmac('sha256', Buffer.from(key, 'utf8'))
    .update(Buffer.from(content, 'utf8')).digest('base64');
}

if (require.main === module) {
  var args = process.argv.slice(2);
  var sdkAppId = args[0], identifier = args[1], secretKey = args[2], time = args[3], expire = args[4];
  var digits = /^[0-9]+$/;
  if (args.length < 3 || args.length > 5 || !/^[1-9][0-9]*$/.test(sdkAppId) || !identifier || !secretKey
      || (time !== undefined && !digits.test(time)) || (expire !== undefined && !digits.test(expire))) {
    process.stderr.write('usage: node postman/usersig.js <sdkappid> <identifier> <secretKey> [time] [expire]\n'
      + '  time: issue time in Unix seconds (default now); expire: lifetime in seconds (default 86400)\n');
    process.exit(2);
  }
  var now = time !== undefined ? Number(time) : Math.floor(Date.now() / 1000);
  console.log(makeUserSig(nodeHmacBase64, sdkAppId, identifier, secretKey,
    expire !== undefined ? Number(expire) : 86400, now));
}
