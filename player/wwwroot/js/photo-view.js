// Zoom and rotation of a photo's viewing. Standard DOM only, like player.js, which shows the photo in an
// <img id="photo"> once a viewing's session exists ('player:session' with still: true on the player's root)
// and takes it away when the viewing ends ('player:ended'). Nothing is fetched here: the same picture of
// the same logged viewing is only laid out differently (its size and a CSS rotation), so a reviewer can
// read a plate or a document in a large photo, or turn one a recorder took sideways.
//
// The redaction editor draws over the photo as it is fitted on the page; while the view is zoomed or
// turned this says so ('player:view' with fitted: false) and the editor waits until it is fitted again.
(() => {
  'use strict';

  const root = document.querySelector('[data-player]');
  const controls = document.getElementById('still-controls');
  if (!root || !controls) {
    return;
  }

  const picture = document.getElementById('picture');
  const level = document.getElementById('still-zoom');
  const STEP = 1.25;
  const MIN_ZOOM = 0.05;
  const MAX_ZOOM = 8;     // eight screen pixels to a photo's pixel is as close as anything in it can be read

  let zoom = 0;           // screen pixels per photo pixel; 0: fitted as the page lays it out
  let turn = 0;           // degrees clockwise: 0, 90, 180, 270

  function photo() {
    return document.getElementById('photo');
  }

  /** The photo laid out as asked: sized to zoom × its pixels, turned, with the room the turn needs. */
  function apply() {
    const image = photo();
    if (!image) {
      return;
    }
    const fitted = zoom === 0 && turn === 0;
    picture.classList.toggle('still-view', !fitted);
    if (fitted) {
      image.removeAttribute('style');
    } else {
      const scale = zoom === 0 ? fitZoom(image) : zoom;
      const w = image.naturalWidth * scale;
      const h = image.naturalHeight * scale;
      const sideways = turn % 180 === 90;
      // A CSS rotation turns the box about its centre but leaves its room in the layout as it was: margins
      // give the turned picture its own width and height, so the frame scrolls over all of it.
      const dx = sideways ? (h - w) / 2 : 0;
      const dy = sideways ? (w - h) / 2 : 0;
      Object.assign(image.style, {
        maxWidth: 'none',
        maxHeight: 'none',
        width: `${w}px`,
        height: `${h}px`,
        margin: `${dy}px ${dx}px`,
        transform: `rotate(${turn}deg)`,
      });
    }
    level.textContent = zoom === 0 ? level.dataset.fit : `${Math.round(zoom * 100)} %`;
    controls.dataset.zoom = String(zoom);
    controls.dataset.turn = String(turn);
    root.dispatchEvent(new CustomEvent('player:view', { detail: { fitted } }));
  }

  /** The zoom at which the (turned) photo fits the frame's width and the page's height. */
  function fitZoom(image) {
    const sideways = turn % 180 === 90;
    const width = sideways ? image.naturalHeight : image.naturalWidth;
    const height = sideways ? image.naturalWidth : image.naturalHeight;
    const room = Math.max(1, picture.clientWidth);
    return Math.min(1, room / width, (window.innerHeight * 0.6) / height);
  }

  function zoomBy(factor) {
    const image = photo();
    if (!image || !image.naturalWidth) {
      return;
    }
    const from = zoom === 0 ? fitZoom(image) : zoom;
    zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, from * factor));
    apply();
  }

  function reset() {
    zoom = 0;
    turn = 0;
    apply();
  }

  controls.addEventListener('click', (event) => {
    const target = event.target.closest('button[data-view]');
    if (!target) {
      return;
    }
    switch (target.dataset.view) {
      case 'in':
        zoomBy(STEP);
        break;
      case 'out':
        zoomBy(1 / STEP);
        break;
      case 'actual':
        zoom = 1;
        apply();
        break;
      case 'left':
        turn = (turn + 270) % 360;
        apply();
        break;
      case 'right':
        turn = (turn + 90) % 360;
        apply();
        break;
      default:
        reset();
    }
  });

  root.addEventListener('player:session', (event) => {
    controls.hidden = !event.detail.still;
    reset();
  });
  root.addEventListener('player:ended', () => {
    controls.hidden = true;
    reset();
  });
})();
