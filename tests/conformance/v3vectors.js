// v3vectors.js [OUT] — signature v3 vectors computed by the official SDK's own signer.
//
// Each request below goes through @alicloud/openapi-client's real doRequest (the path
// every @alicloud/iot20180120 3.x call takes): it builds the headers, places the query and
// the form body, hashes the payload and calls @alicloud/openapi-util's getAuthorization.
// Only the edges are pinned: the date (openapi-util getTimestamp) and the nonce (tea-util
// getNonce) are fixed, the canonical request and the string to sign are read where
// getAuthorization hands them to openapi-util's hash and signatureMethod, and the
// transport (tea-typescript doAction) records the request instead of sending it.
// The credential is a plain object without a provider name: the SDK then sends no
// x-acs-credentials-provider header (which names the SDK's own credential classes).
//
// Writes one JSON object a line (to OUT, else standard output):
//   name, endpoint (the URL iotdeck is given), host, path, action, version, date, nonce,
//   access_key_id, access_key_secret, security_token (or null),
//   query and form ([[name, value], ...] as handed to the SDK), body (the bytes sent),
//   headers ({lower-case name: value} of every signed header, as sent),
//   canonical_request, string_to_sign, authorization.
'use strict';
const fs = require('fs');
const path = require('path');

const clientDir = path.dirname(require.resolve('@alicloud/openapi-client/package.json'));
const fromClient = (name) => require(require.resolve(name, { paths: [clientDir] }));
const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = fromClient('@alicloud/openapi-util').default;
const TeaUtilModule = fromClient('@alicloud/tea-util');
const TeaUtil = TeaUtilModule.default;
const Tea = fromClient('@alicloud/tea-typescript');

const DATE = '2026-12-01T10:00:00Z';
const KEY_ID = 'LTAI5tVectorKeyId0001';
const SECRET = 'vector-secret-0123456789abcdef';
const STS_ID = 'STS.NTvectorTemporaryKey01';
const STS_SECRET = 'sts-vector-secret-fedcba9876';
const TOKEN = 'CAIS8wF1q6Ft5B2yfSjIr5bSEsn+mYVz/oi1Y0Hyl2IaT+5vvZfCjzz2IHlOeHhhBe0d' +
  'sPU3nGlV7/cYlrpoRpBVQE2CUM8pt50NrF/8O4WV5pU=';

// Each case: name, action, query pairs, form pairs (null: no body), and optionally a
// host (default iot.cn-shanghai.aliyuncs.com over https), a nonce, an STS credential.
const cases = [
  { name: 'query-simple', action: 'QueryProductList',
    query: [['CurrentPage', '1'], ['PageSize', '10']] },
  { name: 'query-none', action: 'QueryProductList', query: [] },
  { name: 'instance-and-chinese', action: 'UpdateProduct',
    query: [['IotInstanceId', 'iot-cn-0pp1n8t4h01'], ['ProductKey', 'a1BwAGV6Lw4'],
      ['ProductName', '智能电表'], ['Description', '灯 & 插座 = 100% 好']] },
  { name: 'reserved-characters', action: 'SaveDeviceProp',
    query: [['ProductKey', 'a1BwAGV6Lw4'], ['DeviceName', 'dev-01_a.b~c'],
      ['Props', '{"k":"a b+c/d?e#f[g]@h$i&j;k=l,m:n!o\'p(q)r*s~t%u^v|w\\\\x`y<z>"}']] },
  { name: 'control-and-emoji', action: 'UpdateDeviceShadow',
    query: [['ProductKey', 'a1BwAGV6Lw4'], ['DeviceName', 'lamp'],
      ['ShadowMessage', 'line1\nline2\ttab\r\u00e9\u00df \ud83d\ude00 \u00a0end']] },
  { name: 'empty-values', action: 'UpdateProduct',
    query: [['ProductKey', 'a1BwAGV6Lw4'], ['ProductName', 'meter'], ['Description', '']] },
  { name: 'repeated-looking-names', action: 'BatchGetDeviceState',
    query: [['ProductKey', 'a1BwAGV6Lw4'], ...Array.from({ length: 12 }, (_, i) =>
      [`DeviceName.${i + 1}`, `dev${i + 1}`]), ['IotId.1', 'x'], ['IotId.10', 'y'],
    ['IotId.2', 'z']] },
  { name: 'name-order-punctuation', action: 'CreateProductTags',
    query: [['ProductKey', 'pk'], ['ProductTag.1.TagKey', 'a'], ['ProductTag.1.TagValue', '1'],
      ['ProductTag.10.TagKey', 'b'], ['ProductTag.2.TagKey', 'c'], ['A-b', '-'], ['A.b', '.'],
      ['A_b', '_'], ['Ab', 'A'], ['ab', 'a'], ['a', 'a'], ['B', 'B']] },
  { name: 'security-token', action: 'QueryDevice', sts: true,
    query: [['ProductKey', 'a1BwAGV6Lw4'], ['CurrentPage', '1'], ['PageSize', '50']] },
  { name: 'loopback-port', action: 'QueryDeviceDetail', host: '127.0.0.1:8080',
    protocol: 'http', query: [['ProductKey', 'pk'], ['DeviceName', 'd1']] },
  { name: 'form-body', action: 'Pub',
    query: [['ProductKey', 'a1BwAGV6Lw4'], ['TopicFullName', '/a1BwAGV6Lw4/lamp/user/get'],
      ['Qos', '0']],
    form: [['MessageContent', 'aGVsbG8gd29ybGQ=']] },
  { name: 'form-body-reserved', action: 'SetDeviceProperty',
    query: [['ProductKey', 'pk']],
    form: [['DeviceName', '灯 1'], ['Items', '{"LightSwitch":1,"Note":"a!b\'c(d)e*f~g h+i&j=k%"}'],
      ['Empty', '']] },
  { name: 'form-only', action: 'BatchRegisterDeviceWithApplyId', query: [],
    form: [['IotInstanceId', 'iot-cn-0pp1n8t4h01'], ['ApplyId', '1295006'],
      ['ProductKey', 'a1BwAGV6Lw4'], ['DeviceName.1', 'a'], ['DeviceName.2', 'b'],
      ['DeviceName.10', 'c']] },
  { name: 'form-body-token', action: 'InvokeThingService', sts: true, host: 'localhost:49152',
    protocol: 'http', query: [['ProductKey', 'pk'], ['Identifier', 'reboot']],
    form: [['Args', '{"delay":5}'], ['DeviceName', 'd1']] },
];

