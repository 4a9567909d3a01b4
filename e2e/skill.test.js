// End-to-end test of Spasm Coach as Alexa would drive it: Bespoken's
// virtual-alexa turns spoken utterances into the request JSON Alexa sends,
// using our interaction model, and POSTs it to `spasmcoach serve --dev`
// (the same turn as the Lambda function, on an embedded store in a
// temporary directory). A small local server stands in for the Alexa API,
// so that the cold pack timer is really created, and recorded.
//
// Run from the repository root: node --test e2e/
// It builds the Go binary itself (go on PATH), or uses $SPASMCOACH_BIN.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const modelFile = path.join(root, 'infra/skill-package/interactionModels/custom/en-US.json');
const timersScope = 'alexa::alerts:timers:skill:readwrite';
const apiToken = 'e2e-api-access-token';

// virtual-alexa is a pinned npm dependency (package.json). Without it this
// test cannot run; under CI that is a failure, never a skip.
let VirtualAlexa;
try {
  ({ VirtualAlexa } = require('virtual-alexa'));
} catch (err) {
  throw new Error(`virtual-alexa is not installed (run npm ci at the repository root): ${err.message}`);
}

let tmp;
let server; // the spasmcoach serve child process
let serverLog = '';
let skillURL;
let api; // the Alexa API stand-in
const apiCalls = [];

// startAlexaAPI starts the stand-in for the Alexa REST APIs the skill calls
// and records every call.
function startAlexaAPI() {
  let timers = 0;
  const srv = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const call = { method: req.method, path: req.url, auth: req.headers.authorization, body: body ? JSON.parse(body) : null };
      apiCalls.push(call);
      const send = (status, obj) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      if (call.auth !== `Bearer ${apiToken}`) return send(401, { code: 'UNAUTHORIZED', message: 'bad token' });
      const now = new Date();
      if (req.method === 'POST' && req.url === '/v1/alerts/timers') {
        timers++;
        const t = call.body;
        return send(200, {
          id: `e2e-timer-${timers}`, status: 'ON', duration: t.duration, timerLabel: t.timerLabel,
          triggerTime: new Date(now.getTime() + 20 * 60000).toISOString().slice(0, 19) + 'Z',
          createdTime: now.toISOString().slice(0, 19) + 'Z', updatedTime: now.toISOString().slice(0, 19) + 'Z',
        });
      }
      if (req.method === 'GET' && /^\/v1\/alerts\/timers\/[^/]+$/.test(req.url)) {
        return send(200, { id: req.url.split('/').pop(), status: 'ON', duration: 'PT20M' });
      }
      if (req.method === 'DELETE' && req.url.startsWith('/v1/alerts/timers')) return send(200, {});
      if (req.method === 'POST' && req.url === '/v1/alerts/reminders') {
        return send(201, { alertToken: 'e2e-reminder', status: 'ON', createdTime: now.toISOString(), updatedTime: now.toISOString() });
      }
      if (req.method === 'GET' && /\/settings\/System\.timeZone$/.test(req.url)) return send(200, 'America/New_York');
      return send(404, { code: 'NOT_FOUND', message: `${req.method} ${req.url}` });
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

// startSkill starts `spasmcoach serve --dev` on a free loopback port and
// resolves with the skill URL it prints.
function startSkill(bin, db) {
  const env = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.TABLE_NAME;
  delete env.SKILL_ID;
  server = spawn(bin, ['serve', '--dev', '--addr', '127.0.0.1:0', '--db', db], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (d) => { serverLog += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${serverLog}`)), 30000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${serverLog}`));
    });
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spasmcoach-e2e-'));
  let bin = process.env.SPASMCOACH_BIN;
  if (!bin) {
    bin = path.join(tmp, 'spasmcoach');
    execFileSync('go', ['build', '-o', bin, './cmd/spasmcoach'], { cwd: root, stdio: 'inherit' });
  }
  api = await startAlexaAPI();
  skillURL = await startSkill(bin, path.join(tmp, 'state.db'));
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (api) await new Promise((resolve) => api.close(resolve));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// newAlexa returns a virtual Alexa for one user on one Echo, whose requests
// carry the stand-in's apiEndpoint, a token, and the timers permission.
function newAlexa(userId) {
  const alexa = VirtualAlexa.Builder()
    .interactionModelFile(modelFile)
    .skillURL(skillURL)
    .locale('en-US')
    .applicationID('amzn1.ask.skill.e2e00000-0000-0000-0000-000000000000')
    .create();
  const apiEndpoint = `http://127.0.0.1:${api.address().port}`;
  alexa.filter((req) => {
    const sys = req.context.System;
    sys.apiEndpoint = apiEndpoint;
    sys.apiAccessToken = apiToken;
    sys.device.deviceId = 'amzn1.ask.device.E2E-ECHO';
    sys.user = { userId, permissions: { scopes: { [timersScope]: { status: 'GRANTED' } } } };
    if (req.session) req.session.user = { userId };
  });
  return alexa;
}

