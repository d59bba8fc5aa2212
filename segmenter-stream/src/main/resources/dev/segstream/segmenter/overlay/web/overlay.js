'use strict';
// The live overlay: each camera's latest frame with its mask blended in, in the browser, from the
// frame's own bytes and the mask's raw class indices (so what is shown is exactly frame + palette).

/** Weight of the class colour in the blend: shown = round((1 - ALPHA) * frame + ALPHA * colour). */
const ALPHA = 0.5;
/** Frames are drawn at an integer scale, at least this wide, so class edges stay exact. */
const MIN_WIDTH = 360;

const palette = [];        // class index -> [r, g, b]
const views = new Map();   // camera id -> {figure, canvas, shownSeq, loading, pending}
let paused = false;
let firstFrameAt = null;

fetch('api/classes').then(r => r.json()).then(classes => {
  const legend = document.getElementById('legend');
  for (const c of classes) {
    palette[c.index] = c.rgb;
    const li = document.createElement('li');
    li.dataset.classIndex = c.index;
    li.innerHTML = `<span class="swatch" style="background:rgb(${c.rgb.join(',')})"></span>`;
    li.append(c.name);
    legend.append(li);
  }
  connect();
});

document.getElementById('pause').addEventListener('click', e => {
  paused = !paused;
  e.target.textContent = paused ? 'Resume' : 'Pause';
  e.target.setAttribute('aria-pressed', String(paused));
});

function connect() {
  const status = document.getElementById('connection');
  const events = new EventSource('events');
  events.onopen = () => { status.textContent = 'live'; status.className = 'live'; };
  events.onerror = () => { status.textContent = 'reconnecting'; status.className = 'lost'; };
  events.addEventListener('state', e => update(JSON.parse(e.data)));
}

function update(state) {
  document.getElementById('miou').textContent =
      state.live_miou === null ? 'no labels yet' : state.live_miou.toFixed(3);
  for (const cam of state.cameras) {
    const view = views.get(cam.camera) || addView(cam.camera);
    caption(view, cam);
    if (cam.seq > view.shownSeq && !paused) {
      view.pending = cam;
      if (!view.loading) {
        load(view);
      }
    }
  }
}

function addView(camera) {
  document.getElementById('waiting')?.remove();
  const figure = document.createElement('figure');
  figure.className = 'camera';
  figure.dataset.camera = camera;
  const canvas = document.createElement('canvas');
  figure.append(canvas, document.createElement('figcaption'));
  const main = document.getElementById('cameras');
  const after = [...main.children].find(f => f.dataset.camera > camera);
  main.insertBefore(figure, after || null);
  const view = {figure, canvas, shownSeq: 0, loading: false, pending: null};
  views.set(camera, view);
  return view;
}

function caption(view, cam) {
  view.figure.querySelector('figcaption').innerHTML = `<span class="name"></span><dl>
    <dt>model</dt><dd class="model"></dd><dt>latency</dt><dd class="latency"></dd>
    <dt>frames/s</dt><dd class="fps"></dd><dt>frame</dt><dd class="frame-id"></dd></dl>`;
  const set = (cls, text) => { view.figure.querySelector('.' + cls).textContent = text; };
  set('name', cam.camera);
  set('model', `${cam.variant} ${cam.version}`);
  set('latency', `${cam.latency_ms} ms frame to mask`);
  set('fps', cam.fps.toFixed(1));
  set('frame-id', view.figure.dataset.frameId || cam.frame_id);
}

/** Fetches the newest announced frame and its mask, blends, draws; then the next one if newer came. */
async function load(view) {
  const cam = view.pending;
  view.pending = null;
  view.loading = true;
  try {
    const [image, mask] = await Promise.all([
      fetch(`api/frames/${cam.seq}/image`).then(r => r.ok ? r.blob() : Promise.reject(r.status))
          .then(b => createImageBitmap(b, {colorSpaceConversion: 'none', premultiplyAlpha: 'none'})),
      fetch(`api/frames/${cam.seq}/mask`).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))]);
    if (!paused) {
      draw(view, cam, image, new Uint8Array(mask));
    }
  } catch (e) {
    // the frame was dropped from the server's short history: the next event brings a newer one
  } finally {
    view.loading = false;
    if (view.pending && view.pending.seq > view.shownSeq && !paused) {
      load(view);
    }
  }
}

function draw(view, cam, image, classes) {
  const {width, height} = cam;
  const canvas = view.canvas;
  canvas.width = width;
  canvas.height = height;
  const scale = Math.max(1, Math.ceil(MIN_WIDTH / width));
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const pixels = ctx.getImageData(0, 0, width, height);
  const d = pixels.data;
  for (let i = 0; i < classes.length; i++) {
    const colour = palette[classes[i]] || [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      d[4 * i + k] = Math.round((1 - ALPHA) * d[4 * i + k] + ALPHA * colour[k]);
    }
    d[4 * i + 3] = 255;
  }
  ctx.putImageData(pixels, 0, 0);
  view.shownSeq = cam.seq;
  Object.assign(view.figure.dataset, {seq: cam.seq, frameId: cam.frame_id, scale});
  view.figure.querySelector('.frame-id').textContent = cam.frame_id;
  if (firstFrameAt === null) {
    firstFrameAt = performance.now();
    document.body.dataset.firstFrameMs = Math.round(firstFrameAt);
  }
}
