// Face suggestions in the redaction editor. Standard DOM only, like redact.js, which it talks to by events
// on the editor's card: 'redact:add-region' puts an accepted suggestion into the spec being edited,
// 'redact:highlight' outlines one over the picture while the reviewer looks at it.
//
// Suggestions, never decisions: the worker's detector offers regions, and each is accepted or rejected by
// the reviewer, one by one, on the server (the decision is recorded once and kept). Nothing found here is
// hidden until the reviewer accepts it and renders the redaction.
(() => {
  'use strict';

  const card = document.querySelector('[data-redact]');
  const panel = document.getElementById('suggestions');
  if (!card || !panel) {
    return;
  }

  const recordingId = card.dataset.recordingId;
  const words = JSON.parse(card.dataset.words || '{}');
  const token = card.querySelector('input[name="__RequestVerificationToken"]').value;
  const video = document.getElementById('video');
  const find = document.getElementById('suggest-find');
  const line = document.getElementById('suggest-message');
  const list = document.getElementById('suggest-list');
  const POLL_MS = 2000;

  let run = null;        // the run shown: { runId, state, failure, suggestions: [...] }
  let shown = null;      // the suggestion outlined on the picture
  let timer = 0;

  function say(text, bad) {
    line.className = bad ? 'error' : 'muted';
    line.textContent = text;
  }

  function clock(seconds) {
    const m = Math.floor(seconds / 60);
    return `${m}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;
  }

  async function problemOf(response) {
    try {
      const problem = await response.json();
      if (problem && problem.title) {
        return problem.title;
      }
    } catch {
      // not a problem document: the status says enough
    }
    return `${response.status} ${response.statusText}`;
  }

  function tell(name, detail) {
    card.dispatchEvent(new CustomEvent(name, { detail }));
  }

  function button(label, action, testid) {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = 'secondary';
    element.textContent = label;
    element.dataset.action = action;
    element.dataset.testid = testid;
    return element;
  }

  function item(suggestion, i) {
    const keys = suggestion.keyframes;
    const li = document.createElement('li');
    li.dataset.testid = 'suggestion';
    li.dataset.id = suggestion.suggestionId;
    li.dataset.decision = suggestion.decision || '';
    li.className = shown === suggestion ? 'selected' : '';
    const span = keys.length > 0 ? ` · ${clock(keys[0].t)}–${clock(keys[keys.length - 1].t)}` : '';
    const seen = suggestion.score != null ? ` · ${words['rd.seen-in']} ${suggestion.score}` : '';
    li.append(`${words['rd.' + suggestion.kind] || suggestion.kind} ${i + 1}${span}${seen} `);
    li.append(button(words['rd.show'], 'show', 'suggestion-show'));
    if (!suggestion.decision) {
      li.append(button(words['rd.accept'], 'accepted', 'suggestion-accept'), button(words['rd.reject'], 'rejected', 'suggestion-reject'));
    } else {
      const state = document.createElement('strong');
      state.dataset.testid = 'suggestion-decision';
      state.textContent = ` ${words['rd.decision.' + suggestion.decision] || suggestion.decision} `;
      li.append(state);
      if (suggestion.decision === 'accepted') {
        // Accepted for an earlier draft: the same region can go into the one being edited now.
        li.append(button(words['rd.add-again'], 'add', 'suggestion-add'));
      }
    }
    return li;
  }

  function render() {
    list.textContent = '';
    if (!run) {
      return;
    }
    switch (run.state) {
      case 'queued':
      case 'running':
        say(words['rd.looking'], false);
        break;
      case 'failed':
        say(`${words['rd.suggest-failed']} ${run.failure || ''}`, true);
        break;
      default:
        say(run.suggestions.length > 0 ? `${words['rd.found']} ${run.suggestions.length}` : words['rd.found-none'], false);
    }
    find.disabled = run.state === 'queued' || run.state === 'running';
    run.suggestions.forEach((suggestion, i) => list.appendChild(item(suggestion, i)));
  }

  function follow(next) {
    run = next;
    shown = null;
    tell('redact:highlight', null);
    render();
    window.clearTimeout(timer);
    if (run.state === 'queued' || run.state === 'running') {
      timer = window.setTimeout(poll, POLL_MS);
    }
  }

  async function poll() {
    const response = await fetch(`/api/v1/suggestion-runs/${run.runId}`, { credentials: 'same-origin' });
    if (!response.ok) {
      say(await problemOf(response), true);
      return;
    }
    follow(await response.json());
  }

  async function latest() {
    const response = await fetch(`/api/v1/recordings/${recordingId}/suggestion-runs/latest`, { credentials: 'same-origin' });
    if (response.status === 404) {
      return;   // never asked for this recording
    }
    if (!response.ok) {
      say(await problemOf(response), true);
      return;
    }
    follow(await response.json());
  }

  async function ask() {
    find.disabled = true;
    const response = await fetch(`/api/v1/recordings/${recordingId}/suggestion-runs`, {
      method: 'POST', credentials: 'same-origin', headers: { 'RequestVerificationToken': token },
    });
    if (!response.ok) {
      find.disabled = false;
      say(await problemOf(response), true);
      return;
    }
    const accepted = await response.json();
    run = { runId: accepted.runId, state: accepted.state, suggestions: [] };
    render();
    timer = window.setTimeout(poll, POLL_MS);
  }

  function show(suggestion) {
    shown = suggestion;
    tell('redact:highlight', { shape: 'rect', keyframes: suggestion.keyframes });
    if (video && !video.hidden && suggestion.keyframes.length > 0) {
      video.pause();
      video.currentTime = suggestion.keyframes[0].t;
    }
    render();
  }

  async function decide(suggestion, decision) {
    const response = await fetch(`/api/v1/redaction-suggestions/${suggestion.suggestionId}/decision`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'RequestVerificationToken': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision }),
    });
    if (!response.ok) {
      say(await problemOf(response), true);
      return;
    }
    suggestion.decision = decision;
    if (decision === 'accepted') {
      tell('redact:add-region', { shape: 'rect', keyframes: suggestion.keyframes });
    }
    if (shown === suggestion) {
      shown = null;
      tell('redact:highlight', null);
    }
    render();
  }

  list.addEventListener('click', (event) => {
    const target = event.target.closest('button[data-action]');
    if (!target || !run) {
      return;
    }
    const suggestion = run.suggestions.find((s) => s.suggestionId === target.closest('li').dataset.id);
    if (!suggestion) {
      return;
    }
    switch (target.dataset.action) {
      case 'show':
        show(suggestion);
        break;
      case 'add':
        tell('redact:add-region', { shape: 'rect', keyframes: suggestion.keyframes });
        break;
      default:
        decide(suggestion, target.dataset.action);
    }
  });
  find.addEventListener('click', ask);
  latest();
})();
