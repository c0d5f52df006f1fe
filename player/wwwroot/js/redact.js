// The redaction editor of the recording page. Standard DOM only, no framework, like player.js.
//
// It never loads footage of its own: it draws over the picture of the viewing the player runs (a canvas
// over the <video>, or over the photo), and works only while the player says a viewing of the rendition or
// the original is live ('player:session' / 'player:ended' on the player's root). What it edits is the spec
// the redaction API takes: regions (rectangles, ellipses) with key positions as fractions 0..1 of the
// displayed, upright picture; whole-frame ranges; audio ranges; times in seconds of the recording.
// Drawing, moving or resizing a region sets its key position at the current time. Between key positions a
// region moves linearly and before the first / after the last it holds — the renderer's rule — so the
// preview (the canvas blurring the picture under each active region, the video muted in audio ranges)
// shows what will be rendered.
(() => {
  'use strict';

  const card = document.querySelector('[data-redact]');
  const playerRoot = document.querySelector('[data-player]');
  if (!card || !playerRoot) {
    return;
  }

  const recordingId = card.dataset.recordingId;
  const kind = card.dataset.kind || '';          // video | audio | photo | '' (cannot be redacted)
  const words = JSON.parse(card.dataset.words || '{}');
  const token = card.querySelector('input[name="__RequestVerificationToken"]').value;
  const knownDuration = parseFloat(card.dataset.duration) || 0;
  const video = document.getElementById('video');
  const picture = document.getElementById('picture');
  const canvas = document.getElementById('redact-canvas');
  const editor = document.getElementById('redact-editor');
  const needsViewing = document.getElementById('redact-needs-viewing');
  const back = document.getElementById('redact-back');
  const editingLine = document.getElementById('redact-editing');
  const items = document.getElementById('redact-items');
  const form = document.getElementById('redact-form');
  const message = document.getElementById('redact-message');
  const errors = document.getElementById('redact-errors');
  const previewBox = document.getElementById('redact-preview');
  const rangeFrom = document.getElementById('range-from');
  const rangeTo = document.getElementById('range-to');
  const audioMode = document.getElementById('audio-mode');
  const watchReason = document.getElementById('watch-reason');
  const rows = document.getElementById('redactions');
  const listMessage = document.getElementById('redactions-message');
  const publicationForm = document.getElementById('publication-form');
  const publicationMessage = document.getElementById('publication-message');
  const publicationErrors = document.getElementById('publication-errors');
  const MIN_SIZE = 0.01;          // a region smaller than 1 % of the picture is a slip of the mouse, not a region
  const CORNER_PX = 12;           // how near the bottom-right corner a press resizes instead of moving
  const POLL_MS = 3000;

  const spec = { regions: [], fullFrame: [], audio: [] };
  let editing = null;             // the draft being edited (its id), or null: a new redaction
  let selected = -1;              // the selected region's index
  let live = null;                // the viewing drawn over: { variant, still } while one of the footage runs
  let lastVariant = null;         // the variant drawn over last, to go back to after a redacted viewing
  let drag = null;                // a gesture: { mode: 'draw' | 'move' | 'resize', index, start, from, box, moved }
  let mutedByPreview = false;
  let painted = false;            // the overlay has something on it that the next frame must clear
  let pollTimer = 0;
  let viewFitted = true;          // a photo zoomed or turned by photo-view.js is not drawn on until fitted again
  let highlight = null;           // a suggestion shown on the picture (suggest.js), drawn dashed, never rendered

  // --- talking to the server -------------------------------------------------------------------

  /** A JSON call with the session cookie and the antiforgery header the cookie APIs require. */
  function call(method, url, body) {
    const headers = { 'RequestVerificationToken': token };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** A refusal shown where it belongs: its title on the line, each field the server named in the list. */
  async function showProblem(response, line, list) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem document: the status says enough
    }
    line.className = 'error';
    line.textContent = problem && problem.title ? problem.title : `${response.status} ${response.statusText}`;
    list.textContent = '';
    for (const [field, messages] of Object.entries((problem && problem.errors) || {})) {
      const item = document.createElement('li');
      item.dataset.field = field;
      item.textContent = `${field}: ${[].concat(messages).join(' ')}`;   // text, never HTML
      list.appendChild(item);
    }
  }

  function say(line, text, bad) {
    line.className = bad ? 'error' : 'ok';
    line.textContent = text;
  }

  // --- time and geometry ------------------------------------------------------------------------

  function round(value, digits) {
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function clock(seconds) {
    const m = Math.floor(seconds / 60);
    return `${m}:${(seconds % 60).toFixed(3).padStart(6, '0')}`;
  }

  /** The time a key position is set at: the picture shown now (a photo has one moment, 0). */
  function now() {
    return kind === 'photo' ? 0 : round(video.currentTime, 3);
  }

  function duration() {
    return Number.isFinite(video.duration) && video.duration > 0 ? video.duration : knownDuration;
  }

  /** Where a region is at t: its first key position before the first, its last after the last, linear between. */
  function positionAt(region, t) {
    const keys = region.keyframes;
    const last = keys[keys.length - 1];
    if (t <= keys[0].t) {
      return keys[0];
    }
    if (t >= last.t) {
      return last;
    }
    let i = 1;
    while (keys[i].t < t) {
      i++;
    }
    const a = keys[i - 1];
    const b = keys[i];
    const f = (t - a.t) / (b.t - a.t);
    return { t, x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
  }

  function startOf(region) {
    return region.from ?? region.keyframes[0].t;
  }

  /** The end the server gives a region: its own, else its last key position, else (one key) the end of the recording. */
  function endOf(region) {
    if (region.to != null) {
      return region.to;
    }
    return region.keyframes.length > 1 ? region.keyframes[region.keyframes.length - 1].t : duration();
  }

  function isActive(region, t) {
    return kind === 'photo' || (t >= startOf(region) && t <= endOf(region));
  }

  function inRange(ranges, t) {
    return ranges.some((range) => t >= range.from && t < range.to);
  }

  /** The media element whose picture is shown now: the player makes an <img> for a photo's viewing. */
  function media() {
    return (live && live.still && document.getElementById('photo')) || video;
  }

  /**
   * The displayed picture inside the overlay, in CSS pixels: the media element's box, letterboxed as the
   * browser draws it (object-fit: contain), so fractions are of the picture, not of the black bars.
   */
  function pictureBox() {
    const element = media();
    const naturalWidth = element === video ? video.videoWidth : element.naturalWidth;
    const naturalHeight = element === video ? video.videoHeight : element.naturalHeight;
    if (!naturalWidth || !naturalHeight || !element.clientWidth || !element.clientHeight) {
      return null;
    }
    const scale = Math.min(element.clientWidth / naturalWidth, element.clientHeight / naturalHeight);
    const w = naturalWidth * scale;
    const h = naturalHeight * scale;
    return { x: element.offsetLeft + (element.clientWidth - w) / 2, y: element.offsetTop + (element.clientHeight - h) / 2, w, h };
  }

  /** The pointer as fractions of the picture, kept inside it. */
  function pointOf(event, box) {
    const rect = canvas.getBoundingClientRect();
    return { x: clamp((event.clientX - rect.left - box.x) / box.w, 0, 1), y: clamp((event.clientY - rect.top - box.y) / box.h, 0, 1) };
  }

  function toPixels(at, box) {
    return { x: box.x + at.x * box.w, y: box.y + at.y * box.h, w: at.w * box.w, h: at.h * box.h };
  }

  function contains(region, at, p) {
    if (region.shape === 'ellipse') {
      const dx = (p.x - (at.x + at.w / 2)) / (at.w / 2);
      const dy = (p.y - (at.y + at.h / 2)) / (at.h / 2);
      return dx * dx + dy * dy <= 1;
    }
    return p.x >= at.x && p.x <= at.x + at.w && p.y >= at.y && p.y <= at.y + at.h;
  }

  function nearCorner(p, at, box) {
    return Math.abs((p.x - (at.x + at.w)) * box.w) <= CORNER_PX && Math.abs((p.y - (at.y + at.h)) * box.h) <= CORNER_PX;
  }

  /** A key position as the API takes it: rounded, and inside the picture after rounding too. */
  function keyAt(t, box) {
    const x = round(box.x, 4);
    const y = round(box.y, 4);
    return { t, x, y, w: round(Math.min(box.w, 1 - x), 4), h: round(Math.min(box.h, 1 - y), 4) };
  }

  /** Sets the region's key position at t: replaces one at that moment, else goes in time order. */
  function setKey(region, t, box) {
    const key = keyAt(t, box);
    if (kind === 'photo') {
      region.keyframes = [key];
      return;
    }
    const same = region.keyframes.findIndex((k) => Math.abs(k.t - t) < 0.0005);
    if (same >= 0) {
      region.keyframes[same] = key;
    } else {
      region.keyframes.push(key);
      region.keyframes.sort((a, b) => a.t - b.t);
    }
  }

  // --- drawing on the picture -------------------------------------------------------------------

  function shape() {
    const checked = document.querySelector('input[name="shape"]:checked');
    return checked ? checked.value : 'rect';
  }

  /** The regions drawn now: those active at t, and the selected one (so it can be moved wherever it is). */
  function hitTest(p, t) {
    for (let i = spec.regions.length - 1; i >= 0; i--) {
      const region = spec.regions[i];
      if ((isActive(region, t) || i === selected) && contains(region, positionAt(region, t), p)) {
        return i;
      }
    }
    return -1;
  }

  function onPointerDown(event) {
    const box = live && event.button === 0 ? pictureBox() : null;
    if (!box) {
      return;
    }
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    if (!video.paused) {
      video.pause();   // a key position belongs to one moment: drawing holds the picture there
    }
    const p = pointOf(event, box);
    const t = now();
    const current = selected >= 0 ? positionAt(spec.regions[selected], t) : null;
    if (current && nearCorner(p, current, box)) {
      drag = { mode: 'resize', index: selected, start: p, from: current, box: { ...current }, moved: false };
      return;
    }
    const hit = hitTest(p, t);
    if (hit >= 0) {
      selected = hit;
      const from = positionAt(spec.regions[hit], t);
      drag = { mode: 'move', index: hit, start: p, from, box: { ...from }, moved: false };
      renderItems();
      return;
    }
    drag = { mode: 'draw', index: -1, start: p, from: null, box: { x: p.x, y: p.y, w: 0, h: 0 }, moved: false };
  }

  function onPointerMove(event) {
    const box = live ? pictureBox() : null;
    if (!box) {
      return;
    }
    const p = pointOf(event, box);
    if (!drag) {
      const current = selected >= 0 ? positionAt(spec.regions[selected], now()) : null;
      canvas.style.cursor = current && nearCorner(p, current, box) ? 'nwse-resize' : hitTest(p, now()) >= 0 ? 'move' : 'crosshair';
      return;
    }
    drag.moved = true;
    const { start, from } = drag;
    if (drag.mode === 'draw') {
      drag.box = { x: Math.min(start.x, p.x), y: Math.min(start.y, p.y), w: Math.abs(p.x - start.x), h: Math.abs(p.y - start.y) };
    } else if (drag.mode === 'move') {
      drag.box = { x: clamp(from.x + p.x - start.x, 0, 1 - from.w), y: clamp(from.y + p.y - start.y, 0, 1 - from.h), w: from.w, h: from.h };
    } else {
      drag.box = { x: from.x, y: from.y, w: clamp(p.x - from.x, MIN_SIZE, 1 - from.x), h: clamp(p.y - from.y, MIN_SIZE, 1 - from.y) };
    }
  }

  function onPointerUp() {
    if (!drag) {
      return;
    }
    const gesture = drag;
    drag = null;
    if (gesture.mode === 'draw') {
      if (gesture.box.w >= MIN_SIZE && gesture.box.h >= MIN_SIZE) {
        spec.regions.push({ shape: shape(), keyframes: [keyAt(now(), gesture.box)], from: null, to: null });
        selected = spec.regions.length - 1;
      }
    } else if (gesture.moved) {
      setKey(spec.regions[gesture.index], now(), gesture.box);
    }
    renderItems();
  }

  function shapePath(context, kindOfShape, r) {
    context.beginPath();
    if (kindOfShape === 'ellipse') {
      context.ellipse(r.x + r.w / 2, r.y + r.h / 2, Math.max(r.w / 2, 0.5), Math.max(r.h / 2, 0.5), 0, 0, Math.PI * 2);
    } else {
      context.rect(r.x, r.y, r.w, r.h);
    }
  }

  /** The picture blurred inside a path: what the render will show there. */
  function blurred(context, box, path) {
    context.save();
    path();
    context.clip();
    context.filter = `blur(${Math.max(6, Math.round(box.w / 60))}px)`;
    context.drawImage(media(), box.x, box.y, box.w, box.h);
    context.restore();
  }

  function outline(context, kindOfShape, r, isSelected, active) {
    context.save();
    context.lineWidth = isSelected ? 2 : 1;
    context.strokeStyle = isSelected ? '#ffd400' : '#ffffff';
    context.setLineDash(active ? [] : [6, 4]);
    shapePath(context, kindOfShape, r);
    context.stroke();
    if (isSelected) {
      context.fillStyle = '#ffd400';
      context.fillRect(r.x + r.w - 5, r.y + r.h - 5, 10, 10);
    }
    context.restore();
  }

  function fitCanvas() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(picture.clientWidth * ratio);
    const height = Math.round(picture.clientHeight * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    return ratio;
  }

  function draw() {
    const box = live && (spec.regions.length > 0 || spec.fullFrame.length > 0 || drag || highlight) ? pictureBox() : null;
    if (!box && !painted) {
      return;   // nothing drawn, nothing to draw: no work for a frame of the page
    }
    const ratio = fitCanvas();
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    painted = !!box;
    if (!box) {
      return;
    }
    const t = kind === 'photo' ? 0 : video.currentTime;
    const preview = !previewBox || previewBox.checked;
    if (preview && inRange(spec.fullFrame, t)) {
      blurred(context, box, () => shapePath(context, 'rect', box));
    }
    spec.regions.forEach((region, i) => {
      const active = isActive(region, t);
      if (!active && i !== selected) {
        return;
      }
      const at = drag && drag.index === i ? drag.box : positionAt(region, t);
      const r = toPixels(at, box);
      if (active && preview) {
        blurred(context, box, () => shapePath(context, region.shape, r));
      }
      outline(context, region.shape, r, i === selected, active);
    });
    if (drag && drag.mode === 'draw') {
      outline(context, shape(), toPixels(drag.box, box), true, true);
    }
    if (highlight) {
      outline(context, highlight.shape, toPixels(positionAt(highlight, t), box), false, false);
    }
  }

  // --- regions from outside: suggestions (suggest.js) -------------------------------------------------

  /** Key positions as the API gives them, checked: finite, inside the picture, in time order. */
  function keyframesOf(given) {
    const keys = (Array.isArray(given) ? given : [])
      .map((k) => ({ t: Number(k.t), x: Number(k.x), y: Number(k.y), w: Number(k.w), h: Number(k.h) }))
      .filter((k) => [k.t, k.x, k.y, k.w, k.h].every(Number.isFinite) && k.w > 0 && k.h > 0);
    keys.sort((a, b) => a.t - b.t);
    return keys;
  }

  /** 'redact:add-region' {shape, keyframes}: an accepted suggestion becomes a region of the spec being edited. */
  function onAddRegion(event) {
    const keyframes = keyframesOf(event.detail && event.detail.keyframes);
    if (keyframes.length === 0) {
      return;
    }
    spec.regions.push({ shape: event.detail.shape === 'ellipse' ? 'ellipse' : 'rect', keyframes, from: null, to: null });
    selected = spec.regions.length - 1;
    renderItems();
  }

  /** 'redact:highlight' {shape, keyframes} or null: where a suggestion is, outlined over the picture. */
  function onHighlight(event) {
    const keyframes = keyframesOf(event.detail && event.detail.keyframes);
    highlight = keyframes.length > 0 ? { shape: event.detail.shape === 'ellipse' ? 'ellipse' : 'rect', keyframes } : null;
  }

  /** The sound as it will be: muted in mute and bleep ranges while previewing (the user's own mute is left alone). */
  function previewSound() {
    const inside = live && !live.still && (!previewBox || previewBox.checked) && inRange(spec.audio, video.currentTime);
    if (inside && !video.muted) {
      video.muted = true;
      mutedByPreview = true;
    } else if (!inside && mutedByPreview) {
      video.muted = false;
      mutedByPreview = false;
    }
  }

  function tick() {
    if (canvas) {
      draw();
    }
    previewSound();
    window.requestAnimationFrame(tick);
  }

  // --- the list of what is hidden ---------------------------------------------------------------

  function button(label, action, key, testid) {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = 'secondary';
    element.textContent = label;
    element.dataset.action = action;
    element.dataset.index = String(key);   // a region's or a range's index, or a redaction's id
    element.dataset.testid = testid;
    return element;
  }

  function regionItem(region, i) {
    const item = document.createElement('li');
    item.dataset.testid = 'redact-region';
    item.dataset.index = String(i);
    item.dataset.keys = String(region.keyframes.length);
    item.className = i === selected ? 'selected' : '';
    const when = kind === 'photo' ? '' : ` · ${clock(startOf(region))}–${clock(endOf(region))}`;
    item.append(`${words['rd.region']} ${i + 1} · ${words['rd.' + region.shape] || region.shape} · ${region.keyframes.length} ${words['rd.keys']}${when} `);
    item.append(button(words['rd.select'], 'select', i, 'region-select'));
    if (kind !== 'photo') {
      item.append(
        button(words['rd.start-here'], 'start', i, 'region-start'),
        button(words['rd.end-here'], 'end', i, 'region-end'),
        button(words['rd.remove-key'], 'remove-key', i, 'region-remove-key'));
    }
    item.append(button(words['rd.delete'], 'delete-region', i, 'region-delete'));
    return item;
  }

  function rangeItem(list, label, i, testid) {
    const item = document.createElement('li');
    item.dataset.testid = testid;
    item.append(`${label} `, button(words['rd.delete'], `delete-${list}`, i, `${testid}-delete`));
    return item;
  }

  function renderItems() {
    items.textContent = '';
    spec.regions.forEach((region, i) => items.appendChild(regionItem(region, i)));
    spec.fullFrame.forEach((range, i) =>
      items.appendChild(rangeItem('fullFrame', `${words['rd.whole-frame']} · ${clock(range.from)}–${clock(range.to)}`, i, 'redact-full-frame')));
    spec.audio.forEach((range, i) =>
      items.appendChild(rangeItem('audio', `${words['rd.audio']} · ${words['rd.' + range.mode] || range.mode} · ${clock(range.from)}–${clock(range.to)}`, i, 'redact-audio')));
  }

  function onItemClick(event) {
    const target = event.target.closest('button[data-action]');
    if (!target) {
      return;
    }
    const i = parseInt(target.dataset.index, 10);
    const region = spec.regions[i];
    const t = now();
    message.textContent = '';
    switch (target.dataset.action) {
      case 'select':
        selected = i;
        break;
      case 'start':
        if (region.to != null && t >= region.to) {
          say(message, words['rd.bad-range'], true);
          return;
        }
        region.from = t;
        break;
      case 'end':
        if (t <= startOf(region)) {
          say(message, words['rd.bad-range'], true);
          return;
        }
        region.to = t;
        break;
      case 'remove-key': {
        // The key position nearest to now, within a twentieth of a second; never the last one of a region.
        const nearest = region.keyframes.reduce((best, k, j) => (Math.abs(k.t - t) < Math.abs(region.keyframes[best].t - t) ? j : best), 0);
        if (region.keyframes.length > 1 && Math.abs(region.keyframes[nearest].t - t) <= 0.05) {
          region.keyframes.splice(nearest, 1);
        }
        break;
      }
      case 'delete-region':
        spec.regions.splice(i, 1);
        selected = selected === i ? -1 : selected > i ? selected - 1 : selected;
        break;
      case 'delete-fullFrame':
        spec.fullFrame.splice(i, 1);
        break;
      case 'delete-audio':
        spec.audio.splice(i, 1);
        break;
      default:
        return;
    }
    renderItems();
  }

  /** The from–to fields as a range, or null (with the reason said) when they are not one. */
  function rangeOf() {
    const from = round(parseFloat(rangeFrom.value), 3);
    const to = round(parseFloat(rangeTo.value), 3);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from < 0 || from >= to) {
      say(message, words['rd.bad-range'], true);
      return null;
    }
    message.textContent = '';
    return { from, to };
  }

  function addRange(list, extra) {
    const range = rangeOf();
    if (range) {
      list.push({ ...range, ...extra });
      list.sort((a, b) => a.from - b.from);
      renderItems();
    }
  }

  // --- saving, rendering, editing a draft -------------------------------------------------------

  /** The spec as the API takes it: only a region's own from and to are sent, the server knows the defaults. */
  function body(draft) {
    return {
      reason: form.elements.reason.value.trim(),
      regions: spec.regions.map((region) => {
        const sent = { shape: region.shape, keyframes: region.keyframes };
        if (region.from != null) {
          sent.from = region.from;
        }
        if (region.to != null) {
          sent.to = region.to;
        }
        return sent;
      }),
      fullFrame: spec.fullFrame,
      audio: spec.audio,
      draft,
    };
  }

  async function save(draft) {
    errors.textContent = '';
    const sent = body(draft);
    if (!sent.reason) {
      say(message, words['rd.need-reason'], true);
      form.elements.reason.focus();
      return;
    }
    if (sent.regions.length + sent.fullFrame.length + sent.audio.length === 0) {
      say(message, words['rd.nothing'], true);
      return;
    }
    const response = editing
      ? await call('PUT', `/api/v1/redactions/${editing}`, sent)
      : await call('POST', `/api/v1/recordings/${recordingId}/redactions`, sent);
    if (!response.ok) {
      await showProblem(response, message, errors);
      return;
    }
    const answer = await response.json();
    if (draft) {
      editing = answer.redactionId;
      say(message, `${words['rd.saved']} ${answer.redactionId}`, false);
    } else {
      clear();
      say(message, `${words['rd.queued']} ${answer.redactionId}`, false);
    }
    showEditing();
    await refresh();
  }

  function clear() {
    spec.regions = [];
    spec.fullFrame = [];
    spec.audio = [];
    editing = null;
    selected = -1;
    form.elements.reason.value = '';
    errors.textContent = '';
    showEditing();
    renderItems();
  }

  function showEditing() {
    editingLine.hidden = !editing;
    editingLine.textContent = editing ? `${words['rd.editing']} ${editing}` : '';
  }

  /** A draft back into the editor, exactly as saved. */
  async function load(id) {
    const response = await fetch(`/api/v1/redactions/${id}`, { credentials: 'same-origin' });
    if (!response.ok) {
      await showProblem(response, listMessage, errors);
      return;
    }
    const view = await response.json();
    const saved = view.spec || {};
    spec.regions = (saved.regions || []).map((region) => ({
      shape: region.shape,
      keyframes: (region.keyframes || []).map((k) => ({ t: k.t, x: k.x, y: k.y, w: k.w, h: k.h })),
      from: region.from ?? null,
      to: region.to ?? null,
    }));
    spec.fullFrame = (saved.fullFrame || []).map((r) => ({ from: r.from, to: r.to }));
    spec.audio = (saved.audio || []).map((r) => ({ from: r.from, to: r.to, mode: r.mode }));
    form.elements.reason.value = view.reason;
    editing = view.redactionId;
    selected = -1;
    message.textContent = '';
    errors.textContent = '';
    showEditing();
    renderItems();
    editor.scrollIntoView({ block: 'nearest' });
  }

  // --- the recording's redactions -----------------------------------------------------------------

  function cell(row, content) {
    const td = document.createElement('td');
    td.append(...[].concat(content));
    row.appendChild(td);
    return td;
  }

  function when(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+/, '').replace(/\+00:00$/, 'Z') : '—';
  }

  function row(redaction) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'redaction';
    tr.dataset.id = redaction.redactionId;
    tr.dataset.state = redaction.state;
    cell(tr, when(redaction.createdAt));
    cell(tr, redaction.createdBy);
    cell(tr, redaction.reason);
    const state = cell(tr, words['rd.state.' + redaction.state] || redaction.state);
    if (redaction.failure) {
      const failure = document.createElement('span');
      failure.className = 'error';
      failure.dataset.testid = 'failure';
      failure.textContent = ` ${redaction.failure}`;
      state.appendChild(failure);
    }
    const actions = cell(tr, []);
    const id = redaction.redactionId;
    if (redaction.state === 'draft') {
      if (kind) {
        actions.append(button(words['rd.edit'], 'edit', id, 'edit'));
      }
      actions.append(button(words['rd.render'], 'render', id, 'render-draft'), button(words['rd.discard'], 'discard', id, 'discard'));
    }
    if (redaction.state === 'ready') {
      actions.append(button(words['rd.watch'], 'watch', id, 'watch-redacted'), button(words['rd.request'], 'request', id, 'request-publication'));
    }
    const open = document.createElement('a');
    open.href = `/redactions/${id}`;
    open.textContent = words['rd.open'];
    open.className = 'open';
    actions.append(' ', open);
    return tr;
  }

  async function refresh() {
    window.clearTimeout(pollTimer);
    const response = await fetch(`/api/v1/recordings/${recordingId}/redactions`, { credentials: 'same-origin' });
    if (!response.ok) {
      await showProblem(response, listMessage, errors);
      return;
    }
    const list = await response.json();
    rows.textContent = '';
    list.forEach((redaction) => rows.appendChild(row(redaction)));
    if (list.length === 0) {
      listMessage.className = 'muted';
      listMessage.textContent = words['rd.none'];
    } else if (listMessage.textContent === words['rd.none']) {
      listMessage.textContent = '';
    }
    // Rendering is the worker's: the list follows it until nothing is waiting.
    if (list.some((redaction) => redaction.state === 'queued' || redaction.state === 'rendering')) {
      pollTimer = window.setTimeout(refresh, POLL_MS);
    }
  }

  async function onRowClick(event) {
    const target = event.target.closest('button[data-action]');
    if (!target) {
      return;
    }
    const id = target.dataset.index;
    listMessage.textContent = '';
    switch (target.dataset.action) {
      case 'edit':
        await load(id);
        return;
      case 'render':
      case 'discard': {
        const response = target.dataset.action === 'render'
          ? await call('POST', `/api/v1/redactions/${id}/render`)
          : await call('DELETE', `/api/v1/redactions/${id}`);
        if (!response.ok) {
          await showProblem(response, listMessage, errors);
          return;
        }
        if (editing === id) {
          clear();
        }
        await refresh();
        return;
      }
      case 'watch':
        watch({ variant: 'redacted', redactionId: id });
        return;
      case 'request':
        publicationForm.hidden = false;
        publicationForm.dataset.redactionId = id;
        document.getElementById('publication-redaction').textContent = id;
        publicationMessage.textContent = '';
        publicationErrors.textContent = '';
        publicationForm.elements.title.focus();
        return;
      default:
    }
  }

  /** Another viewing in the player's stage — a redacted output, or the footage again — with the reason given for it. */
  function watch(what) {
    const reason = watchReason.value.trim();
    if (!reason) {
      say(listMessage, words['rd.need-watch-reason'], true);
      watchReason.focus();
      return;
    }
    playerRoot.dispatchEvent(new CustomEvent('player:watch', {
      detail: {
        ...what,
        reason,
        respond: (refusal) => {
          if (refusal) {
            say(listMessage, `${words['pl.switch-failed']} ${refusal}`, true);
          } else {
            listMessage.textContent = '';
            playerRoot.scrollIntoView({ block: 'nearest' });
          }
        },
      },
    }));
  }

  async function requestPublication(event) {
    event.preventDefault();
    publicationErrors.textContent = '';
    const id = publicationForm.dataset.redactionId;
    const response = await call('POST', `/api/v1/redactions/${id}/publications`, {
      title: publicationForm.elements.title.value.trim(),
      body: publicationForm.elements.body.value,
    });
    if (response.status !== 201) {
      await showProblem(response, publicationMessage, publicationErrors);
      return;
    }
    const publication = await response.json();
    say(publicationMessage, `${words['rd.requested']} ${publication.publicationId}`, false);
    const link = document.createElement('a');
    link.href = '/publications';
    link.textContent = words['pub.title'];
    publicationMessage.append(' ', link);
  }

  // --- following the player -------------------------------------------------------------------------

  /** The editor works while a viewing of the footage runs: its picture is what regions are drawn on. */
  function follow(event) {
    const variant = event.detail.variant;
    const footage = variant === 'rendition' || variant === 'original';
    live = footage && kind ? { variant, still: event.detail.still } : null;
    if (live) {
      lastVariant = variant;
    }
    showLive();
  }

  function showLive() {
    if (!kind) {
      return;
    }
    editor.hidden = !live;
    needsViewing.hidden = !!live;
    back.hidden = !!live || !lastVariant;
    if (canvas) {
      canvas.hidden = !live || kind === 'audio' || !viewFitted;
    }
  }

  // --- wiring -----------------------------------------------------------------------------------------

  playerRoot.addEventListener('player:session', follow);
  playerRoot.addEventListener('player:view', (event) => {
    viewFitted = event.detail.fitted;
    if (!viewFitted) {
      say(message, words['rd.fit-to-draw'], true);
    } else if (message.textContent === words['rd.fit-to-draw']) {
      message.textContent = '';
    }
    showLive();
  });
  playerRoot.addEventListener('player:ended', () => {
    live = null;
    showLive();
  });
  rows.addEventListener('click', onRowClick);
  publicationForm.addEventListener('submit', requestPublication);
  if (kind) {
    back.addEventListener('click', () => watch({ variant: lastVariant, redactionId: null }));
    items.addEventListener('click', onItemClick);
    card.addEventListener('redact:add-region', onAddRegion);
    card.addEventListener('redact:highlight', onHighlight);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save(!(event.submitter && event.submitter.value === 'render'));
    });
    document.getElementById('redact-new').addEventListener('click', () => {
      clear();
      message.textContent = '';
    });
    if (rangeFrom) {
      document.getElementById('range-from-now').addEventListener('click', () => {
        rangeFrom.value = now().toFixed(3);
      });
      document.getElementById('range-to-now').addEventListener('click', () => {
        rangeTo.value = now().toFixed(3);
      });
      document.getElementById('add-audio').addEventListener('click', () => addRange(spec.audio, { mode: audioMode.value }));
      const fullFrame = document.getElementById('add-full-frame');
      if (fullFrame) {
        fullFrame.addEventListener('click', () => addRange(spec.fullFrame, {}));
      }
    }
    if (canvas) {
      canvas.addEventListener('pointerdown', onPointerDown);
      canvas.addEventListener('pointermove', onPointerMove);
      canvas.addEventListener('pointerup', onPointerUp);
      canvas.addEventListener('pointercancel', onPointerUp);
    }
    showLive();
    window.requestAnimationFrame(tick);
  }
  refresh();
})();
