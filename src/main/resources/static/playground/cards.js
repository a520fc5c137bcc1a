/*
 * Renders a CDS Hooks answer as an EHR shows it: one card per box with the indicator's colour, the summary, the
 * markdown detail, the source, links, suggestion buttons and override reasons; then the explanation table.
 * Used by the playground page and, inlined, by the `evaluate --format html` report. No dependencies.
 */
(function (global) {
  'use strict';

  const URGENCY = ['critical', 'warning', 'info'];
  const EXPLANATION = 'org.alemcds.explanation';

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === undefined || value === null) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'html') node.innerHTML = value;
      else if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
      else node.setAttribute(name, value);
    });
    (children || []).forEach((child) => child && node.appendChild(child));
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  /** Inline markdown of already escaped text: links (http/https only), bold, italics, code. */
  function inline(text) {
    return text
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
      .replace(/`([^`]+)`/g, '<code>$1</code>');
  }

  /** The markdown that card details use: paragraphs, headings, lists, tables, emphasis, links. HTML is escaped. */
  function markdown(source) {
    const lines = escapeHtml(source || '').split('\n');
    const out = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) { i++; continue; }
      const heading = /^(#{1,4})\s+(.*)$/.exec(line);
      if (heading) {
        const level = Math.min(heading[1].length + 3, 6);
        out.push(`<h${level}>${inline(heading[2])}</h${level}>`);
        i++;
      } else if (/^\s*\|/.test(line)) {
        const rows = [];
        while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(lines[i++]);
        const cells = (row) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => inline(c.trim()));
        const body = rows.filter((row) => !/^\s*\|?\s*:?-{2,}/.test(row));
        const head = body.shift();
        out.push('<table class="md"><thead><tr>' + cells(head).map((c) => `<th>${c}</th>`).join('') + '</tr></thead><tbody>'
          + body.map((row) => '<tr>' + cells(row).map((c) => `<td>${c}</td>`).join('') + '</tr>').join('')
          + '</tbody></table>');
      } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
        const ordered = /^\s*\d+\./.test(line);
        const items = [];
        while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i])) {
          items.push(inline(lines[i++].replace(/^\s*([-*]|\d+\.)\s+/, '')));
        }
        const tag = ordered ? 'ol' : 'ul';
        out.push(`<${tag}>` + items.map((item) => `<li>${item}</li>`).join('') + `</${tag}>`);
      } else {
        const paragraph = [];
        while (i < lines.length && lines[i].trim() && !/^\s*(\||[-*]\s|\d+\.\s|#)/.test(lines[i])) paragraph.push(lines[i++]);
        if (!paragraph.length) paragraph.push(lines[i++]);
        out.push('<p>' + inline(paragraph.join(' ')) + '</p>');
      }
    }
    return out.join('');
  }

  function ruleIdOf(card) {
    return card.source && card.source.topic ? card.source.topic.code : '';
  }

  /**
   * One card. options.onFeedback(card, item) is called with a CDS Hooks feedback item when the user accepts a
   * suggestion or dismisses the card with a reason; without it the buttons are shown but disabled.
   */
  function renderCard(card, options) {
    const canSend = typeof options.onFeedback === 'function';
    const status = el('div', { class: 'feedback-status', role: 'status' });
    const send = (item, what) => {
      if (!canSend) return;
      item.card = card.uuid;
      item.outcomeTimestamp = new Date().toISOString();
      status.textContent = 'Sending…';
      Promise.resolve(options.onFeedback(card, item))
        .then(() => { status.textContent = what; box.classList.add('answered'); })
        .catch((e) => { status.textContent = 'Feedback not sent: ' + e.message; });
    };
    const source = card.source || {};
    const sourceLine = el('div', { class: 'source' }, [
      document.createTextNode('Source: '),
      source.url ? el('a', { href: source.url, target: '_blank', rel: 'noopener', text: source.label }) : el('span', { text: source.label || '' }),
      ruleIdOf(card) ? el('span', { class: 'rule-id', text: ' · ' + ruleIdOf(card) }) : null,
    ]);
    const suggestions = (card.suggestions || []).map((suggestion) => el('button', {
      type: 'button', class: 'suggestion', 'data-uuid': suggestion.uuid, disabled: canSend ? null : 'disabled',
      text: suggestion.label,
      onclick: () => send({ outcome: 'accepted', acceptedSuggestions: [{ id: suggestion.uuid }] }, 'Accepted: ' + suggestion.label),
    }));
    const links = (card.links || []).map((link) => el('a', { class: 'link', href: link.url, target: '_blank', rel: 'noopener', text: link.label }));
    let override = null;
    if (card.overrideReasons && card.overrideReasons.length) {
      const select = el('select', { class: 'override-reason', 'aria-label': 'Override reason' },
        [el('option', { value: '', text: 'Dismiss: choose a reason…' })].concat(card.overrideReasons.map((reason, index) =>
          el('option', { value: String(index), text: reason.display || reason.code }))));
      const comment = el('input', { type: 'text', class: 'override-comment', placeholder: 'Comment (optional)', maxlength: '500' });
      const button = el('button', {
        type: 'button', class: 'override', disabled: canSend ? null : 'disabled', text: 'Dismiss',
        onclick: () => {
          const item = { outcome: 'overridden' };
          if (select.value !== '') item.overrideReason = { reason: card.overrideReasons[Number(select.value)] };
          if (comment.value.trim()) item.overrideReason = Object.assign(item.overrideReason || {}, { userComment: comment.value.trim() });
          send(item, 'Dismissed' + (select.value !== '' ? ': ' + select.options[select.selectedIndex].text : ''));
        },
      });
      override = el('div', { class: 'override-row' }, [select, comment, button]);
    }
    const box = el('article', { class: 'card ' + (card.indicator || 'info'), 'data-rule': ruleIdOf(card), 'data-uuid': card.uuid }, [
      el('header', {}, [el('span', { class: 'indicator', text: card.indicator }), el('h3', { class: 'summary', text: card.summary })]),
      card.detail ? el('div', { class: 'detail', html: markdown(card.detail) }) : null,
      sourceLine,
      links.length ? el('div', { class: 'links' }, links) : null,
      suggestions.length ? el('div', { class: 'suggestions' }, suggestions) : null,
      override,
      status,
    ]);
    return box;
  }

  function renderExplanation(explanation) {
    const rows = explanation.rules.map((rule) => {
      const inputs = rule.inputs.filter((input) => input.value !== null);
      const list = el('ul', { class: 'inputs' }, inputs.map((input) => el('li', {}, [
        el('code', { text: input.definition }), document.createTextNode(' = ' + input.value)])));
      return el('tr', { class: rule.fired ? 'fired ' + rule.indicator : 'silent', 'data-rule': rule.ruleId }, [
        el('td', { class: 'rule', text: rule.ruleId }),
        el('td', { class: 'outcome', text: rule.fired ? rule.indicator : 'silent' }),
        el('td', {}, [list]),
      ]);
    });
    const fired = explanation.rules.filter((rule) => rule.fired).length;
    return el('section', { class: 'explanation' }, [
      el('h2', { text: `Why: ${explanation.rules.length} rules, ${fired} fired` }),
      el('table', { class: 'explain' }, [
        el('thead', {}, [el('tr', {}, [el('th', { text: 'Rule' }), el('th', { text: 'Result' }), el('th', { text: 'Values the rule read (CQL definitions)' })])]),
        el('tbody', {}, rows),
      ]),
    ]);
  }

  /** page: {serviceId, hook, patientId, notes, response: {cards, extension}} as the service's /playground/evaluate returns it. */
  function renderResult(container, page, options) {
    options = options || {};
    container.innerHTML = '';
    const cards = (page.response.cards || []).slice()
      .sort((a, b) => URGENCY.indexOf(a.indicator) - URGENCY.indexOf(b.indicator));
    const counts = URGENCY.map((i) => cards.filter((c) => c.indicator === i).length + ' ' + i).join(', ');
    container.appendChild(el('div', { class: 'notes' }, (page.notes || []).map((note) => el('p', { text: note }))));
    container.appendChild(el('h2', { class: 'cards-title', text: `${cards.length} cards (${counts}) from ${page.serviceId}` }));
    container.appendChild(el('div', { class: 'cards' }, cards.map((card) => renderCard(card, options))));
    const extension = page.response.extension || {};
    if (extension[EXPLANATION]) container.appendChild(renderExplanation(extension[EXPLANATION]));
  }

  global.AlemCards = { renderResult, renderCard, markdown };
})(window);