// words turns SSML into the words said: no tags, entities decoded.
function words(ssml) {
  const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return ssml.replace(/<[^>]+>/g, ' ').replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => entities[e])
    .replace(/\s+/g, ' ').trim();
}

// said returns the response's speech as plain words, checking that it is
// one SSML document, followed by what its APLA directive says.
function said(reply) {
  const speech = reply.response.outputSpeech;
  assert.ok(speech, `no outputSpeech in ${JSON.stringify(reply)}`);
  assert.equal(speech.type, 'SSML');
  assert.match(speech.ssml, /^<speak>[\s\S]*<\/speak>$/);
  return [words(speech.ssml), ...aplaParts(reply).filter((p) => p.t).map((p) => words(p.t))].join(' ');
}

// state returns the skill state the session attributes carry.
function state(reply) {
  const attrs = reply.sessionAttributes;
  assert.ok(attrs && attrs.state, `no state in sessionAttributes: ${JSON.stringify(attrs)}`);
  return typeof attrs.state === 'string' ? JSON.parse(attrs.state) : attrs.state;
}

// The SSML tags Alexa supports (one anchor each on
// https://developer.amazon.com/docs/custom-skills/speech-synthesis-markup-language-ssml-reference.html);
// speech.Validate
// in Go checks their attributes too, on every response the Go tests make.
const ssmlTags = new Set(['speak', 'p', 's', 'break', 'emphasis', 'prosody', 'say-as', 'phoneme', 'sub', 'w',
  'lang', 'voice', 'audio', 'amazon:effect', 'amazon:emotion', 'amazon:domain']);

// checkSSML asserts that ssml is one balanced <speak> document of supported
// tags, every break at most 10 s, under 8,000 characters.
function checkSSML(where, ssml) {
  assert.ok(ssml.length < 8000, `${where}: ${ssml.length} characters`);
  assert.match(ssml, /^<speak>[\s\S]*<\/speak>$/, `${where}: not one <speak> document`);
  const open = [];
  for (const m of ssml.matchAll(/<(\/?)([a-z:-]+)([^>]*?)(\/?)>/g)) {
    const [tag, closing, name, attrs, empty] = m;
    assert.ok(ssmlTags.has(name), `${where}: unsupported tag ${tag}`);
    if (name === 'break') {
      const time = /time="(\d+(?:\.\d+)?)(ms|s)"/.exec(attrs);
      if (time) {
        const ms = Number(time[1]) * (time[2] === 's' ? 1000 : 1);
        assert.ok(ms <= 10000, `${where}: ${tag} is over 10 s`);
      }
    }
    if (empty) continue;
    if (closing) assert.equal(open.pop(), name, `${where}: unbalanced ${tag}`);
    else open.push(name);
  }
  assert.equal(open.length, 0, `${where}: unclosed <${open.join('>, <')}>`);
  assert.doesNotMatch(ssml.replace(/<[^>]*>/g, ''), /[<>]|&(?!(amp|lt|gt|quot|apos);)/, `${where}: unescaped text`);
}

// The APLA directive (speech.APLADirective in Go): a document of version
// 0.91 whose Sequencer plays payload.audio.parts, each part a slot (a
// Mixer of a Silence of ms and the Speech of t trimmed to it), a Silence
// (ms only) or a line (t only). speech.ValidateAPLA checks it in full in
// the Go tests; this checks what reaches Alexa over HTTP.
const aplaType = 'Alexa.Presentation.APLA.RenderDocument';

