// digitflow page: uploads, drawing, polling for results, history. Every user-provided string is
// written with textContent, never innerHTML, so file names cannot inject markup.
(function () {
  'use strict';
  const results = document.getElementById('results');
  const message = document.getElementById('message');
  const template = document.getElementById('result-template');

  function showError(text) { message.textContent = text; }

  async function upload(files) {
    showError('');
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const started = performance.now();
    let response;
    try {
      response = await fetch('/api/images', { method: 'POST', body: form });
    } catch (e) {
      showError('Upload failed: ' + e.message);
      return;
    }
    const body = await response.json().catch(() => ({ error: 'unexpected answer from the server' }));
    if (response.status === 401) {
      showError('Log in first (reload the page).');
      return;
    }
    if (response.status !== 202) {
      showError(body.error || ('Upload refused (' + response.status + ')'));
      return;
    }
    for (const item of body) {
      const card = addCard(item.name);
      card.dataset.id = item.id;
      poll(item.id, card, started);
    }
  }

  function addCard(name) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.querySelector('.name').textContent = name;
    card.querySelector('.status').textContent = 'queued…';
    results.prepend(card);
    return card;
  }

  // Polls until the result is there. A failed answer (the results database restarting, a network
  // hiccup) is shown on the card and polling goes on; only an unknown id or a lost login stop it.
  async function poll(id, card, started) {
    const status = card.querySelector('.status');
    for (let attempt = 0; attempt < 600; attempt++) {
      let response = null;
      try {
        response = await fetch('/api/predictions/' + encodeURIComponent(id));
      } catch (e) {
        status.textContent = 'waiting: the server does not answer…';
      }
      if (response !== null) {
        if (response.status === 200) {
          showResult(card, await response.json(), performance.now() - started);
          refreshHistory();
          return;
        }
        if (response.status === 422) {
          const body = await response.json();
          card.classList.add('rejected');
          card.querySelector('.digit').textContent = '✕';
          status.textContent = 'rejected: ' + explain(body.reason);
          refreshHistory();
          return;
        }
        if (response.status === 404 || response.status === 401) {
          status.textContent = response.status === 401 ? 'log in again to see the result' : 'unknown upload';
          return;
        }
        if (response.status === 202) {
          status.textContent = 'queued…';
        } else {
          status.textContent = 'waiting: results unavailable (' + response.status + '), retrying…';
        }
      }
      await new Promise(r => setTimeout(r, attempt < 20 ? 150 : 500));
    }
    status.textContent = 'still waiting — is the stream running?';
  }

  function explain(reason) {
    return ({
      not_an_image: 'this file is not an image',
      truncated: 'the file is truncated',
      too_large: 'the image is too large (over 40 megapixels)',
      no_ink: 'no digit found — the image looks blank',
      unsupported: 'this image format variant is not supported'
    })[reason] || reason;
  }

  function showResult(card, p, elapsedMs) {
    card.dataset.predicted = p.predicted;
    card.querySelector('.digit').textContent = String(p.predicted);
    card.querySelector('.status').textContent =
      (100 * p.confidence).toFixed(1) + '% · model ' + p.model_version + ' · ' + Math.round(elapsedMs) + ' ms upload→result';
    const bars = card.querySelector('.bars');
    bars.textContent = '';
    bars.setAttribute('aria-label', 'probability per digit: ' + (p.probabilities || [])
      .map((v, digit) => digit + ' ' + Math.round(100 * v) + '%').join(', '));
    (p.probabilities || []).forEach((v, digit) => {
      const bar = document.createElement('div');
      bar.className = 'bar' + (digit === p.predicted ? ' top' : '');
      bar.style.height = Math.max(1, Math.round(v * 100)) + '%';
      bar.title = digit + ': ' + (100 * v).toFixed(1) + '%';
      const label = document.createElement('span');
      label.textContent = String(digit);
      bar.appendChild(label);
      bars.appendChild(bar);
    });
    const correction = card.querySelector('.correction');
    correction.textContent = '';
    correction.appendChild(correctionControl(p));
  }

  // ---- corrections: "wrong?" opens a choice of the right digit, sent as the image's label; the
  // trainer learns from these (train --feedback). Plain buttons and a select: all keyboard-usable.
  let openCorrections = 0;
  function correctionControl(p) {
    const box = document.createElement('span');
    box.className = 'correction';
    function showLabel(label) {
      box.textContent = '';
      const done = document.createElement('span');
      done.className = 'done';
      done.textContent = label === p.predicted ? 'confirmed ' + label : 'corrected to ' + label;
      box.appendChild(done);
      box.appendChild(change(label));
    }
    function change(label) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'secondary';
      b.textContent = label === undefined ? 'Wrong?' : 'Change';
      b.setAttribute('aria-label', (label === undefined ? 'Mark wrong: ' : 'Change the label of ') + p.name);
      b.addEventListener('click', () => { openChoice(label); });
      return b;
    }
    function openChoice(label) {
      openCorrections++;
      box.textContent = '';
      const select = document.createElement('select');
      select.setAttribute('aria-label', 'the right digit for ' + p.name);
      for (let d = 0; d <= 9; d++) {
        const o = document.createElement('option');
        o.value = String(d);
        o.textContent = String(d);
        select.appendChild(o);
      }
      select.value = String(label !== undefined ? label : (p.predicted + 1) % 10);
      const save = document.createElement('button');
      save.type = 'button';
      save.textContent = 'Save';
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'secondary';
      cancel.textContent = 'Cancel';
      const note = document.createElement('span');
      note.setAttribute('role', 'status');
      function close() { openCorrections = Math.max(0, openCorrections - 1); }
      cancel.addEventListener('click', () => { close(); render(label); });
      save.addEventListener('click', async () => {
        save.disabled = true;
        note.textContent = 'saving…';
        const digit = Number(select.value);
        let response;
        try {
          response = await fetch('/api/predictions/' + encodeURIComponent(p.id) + '/label', {
            method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ digit: digit, source: 'page' })
          });
        } catch (e) {
          note.textContent = 'not saved: the server does not answer';
          save.disabled = false;
          return;
        }
        if (response.status !== 200) {
          const body = await response.json().catch(() => ({}));
          note.textContent = 'not saved: ' + (body.error || response.status);
          save.disabled = false;
          return;
        }
        close();
        p.label = digit;
        render(digit);
        box.querySelector('button').focus();
      });
      box.append('right digit:', select, save, cancel, note);
      select.focus();
    }
    function render(label) {
      if (label === undefined || label === null) {
        box.textContent = '';
        box.appendChild(change(undefined));
      } else {
        showLabel(label);
      }
    }
    render(p.label);
    return box;
  }
  // ---- upload by picking or dropping
  const input = document.getElementById('file-input');
  input.addEventListener('change', () => { if (input.files.length) upload(input.files); input.value = ''; });
  const zone = document.getElementById('drop-zone');
  ['dragenter', 'dragover'].forEach(t => zone.addEventListener(t, e => { e.preventDefault(); zone.classList.add('over'); }));
  ['dragleave', 'drop'].forEach(t => zone.addEventListener(t, e => { e.preventDefault(); zone.classList.remove('over'); }));
  zone.addEventListener('drop', e => { if (e.dataTransfer.files.length) upload(e.dataTransfer.files); });

  // ---- drawing: strokes on a transparent canvas, like people draw on tablets
  const canvas = document.getElementById('canvas');
  const ctx = canvas.getContext('2d');
  let drawing = false;
  let drawn = false;
  function point(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  }
  canvas.addEventListener('pointerdown', e => {
    drawing = true; drawn = true; canvas.setPointerCapture(e.pointerId);
    ctx.lineWidth = 18; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#111';
    ctx.beginPath(); ctx.moveTo(...point(e)); ctx.lineTo(...point(e)); ctx.stroke();
  });
  canvas.addEventListener('pointermove', e => { if (drawing) { ctx.lineTo(...point(e)); ctx.stroke(); } });
  ['pointerup', 'pointercancel'].forEach(t => canvas.addEventListener(t, () => { drawing = false; }));
  document.getElementById('clear').addEventListener('click', () => { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
  document.getElementById('recognise').addEventListener('click', () => {
    if (!drawn) { showError('Draw a digit first.'); return; }
    canvas.toBlob(blob => upload([new File([blob], 'drawing.png', { type: 'image/png' })]), 'image/png');
  });

  // ---- history and counts per digit
  async function refreshHistory() {
    if (openCorrections > 0) return; // a rebuild would take the choice from under the person
    let rows;
    try {
      const response = await fetch('/api/predictions?limit=100');
      if (response.status !== 200) {
        document.getElementById('history-note').textContent = '(results database unavailable)';
        return;
      }
      rows = await response.json();
    } catch (e) { return; }
    document.getElementById('history-note').textContent = '(last ' + rows.length + ')';
    const counts = new Array(10).fill(0);
    const body = document.querySelector('#history tbody');
    body.textContent = '';
    rows.forEach(p => {
      if (p.status === 'ok') counts[p.predicted]++;
      const tr = document.createElement('tr');
      const cells = [new Date(p.uploaded_at).toLocaleTimeString(), p.name,
        p.status === 'ok' ? String(p.predicted) : 'rejected: ' + p.reason,
        p.status === 'ok' ? (100 * p.confidence).toFixed(1) + '%' : '', p.source, p.model_version];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        if (i === 1) td.className = 'name';
        td.textContent = text;
        tr.appendChild(td);
      });
      const td = document.createElement('td');
      if (p.status === 'ok') td.appendChild(correctionControl(p));
      tr.appendChild(td);
      body.appendChild(tr);
    });
    const countBox = document.getElementById('counts');
    countBox.textContent = '';
    counts.forEach((n, digit) => {
      const d = document.createElement('div');
      const b = document.createElement('b');
      b.textContent = String(digit);
      d.appendChild(b);
      d.appendChild(document.createTextNode(String(n)));
      countBox.appendChild(d);
    });
  }
  // ---- the service line: the model in use and whether the stream keeps up (GET /healthz)
  async function refreshService() {
    const line = document.getElementById('service');
    let response, body;
    try {
      response = await fetch('/healthz');
      body = await response.json();
    } catch (e) {
      line.textContent = 'the server does not answer';
      line.className = 'degraded';
      return;
    }
    if (response.status !== 200) {
      line.textContent = 'unavailable: ' + (body.reason || response.status);
      line.className = 'degraded';
      return;
    }
    const s = body.stream || {};
    const text = {
      ok: 'scoring' + (s.backlog_files ? ', ' + s.backlog_files + ' waiting' : ''),
      behind: 'behind: ' + s.backlog_files + ' files waiting, the oldest for ' + s.oldest_waiting_seconds + ' s',
      stale: 'the stream has not reported for ' + s.heartbeat_age_seconds + ' s; uploads are kept and scored when it is back',
      absent: 'no stream has run yet; uploads are kept and scored when it starts'
    }[s.state] || s.state;
    const recent = s.files_last_5_minutes === undefined ? '' : ' · ' + s.files_last_5_minutes + ' files scored in the last 5 minutes';
    line.textContent = (s.model_version ? 'model ' + s.model_version + ' · ' : '') + 'stream ' + text + recent;
    line.className = body.status === 'ok' ? 'ok' : 'degraded';
  }
  refreshService();
  refreshHistory();
  setInterval(refreshService, 5000);
  setInterval(refreshHistory, 5000);
}());
