// The recording page's player. Standard DOM only, no framework: it must work in Chromium
// and Firefox alike. Nothing of the footage (video, sprite, poster) is requested before the playback
// session API has answered: the <video> has no src and no poster until then, and the thumbnail track is
// fetched only from the URL the session gives. Every viewing is logged server-side; this script reports
// what is watched (heartbeats) and ends the session when the page goes away.
//
// Other scripts of the page (the redaction editor) work on the viewing this player runs: it announces each
// session on its root element ('player:session', 'player:ended') and starts another viewing in the same
// stage when asked ('player:watch' with { reason, variant, redactionId, respond }), ending the current one
// first. A still (a photo's session) is shown in an <img> instead of the <video>.
(() => {
  'use strict';

  const root = document.querySelector('[data-player]');
  const markerList = document.getElementById('markers');
  const markerForm = document.getElementById('marker-form');
  if (!root) {
    return;
  }

  const recordingId = root.dataset.recordingId;
  const words = JSON.parse(root.dataset.words || '{}');
  const token = root.querySelector('input[name="__RequestVerificationToken"]').value;
  const video = document.getElementById('video');
  const seek = document.getElementById('seek');
  const ticks = document.getElementById('ticks');
  const preview = document.getElementById('preview');
  const previewImage = document.getElementById('preview-image');
  const previewTime = document.getElementById('preview-time');
  const seekArea = document.getElementById('seek-area');
  const time = document.getElementById('time');
  const play = document.getElementById('play');
  const pause = document.getElementById('pause');
  const rate = document.getElementById('rate');
  const frameBack = document.getElementById('frame-back');
  const frameForward = document.getElementById('frame-forward');
  const startForm = document.getElementById('start-form');
  const startMessage = document.getElementById('start-message');
  const playerMessage = document.getElementById('player-message');
  const markerAdd = document.getElementById('marker-add');
  const markerMessage = document.getElementById('marker-message');
  const HEARTBEAT_MS = 5000;

  let session = null;      // the API's answer: sessionId, mediaUrl, mediaType, thumbnailsUrl, frameRate, durationSeconds …
  let watching = null;     // what was asked for it: { variant, redactionId }
  let photo = null;        // the <img> of a still, made when one is shown (the page has none before a session)
  let ended = false;
  let heartbeatTimer = 0;
  let cues = [];           // thumbnail cues: { start, end, src, x, y, w, h }
  let frameRate = parseFloat(root.dataset.frameRate) || null;
  let knownDuration = parseFloat(root.dataset.duration) || 0;
  let dragging = false;

  // --- talking to the server -------------------------------------------------------------------

  /** A JSON call with the session cookie and the antiforgery header the cookie APIs require. */
  function call(method, url, body) {
    const headers = { 'RequestVerificationToken': token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** The message a refusal carries (ProblemDetails title and field errors), or the status. */
  async function problemOf(response) {
    try {
      const problem = await response.json();
      const fields = problem.errors ? Object.values(problem.errors).flat() : [];
      return [problem.title, ...fields].filter((v, i, all) => v && all.indexOf(v) === i).join(' ') || `${response.status}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  // --- time ---------------------------------------------------------------------------------------

  function clock(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) {
      seconds = 0;
    }
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const ss = s.toFixed(3).padStart(6, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
  }

  function duration() {
    return Number.isFinite(video.duration) && video.duration > 0 ? video.duration : knownDuration;
  }

  function frameIndex(seconds) {
    return frameRate ? Math.floor(seconds * frameRate + 1e-6) : null;
  }

  function showTime() {
    const at = video.currentTime;
    const frame = frameIndex(at);
    time.textContent = `${clock(at)} / ${clock(duration())}` + (frame === null ? '' : ` · ${words.frame || 'frame'} ${frame}`);
    time.dataset.seconds = String(at);
    if (frame !== null) {
      time.dataset.frame = String(frame);
    }
    if (!dragging) {
      seek.value = String(at);
    }
  }

  // --- the session --------------------------------------------------------------------------------

  async function start(event) {
    event.preventDefault();
    startMessage.textContent = '';
    const reason = startForm.elements.reason.value.trim();
    if (!reason) {
      startMessage.textContent = words.needReason;
      startForm.elements.reason.focus();
      return;
    }
    const variant = startForm.elements.variant.value || 'rendition';
    const redactionField = startForm.elements.redactionId;
    const button = startForm.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const refusal = await open(reason, variant, variant === 'redacted' && redactionField ? redactionField.value : null);
      if (refusal) {
        startMessage.textContent = `${words.refused} ${refusal}`;
      }
    } catch (error) {
      startMessage.textContent = `${words.refused} ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  /** Starts a viewing and plays it here; the refusal's message if the server said no. */
  async function open(reason, variant, redactionId) {
    const approvalField = startForm.elements.approvalId;
    const approvalId = approvalField && approvalField.value.trim() ? approvalField.value.trim() : null;
    const body = { reason, variant, approvalId };
    if (redactionId) {
      body.redactionId = redactionId;
    }
    const response = await call('POST', `/api/v1/recordings/${recordingId}/sessions`, body);
    if (response.status !== 201) {
      return problemOf(response);
    }
    session = await response.json();
    watching = { variant, redactionId: redactionId || null };
    ended = false;
    begin();
    return null;
  }

  function begin() {
    frameRate = session.frameRate || frameRate;
    knownDuration = session.durationSeconds || knownDuration;
    startForm.hidden = true;
    document.getElementById('stage').hidden = false;
    document.getElementById('session-line').textContent = `${words.started} ${session.sessionId}`;
    frameBack.disabled = frameForward.disabled = !frameRate;
    if (markerAdd) {
      markerAdd.disabled = false;
    }
    seek.max = String(knownDuration || 0);
    drawTicks();
    cues = [];
    playerMessage.textContent = '';
    const still = (session.mediaType || '').startsWith('image/');
    video.hidden = still;
    seekArea.hidden = still;
    document.getElementById('controls').hidden = still;
    if (photo) {
      photo.hidden = !still;
    }
    if (still) {
      showStill(session.mediaUrl);
    } else {
      video.preload = 'auto';
      video.src = session.mediaUrl;   // the first request for footage: the session exists now
    }
    if (session.thumbnailsUrl) {
      loadThumbnails(new URL(session.thumbnailsUrl, location.href)).catch((error) => {
        playerMessage.textContent = error.message;
      });
    }
    heartbeatTimer = window.setInterval(heartbeat, HEARTBEAT_MS);
    showTime();
    root.dataset.sessionId = session.sessionId;
    root.dataset.variant = watching.variant;
    root.dispatchEvent(new CustomEvent('player:session', { detail: { session, variant: watching.variant, redactionId: watching.redactionId, still } }));
  }

  /**
   * What is being watched: position, playing or paused, rate. The server credits the stretch between two
   * heartbeats as watched only when the first said "playing", so one goes when playback starts, just
   * before and just after every seek, on pause, rate change and end, and every 5 s. They are sent one
   * after another (never overlapping), each with the state at the moment it was asked for, so the server
   * sees them in order. A refused heartbeat means the session is over.
   */
  let beats = Promise.resolve();

  function heartbeat() {
    if (!session || ended) {
      return beats;
    }
    const body = { position: video.currentTime, playing: isPlaying(), rate: video.playbackRate };
    beats = beats.then(async () => {
      if (ended) {
        return;
      }
      try {
        const response = await call('POST', `/api/v1/sessions/${session.sessionId}/heartbeats`, body);
        if (response.status >= 400) {
          stop(`${words.ended} ${await problemOf(response)}`);
        }
      } catch (error) {
        playerMessage.textContent = `${words.heartbeatFailed} ${error.message}`;
      }
    });
    return beats;
  }

  function isPlaying() {
    return !video.paused && !video.ended && !video.seeking;
  }

  /** A photo's viewing: its picture in an <img> beside the <video>, requested only now that the session exists. */
  function showStill(url) {
    if (!photo) {
      photo = document.createElement('img');
      photo.id = 'photo';
      photo.className = 'photo';
      photo.alt = '';
      photo.dataset.testid = 'photo';
      video.after(photo);
    }
    photo.hidden = false;
    photo.src = url;
  }

  /** The server refused the session (expired, ended): nothing more may be played in it. */
  function stop(message) {
    ended = true;
    window.clearInterval(heartbeatTimer);
    video.pause();
    video.removeAttribute('src');
    video.load();
    if (photo) {
      photo.removeAttribute('src');
    }
    playerMessage.textContent = message;
    if (markerAdd) {
      markerAdd.disabled = true;
    }
    announceEnd();
  }

  function announceEnd() {
    delete root.dataset.sessionId;
    root.dispatchEvent(new CustomEvent('player:ended'));
  }

  /** The player's state, as the end of a session reports it. */
  function state() {
    return new URLSearchParams({ position: String(video.currentTime), playing: String(isPlaying()), rate: String(video.playbackRate) });
  }

  /**
   * Another viewing in this stage (asked for by another script): the current session ends first — after
   * the heartbeats already queued, with the state it ends at — so only one of the user's viewings is live.
   */
  async function watch(event) {
    const { reason, variant, redactionId, respond } = event.detail;
    const answer = typeof respond === 'function' ? respond : () => {};
    try {
      if (session && !ended) {
        const at = state();
        ended = true;
        window.clearInterval(heartbeatTimer);
        video.pause();
        await beats;
        await call('POST', `/api/v1/sessions/${session.sessionId}/end?${at}`);
        announceEnd();
      }
      answer(await open(reason, variant, redactionId));
    } catch (error) {
      answer(error.message);
    }
  }

  /**
   * Ends the session as the page goes away. sendBeacon survives unload but cannot set headers: its
   * text/plain body is the antiforgery token, which the end endpoint validates like the header. The
   * player's state goes in the query, so the server credits the stretch since the last heartbeat it
   * handled: the one queued on pause may never leave a closing page.
   */
  function end() {
    if (!session || ended) {
      return;
    }
    ended = true;
    window.clearInterval(heartbeatTimer);
    navigator.sendBeacon(`/api/v1/sessions/${session.sessionId}/end?${state()}`, new Blob([token], { type: 'text/plain' }));
  }

  // --- controls -----------------------------------------------------------------------------------

  function step(direction) {
    if (!frameRate) {
      return;
    }
    video.pause();
    heartbeat();
    // Aim at the middle of the target frame: a time exactly on a frame boundary may show either neighbour.
    const index = Math.max(0, frameIndex(video.currentTime) + direction);
    const target = (index + 0.5) / frameRate;
    video.currentTime = Math.min(target, Math.max(0, duration() - 0.5 / frameRate));
  }

  function seekTo(seconds) {
    if (!session || ended) {
      markerMessage && (markerMessage.textContent = words.noSession);
      return;
    }
    heartbeat(); // the position before the jump: what was played up to here is credited
    video.currentTime = Math.max(0, Math.min(seconds, duration() || seconds));
  }

  // --- thumbnails: a WebVTT track whose cues point at a sprite with #xywh=x,y,w,h ----------------------

  async function loadThumbnails(url) {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error(`thumbnails: ${response.status}`);
    }
    cues = parseVtt(await response.text(), url);
  }

  function parseTimestamp(text) {
    // hh:mm:ss.ttt or mm:ss.ttt (WebVTT §4.2)
    return text.split(':').reduce((total, part) => total * 60 + parseFloat(part), 0);
  }

  function parseVtt(text, base) {
    const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
    if (!/^WEBVTT/.test(lines[0] || '')) {
      throw new Error('thumbnails: not a WebVTT file');
    }
    const found = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('-->')) {
        continue;
      }
      const [from, to] = lines[i].split('-->').map((part) => part.trim().split(/\s+/)[0]);
      const payload = (lines[i + 1] || '').trim();
      if (!payload) {
        continue;
      }
      const target = new URL(payload, base);
      const match = /^#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target.hash);
      // Only same-origin sprites: the page never sends the browser anywhere the session did not name.
      if (!match || target.origin !== location.origin) {
        continue;
      }
      target.hash = '';
      found.push({ start: parseTimestamp(from), end: parseTimestamp(to), src: target.href, x: +match[1], y: +match[2], w: +match[3], h: +match[4] });
    }
    return found;
  }

  function showPreview(clientX) {
    const box = seek.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    const at = fraction * duration();
    previewTime.textContent = clock(at);
    const cue = cues.find((c) => at >= c.start && at < c.end) || (cues.length && at >= cues[cues.length - 1].start ? cues[cues.length - 1] : null);
    if (cue) {
      previewImage.style.backgroundImage = `url("${cue.src}")`;
      previewImage.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
      previewImage.style.width = `${cue.w}px`;
      previewImage.style.height = `${cue.h}px`;
      previewImage.hidden = false;
      preview.dataset.cueStart = String(cue.start);
    } else {
      previewImage.hidden = true;
    }
    preview.hidden = false;
    const width = preview.offsetWidth;
    const left = Math.min(Math.max(0, clientX - box.left - width / 2), Math.max(0, box.width - width));
    preview.style.left = `${left}px`;
  }

  // --- markers ------------------------------------------------------------------------------------

  function drawTicks() {
    ticks.textContent = '';
    const total = duration();
    if (!total || !markerList) {
      return;
    }
    for (const item of markerList.querySelectorAll('li[data-at]')) {
      const at = parseFloat(item.dataset.at);
      const tick = document.createElement('button');
      tick.type = 'button';
      tick.className = 'tick';
      tick.dataset.seek = String(at);
      tick.title = `${clock(at)} ${item.querySelector('.note').textContent}`;
      tick.style.left = `${Math.min(100, (at / total) * 100)}%`;
      ticks.appendChild(tick);
    }
  }

  function addMarkerItem(marker) {
    const item = document.createElement('li');
    item.dataset.at = String(marker.atSeconds);
    const jump = document.createElement('button');
    jump.type = 'button';
    jump.className = 'link';
    jump.dataset.seek = String(marker.atSeconds);
    jump.textContent = clock(marker.atSeconds);
    const note = document.createElement('span');
    note.className = 'note';
    note.textContent = marker.note;            // text, never HTML: a note is what a user typed
    const who = document.createElement('span');
    who.className = 'muted';
    who.textContent = `${marker.createdBy} · ${marker.createdAt}`;
    item.append(jump, ' ', note, ' ', who);
    const after = [...markerList.children].find((li) => parseFloat(li.dataset.at) > marker.atSeconds);
    markerList.insertBefore(item, after || null);
  }

  async function addMarker(event) {
    event.preventDefault();
    const note = markerForm.elements.note.value.trim();
    if (!note) {
      markerMessage.textContent = words.needNote;
      return;
    }
    if (!session || ended) {
      markerMessage.textContent = words.noSession;
      return;
    }
    markerAdd.disabled = true;
    try {
      const response = await call('POST', `/api/v1/recordings/${recordingId}/markers`, { atSeconds: video.currentTime, note });
      if (response.status !== 201) {
        markerMessage.textContent = await problemOf(response);
        return;
      }
      addMarkerItem(await response.json());
      drawTicks();
      markerForm.elements.note.value = '';
      markerMessage.textContent = words.markerAdded;
    } finally {
      markerAdd.disabled = ended;
    }
  }

  // --- classified recordings: a supervisor's approval first ----------------------------------------

  const approvalForm = document.getElementById('approval-form');
  if (approvalForm) {
    approvalForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const status = document.getElementById('approval-status');
      const reason = approvalForm.elements.reason.value.trim();
      if (!reason) {
        status.textContent = words.needReason;
        return;
      }
      const response = await call('POST', `/api/v1/recordings/${recordingId}/view-approvals`, { reason });
      if (response.status !== 201) {
        status.textContent = `${words.refused} ${await problemOf(response)}`;
        return;
      }
      const approval = await response.json();
      startForm.elements.approvalId.value = approval.id;
      status.textContent = `${words.approvalRequested} ${approval.id}`;
    });
  }

  // --- wiring -------------------------------------------------------------------------------------

  startForm.addEventListener('submit', start);
  startForm.querySelector('button[type="submit"]').disabled = false;
  play.addEventListener('click', () => {
    video.play().catch((error) => {
      playerMessage.textContent = error.message;
    });
  });
  pause.addEventListener('click', () => video.pause());
  frameBack.addEventListener('click', () => step(-1));
  frameForward.addEventListener('click', () => step(1));
  rate.addEventListener('change', () => {
    video.playbackRate = parseFloat(rate.value);
  });
  seek.addEventListener('input', () => {
    dragging = true;
    seekTo(parseFloat(seek.value));
  });
  seek.addEventListener('change', () => {
    dragging = false;
  });
  seekArea.addEventListener('mousemove', (event) => showPreview(event.clientX));
  seekArea.addEventListener('mouseleave', () => {
    preview.hidden = true;
  });
  document.addEventListener('click', (event) => {
    const target = event.target.closest('[data-seek]');
    if (target) {
      seekTo(parseFloat(target.dataset.seek));
    }
  });
  if (markerForm) {
    markerForm.addEventListener('submit', addMarker);
  }

  video.addEventListener('loadedmetadata', () => {
    seek.max = String(duration());
    drawTicks();
    showTime();
  });
  video.addEventListener('timeupdate', showTime);
  video.addEventListener('seeked', () => {
    showTime();
    heartbeat();
  });
  video.addEventListener('play', () => {
    play.hidden = true;
    pause.hidden = false;
    // The position playback starts from: credit starts here, not at the 'playing' heartbeat, which
    // goes once the media has data and may already be a fraction of a second further on.
    heartbeat();
  });
  video.addEventListener('playing', heartbeat);
  video.addEventListener('pause', () => {
    play.hidden = false;
    pause.hidden = true;
    heartbeat();
  });
  video.addEventListener('ratechange', () => {
    rate.value = String(video.playbackRate);
    heartbeat();
  });
  video.addEventListener('ended', heartbeat);
  video.addEventListener('error', () => {
    if (session && !ended && video.error) {
      playerMessage.textContent = `${video.error.code} ${video.error.message || ''}`;
    }
  });
  root.addEventListener('player:watch', watch);
  window.addEventListener('pagehide', end);
})();