// checkAPLA asserts an APLA directive's shape, its document's component
// types and version, and every part: positive whole milliseconds, and
// every Speech valid SSML once its <speak> is put around it.
function checkAPLA(d) {
  assert.equal(d.type, aplaType);
  assert.ok(d.token, 'an APLA directive has a token');
  const doc = d.document;
  assert.equal(doc.type, 'APLA');
  assert.equal(doc.version, '0.91');
  assert.deepEqual(doc.mainTemplate.parameters, ['payload']);
  const seq = doc.mainTemplate.item;
  assert.equal(seq.type, 'Sequencer');
  assert.equal(seq.data, '${payload.audio.parts}');
  const [mixer, silence, line] = seq.item.items;
  assert.equal(seq.item.type, 'Selector');
  assert.equal(mixer.type, 'Mixer');
  assert.deepEqual(mixer.items.map((c) => [c.type, c.duration]), [['Silence', '${data.ms}'], ['Speech', 'trimToParent']]);
  assert.equal(silence.type, 'Silence');
  assert.equal(line.type, 'Speech');
  for (const c of [mixer.items[1], line]) {
    assert.equal(c.contentType, 'SSML');
    assert.equal(c.content, '<speak>${data.t}</speak>');
  }
  const parts = d.datasources.audio.parts;
  assert.ok(Array.isArray(parts) && parts.length > 0, 'APLA parts');
  for (const [i, p] of parts.entries()) {
    assert.deepEqual(Object.keys(p).sort(), ['ms', 't'], `part ${i}: ${JSON.stringify(p)}`);
    assert.ok(Number.isInteger(p.ms) && p.ms >= 0, `part ${i}: ms ${p.ms}`);
    assert.ok(p.ms > 0 || p.t !== '', `part ${i} plays nothing`);
    if (p.t !== '') checkSSML(`APLA part ${i}`, `<speak>${p.t}</speak>`);
  }
}

// aplaParts returns the parts of a response's APLA directive, or [].
function aplaParts(reply) {
  const d = (reply.response.directives || []).find((x) => x.type === aplaType);
  return d ? d.datasources.audio.parts : [];
}

// checkResponse asserts what Alexa requires of every response: valid
// speech and APLA, a reprompt exactly when the session stays open (none,
// and no shouldEndSession, with a Connections.SendRequest), no stray
// fields, and under 24 KB.
function checkResponse(reply) {
  assert.ok(JSON.stringify(reply).length < 24 * 1024, 'a response under 24 KB');
  for (const d of reply.response.directives || []) {
    if (d.type === aplaType) checkAPLA(d);
    else assert.equal(d.type, 'Connections.SendRequest', `directive ${d.type}`);
  }
  assert.equal(reply.version, '1.0');
  const r = reply.response;
  assert.ok(r, 'no response object');
  for (const stray of ['image', 'audioItem']) {
    assert.ok(!JSON.stringify(r).includes(`"${stray}"`), `stray field ${stray}: ${JSON.stringify(r)}`);
  }
  for (const [where, speech] of [['outputSpeech', r.outputSpeech], ['reprompt', r.reprompt && r.reprompt.outputSpeech]]) {
    if (!speech) continue;
    if (speech.type === 'SSML') checkSSML(where, speech.ssml);
    else assert.equal(speech.type, 'PlainText', `${where}: type ${speech.type}`);
  }
  const sendRequest = (r.directives || []).some((d) => d.type === 'Connections.SendRequest');
  if (sendRequest) {
    assert.equal(r.reprompt, undefined, 'a permission request has no reprompt');
    assert.equal(r.shouldEndSession, undefined, 'a permission request leaves shouldEndSession out');
  } else if (r.shouldEndSession === false) {
    assert.ok(r.reprompt, `an open session needs a reprompt: ${JSON.stringify(r)}`);
  } else if (r.reprompt) {
    assert.fail(`a reprompt on a closing response: ${JSON.stringify(r)}`);
  }
}

// say utters text to Alexa, checks the response (every response of this
// test goes through here) and records the exchange as a test diagnostic,
// so that the TAP output reads as a transcript.
async function say(t, alexa, text) {
  const reply = await alexa.utter(text);
  checkResponse(reply);
  const speech = reply.response.outputSpeech;
  const heard = speech ? words(speech.ssml || speech.text || '') : '(nothing)';
  t.diagnostic(`> ${text}`);
  t.diagnostic(`Alexa: ${heard}${reply.response.shouldEndSession ? ' [session ended]' : ''}`);
  return reply;
}

function keepsListening(reply) {
  assert.equal(reply.response.shouldEndSession, false, `session should stay open: ${JSON.stringify(reply.response)}`);
  assert.ok(reply.response.reprompt, 'an open session needs a reprompt');
}

