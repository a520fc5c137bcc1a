/* The playground page: picks or reads a record, asks the service to evaluate it, renders the answer, sends feedback. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const status = $('status');

  function say(text, isError) {
    status.textContent = text;
    status.className = 'status' + (isError ? ' error' : '');
  }

  async function problemOf(response) {
    try {
      const outcome = await response.json();
      const issue = outcome.issue && outcome.issue[0];
      return (issue && (issue.diagnostics || (issue.details && issue.details.text))) || response.statusText;
    } catch (e) {
      return response.status + ' ' + response.statusText;
    }
  }

  // A link can preselect the form and run it: ?sample=05-hiv-test-missing&hook=order-sign&start=2026-12-07&run
  const query = new URLSearchParams(window.location.search);
  ['hook', 'start', 'course', 'profile'].forEach((name) => { if (query.get(name)) $(name).value = query.get(name); });

  fetch('samples').then((r) => r.json()).then((samples) => {
    samples.forEach((sample) => $('sample').appendChild(new Option(sample.label, sample.name)));
    if (query.get('sample')) $('sample').value = query.get('sample');
    if (query.has('run')) $('form').requestSubmit();
  }).catch(() => say('Sample patients could not be loaded.', true));

  $('file').addEventListener('change', () => {
    const file = $('file').files[0];
    if (!file) return;
    file.text().then((text) => { $('record').value = text; $('sample').value = ''; });
  });
  $('record').addEventListener('input', () => { if ($('record').value.trim()) $('sample').value = ''; });

  function sendFeedback(serviceId, item) {
    return fetch('../cds-services/' + encodeURIComponent(serviceId) + '/feedback', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ feedback: [item] }),
    }).then(async (response) => { if (!response.ok) throw new Error(await problemOf(response)); });
  }

  $('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      hook: $('hook').value,
      start: $('start').value || null,
      course: Number($('course').value) || 1,
      profile: $('profile').value || null,
      premedication: $('premedication').checked,
    };
    if ($('sample').value) body.sample = $('sample').value; else body.record = $('record').value;
    if (!body.sample && !body.record.trim()) { say('Pick a sample patient, or paste or upload a record.', true); return; }
    say('Evaluating…');
    $('evaluate').disabled = true;
    try {
      const response = await fetch('evaluate', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      if (!response.ok) { say(await problemOf(response), true); $('result').innerHTML = ''; return; }
      const page = await response.json();
      say('Patient ' + page.patientId + ', ' + page.hook + '.');
      AlemCards.renderResult($('result'), page, { onFeedback: (card, item) => sendFeedback(page.serviceId, item) });
    } catch (e) {
      say('The service did not answer: ' + e.message, true);
    } finally {
      $('evaluate').disabled = false;
    }
  });
})();