let nonce = null;
let lastHashed = null;
let canonical = null;
let stringToSign = null;
let captured = null;

OpenApiUtil.getTimestamp = () => DATE;
TeaUtil.getNonce = () => nonce;
const hash = OpenApiUtil.hash;
OpenApiUtil.hash = (raw, alg) => { lastHashed = Buffer.from(raw).toString('utf8'); return hash(raw, alg); };
const signatureMethod = OpenApiUtil.signatureMethod;
OpenApiUtil.signatureMethod = (secret, source, alg) => {
  canonical = lastHashed;
  stringToSign = source;
  return signatureMethod(secret, source, alg);
};
class Captured extends Error {}
Tea.doAction = async (request) => {
  captured = request;
  throw new Captured('captured');
};

async function readBody(body) {
  if (!body) return '';
  const chunks = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

async function vector(c, i) {
  const host = c.host || 'iot.cn-shanghai.aliyuncs.com';
  const protocol = c.protocol || 'https';
  nonce = `vector-nonce-${String(i + 1).padStart(2, '0')}-3ee8c1b883d344af`;
  canonical = stringToSign = captured = null;
  const cred = {
    accessKeyId: c.sts ? STS_ID : KEY_ID,
    accessKeySecret: c.sts ? STS_SECRET : SECRET,
    securityToken: c.sts ? TOKEN : '',
  };
  const config = new OpenApi.Config({
    endpoint: host, protocol, regionId: 'cn-shanghai',
    credential: {
      getCredential: async () => ({ ...cred, type: c.sts ? 'sts' : 'access_key', providerName: '' }),
    },
  });
  const client = new OpenApi.default(config);
  const params = new OpenApi.Params({
    action: c.action, version: '2018-01-20', protocol: 'HTTPS', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const req = { query: OpenApiUtil.query(Object.fromEntries(c.query)) };
  if (c.form) req.body = OpenApiUtil.parseToMap(Object.fromEntries(c.form));
  try {
    await client.callApi(params, new OpenApi.OpenApiRequest(req),
      new TeaUtilModule.RuntimeOptions({}));
  } catch (e) {
    if (!(e instanceof Captured)) throw e;
  }
  if (!captured || canonical === null) throw new Error(`${c.name}: the SDK did not sign`);
  const headers = {};
  for (const [k, v] of Object.entries(captured.headers)) {
    const l = k.toLowerCase();
    if (l === 'host' || l === 'content-type' || l.startsWith('x-acs-')) headers[l] = String(v);
  }
  return {
    name: c.name,
    endpoint: `${protocol}://${host}/`,
    host, path: captured.pathname, action: c.action, version: '2018-01-20', date: DATE, nonce,
    access_key_id: cred.accessKeyId, access_key_secret: cred.accessKeySecret,
    security_token: c.sts ? TOKEN : null,
    query: Object.entries(captured.query),
    form: c.form || [],
    body: await readBody(captured.body),
    headers, canonical_request: canonical, string_to_sign: stringToSign,
    authorization: captured.headers.Authorization,
  };
}

(async () => {
  const lines = [];
  for (let i = 0; i < cases.length; i++) lines.push(JSON.stringify(await vector(cases[i], i)));
  const text = lines.join('\n') + '\n';
  if (process.argv[2]) fs.writeFileSync(process.argv[2], text);
  else process.stdout.write(text);
})().catch((e) => { console.error(`v3vectors: ${e.stack || e}`); process.exit(1); });