test('a first session through the routine, then a relaunch that resumes', async (t) => {
  const alexa = newAlexa('amzn1.ask.account.E2E-FIRST-USER');
  let reply;

  await t.test('first launch: disclaimer and safety briefing', async (st) => {
    reply = await say(st, alexa, 'open back spasm coach');
    const heard = said(reply);
    assert.match(heard, /not (a substitute for )?(professional )?medical advice|information only/i);
    assert.match(heard, /call 9\s?1\s?1/);
    assert.match(heard, /can.t call/i, 'it must say Alexa cannot call for help');
    keepsListening(reply);
  });

  await t.test('"continue" goes on past the briefing', async (st) => {
    reply = await say(st, alexa, 'continue');
    said(reply);
    keepsListening(reply);
    assert.ok(state(reply).st >= 1, `step after the briefing: ${JSON.stringify(state(reply))}`);
  });

  await t.test('"start breathing" paces the breaths', async (st) => {
    reply = await say(st, alexa, 'start breathing');
    const heard = said(reply);
    assert.match(heard, /breathe in two three four five/i, 'the cue, then bare counts');
    // Each count is a slot of its own in the APLA document, and the slots
    // of a breath (Breathe in ... three) add up to 9.5 s.
    const parts = aplaParts(reply);
    const slots = parts.filter((p) => p.ms > 0 && p.t);
    assert.deepEqual(slots.slice(0, 9).map((p) => p.t), ['Breathe in', 'two', 'three', 'four', 'five', 'hold', 'out', 'two', 'three']);
    assert.equal(slots.slice(0, 9).reduce((sum, p) => sum + p.ms, 0), 9500, 'one breath lasts 9.5 s');
    assert.match(parts[parts.length - 1].t, /\?$/, 'the closing question is the last thing played');
    keepsListening(reply);
    assert.equal(state(reply).st, 3, 'breathing is step 3');
  });

  let stepBeforeStop;
  await t.test('"next step" moves on to the stretch step', async (st) => {
    reply = await say(st, alexa, 'next step');
    said(reply);
    keepsListening(reply);
    assert.equal(state(reply).st, 4);
  });

  await t.test('"start the stretch" reads the stretch with timed holds', async (st) => {
    reply = await say(st, alexa, 'start the stretch');
    const heard = said(reply);
    assert.match(heard, /curl forward/i);
    assert.match(heard, /hold it there/i);
    assert.ok(aplaParts(reply).some((p) => p.ms >= 10000 && !p.t), 'the rests between holds are silences');
    keepsListening(reply);
    assert.equal(state(reply).st, 4);
  });

  await t.test('"set a cold pack timer" asks first, "yes" sets it on the Echo', async (st) => {
    reply = await say(st, alexa, 'set a cold pack timer');
    assert.match(said(reply), /20.minute|twenty.minute/i);
    assert.match(said(reply), /\?/);
    assert.equal(apiCalls.filter((c) => c.method === 'POST').length, 0, 'no timer before the user says yes');

    reply = await say(st, alexa, 'yes');
    const created = apiCalls.filter((c) => c.method === 'POST' && c.path === '/v1/alerts/timers');
    assert.equal(created.length, 1, `timer calls: ${JSON.stringify(apiCalls)}`);
    assert.equal(created[0].auth, `Bearer ${apiToken}`);
    assert.equal(created[0].body.duration, 'PT20M');
    assert.match(created[0].body.timerLabel, /cold/i);
    assert.match(said(reply), /timer/i);
    stepBeforeStop = state(reply).st;
  });

  await t.test('"stop" ends the session and saves the place', async (st) => {
    reply = await say(st, alexa, 'stop');
    assert.equal(reply.response.shouldEndSession, true);
    assert.ok(!reply.response.reprompt, 'no reprompt when the session ends');
  });

  await t.test('a relaunch in a new session resumes at the same step', async (st) => {
    reply = await say(st, alexa, 'open back spasm coach');
    const stepSaid = new RegExp(`step (${['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][stepBeforeStop]}|${stepBeforeStop})\\b`, 'i');
    assert.match(said(reply), /again|welcome back/i, 'a returning user is greeted as one');
    assert.match(said(reply), stepSaid);
    keepsListening(reply);
    assert.equal(state(reply).st, stepBeforeStop);

    reply = await say(st, alexa, 'yes');
    assert.match(said(reply), /stretch/i, 'it carries on with the stretch it was doing');
    assert.doesNotMatch(said(reply), /9\s?1\s?1/, 'no second briefing on the same day');
    keepsListening(reply);
    assert.equal(state(reply).st, stepBeforeStop);
  });
});

test('the health check answers without verification', async () => {
  const res = await fetch(new URL('/healthz', skillURL));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
});
