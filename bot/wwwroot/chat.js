// Local chat page of CommunityBot: pick a demo conversation and speaker, post messages to
// POST /api/local/messages and long-poll the conversation's mailbox for everything said in it.
// Every message text goes into the DOM through textContent, never innerHTML: it is untrusted input.
(function () {
  'use strict';

  const EXAMPLES = ['物业电话多少', '垃圾分类怎么分', '长者食堂几点开饭', '我要投诉', '帮助'];
  const POLL_WAIT_SECONDS = 25;
  const MAX_BACKOFF_MS = 30000;

  const state = {
    demo: null,
    botName: '小灵通',
    kind: 'group',        // 'group' or 'private'
    speaker: 'zhang',
    mention: true,        // add @bot to what is sent in the group
    watermark: 0,
    lastSeq: 0,
    generation: 0,        // bumped on every switch; a poll of an older generation stops
    controller: null,
    pending: 0,
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $('status'),
    conversations: $('conversation-list'),
    speakers: $('speaker-list'),
    title: $('chat-title'),
    hint: $('chat-hint'),
    messages: $('messages'),
    examples: $('examples'),
    form: $('composer-form'),
    mention: $('mention-chip'),
    input: $('input'),
    photo: $('photo'),
    send: $('send'),
    notice: $('notice'),
  };

  function isWebUrl(value) {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch (e) {
      return false;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function newMessageId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return 'web-' + window.crypto.randomUUID();
    }
    return 'web-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function mentionText() {
    return '@' + state.botName + ' ';
  }

  function resident(userId) {
    return state.demo.residents.find((r) => r.userId === userId) || state.demo.residents[0];
  }

  function currentConversation() {
    const list = state.demo.conversations;
    if (state.kind === 'group') return list.find((c) => c.isGroup);
    return list.find((c) => !c.isGroup && c.members.indexOf(state.speaker) >= 0);
  }

  function isGroup() {
    return state.kind === 'group';
  }

  function remember() {
    try {
      localStorage.setItem('communitybot.webchat', JSON.stringify({ kind: state.kind, speaker: state.speaker }));
    } catch (e) { /* private mode: choices are simply not kept */ }
  }

  function restore() {
    try {
      const saved = JSON.parse(localStorage.getItem('communitybot.webchat') || 'null');
      if (saved && (saved.kind === 'group' || saved.kind === 'private')) state.kind = saved.kind;
      if (saved && state.demo.residents.some((r) => r.userId === saved.speaker)) state.speaker = saved.speaker;
    } catch (e) { /* ignore a damaged entry */ }
  }

  // ---- status and notices -------------------------------------------------------------------

  function setStatus(kind, text) {
    ui.status.dataset.state = kind;
    ui.status.textContent = text;
  }

  let noticeTimer = 0;
  function showNotice(text, isError) {
    clearTimeout(noticeTimer);
    ui.notice.textContent = text;
    ui.notice.classList.toggle('error', !!isError);
    ui.notice.hidden = false;
    noticeTimer = setTimeout(() => { ui.notice.hidden = true; }, isError ? 10000 : 6000);
  }

  // ---- pickers ------------------------------------------------------------------------------

  function choice(label, detail, checked, onPick) {
    const button = el('button', 'choice');
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', checked ? 'true' : 'false');
    button.appendChild(el('span', null, label));
    if (detail) button.appendChild(el('small', null, detail));
    button.addEventListener('click', onPick);
    return button;
  }

  function renderPickers() {
    const group = state.demo.conversations.find((c) => c.isGroup);
    ui.conversations.replaceChildren(
      choice('业主群', group.name, isGroup(), () => pick('group', state.speaker)),
      choice('私聊', '与' + state.botName + '一对一', !isGroup(), () => pick('private', state.speaker)));
    ui.speakers.replaceChildren(...state.demo.residents.map((r) =>
      choice(r.userName, r.role || null, r.userId === state.speaker, () => pick(state.kind, r.userId))));
  }

  function pick(kind, speaker) {
    if (kind === state.kind && speaker === state.speaker) return;
    state.kind = kind;
    state.speaker = speaker;
    remember();
    renderPickers();
    openConversation();
  }

  // ---- composer -----------------------------------------------------------------------------

  function setMention(on) {
    state.mention = on;
    ui.mention.setAttribute('aria-pressed', on ? 'true' : 'false');
    const prefix = mentionText();
    const value = ui.input.value;
    if (on && isGroup() && !hasMention(value)) {
      ui.input.value = prefix + value;
    } else if (!on && value.startsWith(prefix)) {
      ui.input.value = value.slice(prefix.length);
    }
    autosize();
  }

  function hasMention(text) {
    return text.indexOf('@' + state.botName) >= 0 || text.indexOf('＠' + state.botName) >= 0;
  }

  function resetInput() {
    ui.input.value = isGroup() && state.mention ? mentionText() : '';
    autosize();
  }

  // On a switch the draft stays; only the @mention prefix follows the kind of conversation.
  function keepDraft() {
    const prefix = mentionText();
    let draft = ui.input.value;
    if (draft.startsWith(prefix)) draft = draft.slice(prefix.length);
    ui.input.value = (isGroup() && state.mention ? prefix : '') + draft;
    autosize();
  }

  function autosize() {
    ui.input.style.height = 'auto';
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 160) + 'px';
  }

  function renderExamples() {
    ui.examples.replaceChildren(...EXAMPLES.map((text) => {
      const chip = el('button', 'chip', text);
      chip.type = 'button';
      chip.title = '发送“' + text + '”';
      chip.addEventListener('click', () => {
        send((isGroup() && state.mention ? mentionText() : '') + text, null);
      });
      return chip;
    }));
  }

  async function send(text, buttonValue, imageUrl) {
    if (!buttonValue && !imageUrl && !text.trim()) return;
    const conversation = currentConversation();
    const speaker = resident(state.speaker);
    const body = {
      conversationId: conversation.id,
      userId: speaker.userId,
      userName: speaker.userName,
      isGroup: conversation.isGroup,
      text: text,
      messageId: newMessageId(),
    };
    if (buttonValue) body.buttonValue = buttonValue;
    if (imageUrl) body.imageUrl = imageUrl;

    const addressed = !conversation.isGroup || !!buttonValue || hasMention(text);
    state.pending++;
    updateSending(addressed);
    try {
      const response = await postWithRetry(body);
      if (response.status === 202) {
        const result = await response.json();
        if (result.outcome === 'ignored' && conversation.isGroup) {
          showNotice('提示：在群里要 @' + state.botName + '，它才会回复。', false);
        } else if (result.outcome === 'duplicate') {
          showNotice('这条消息已经发送过了。', false);
        }
      } else {
        showNotice(await problemText(response), true);
      }
    } catch (e) {
      showNotice('发送失败：连不上服务，请确认 dotnet run 仍在运行。', true);
    } finally {
      state.pending--;
      updateSending(false);
    }
  }

  // One retry on a network error: the same messageId lets the server recognise a repeated post.
  async function postWithRetry(body) {
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    };
    try {
      return await fetch('/api/local/messages', init);
    } catch (e) {
      await sleep(1000);
      return fetch('/api/local/messages', init);
    }
  }

  async function problemText(response) {
    try {
      const problem = await response.json();
      if (problem && problem.detail) return problem.detail;
    } catch (e) { /* not a ProblemDetails body */ }
    return '发送失败（HTTP ' + response.status + '）。';
  }

  let typingNode = null;
  function updateSending(botIsThinking) {
    if (botIsThinking && !typingNode) {
      typingNode = el('li', 'typing', state.botName + ' 正在处理…');
      ui.messages.appendChild(typingNode);
      scrollToEnd(true);
    } else if (state.pending === 0 && typingNode) {
      typingNode.remove();
      typingNode = null;
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  function clearMessages() {
    state.lastSeq = 0;
    typingNode = null;
    const empty = el('li', 'empty');
    empty.appendChild(el('div', null, isGroup()
      ? '这是幸福里小区业主群。以居民身份发言试试，记得 @' + state.botName + '。'
      : '这是你和' + state.botName + '的私聊，直接提问即可。'));
    empty.appendChild(el('div', null, '可以点下方的示例问题开始。'));
    ui.messages.replaceChildren(empty);
  }

  function formatTime(at) {
    const date = new Date(at);
    if (isNaN(date.getTime())) return '';
    return date.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
  }

  function renderMessage(message) {
    if (message.seq <= state.lastSeq) return;
    state.lastSeq = message.seq;
    const empty = ui.messages.querySelector('.empty');
    if (empty) empty.remove();

    const fromBot = message.from === 'bot';
    const own = !fromBot && message.userId === state.speaker;
    const item = el('li', 'msg ' + (fromBot ? 'bot' : own ? 'own' : 'other'));
    const name = message.userName || message.userId || '';
    item.appendChild(el('div', 'avatar', Array.from(name)[0] || '?'));

    const body = el('div', 'body');
    const meta = el('div', 'meta', own ? formatTime(message.at) : name + '  ' + formatTime(message.at));
    if (fromBot) meta.appendChild(el('span', 'tag', '助手'));
    body.appendChild(meta);

    const bubble = el('div', 'bubble');
    if (message.title) bubble.appendChild(el('strong', 'title', message.title));
    if (message.text) bubble.appendChild(document.createTextNode(message.text));
    for (const image of message.images || []) {
      // Only http(s) pictures: a javascript: or data: address is never put into the page.
      if (!isWebUrl(image.url)) continue;
      const link = el('a', 'photo-link');
      link.href = image.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      const img = el('img', 'photo');
      img.src = image.url;
      img.alt = image.name || '照片';
      img.loading = 'lazy';
      img.referrerPolicy = 'no-referrer';
      link.appendChild(img);
      bubble.appendChild(link);
    }
    body.appendChild(bubble);

    if (message.buttons && message.buttons.length) {
      const buttons = el('div', 'buttons');
      for (const action of message.buttons) {
        const chip = el('button', 'chip', action.title);
        chip.type = 'button';
        chip.addEventListener('click', () => send(action.title, action.value));
        buttons.appendChild(chip);
      }
      body.appendChild(buttons);
    }
    item.appendChild(body);

    const nearEnd = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 80;
    if (typingNode) {
      ui.messages.insertBefore(item, typingNode);
    } else {
      ui.messages.appendChild(item);
    }
    scrollToEnd(nearEnd || own);
  }

  function scrollToEnd(really) {
    if (really) ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  // ---- long poll ----------------------------------------------------------------------------

  function openConversation() {
    state.generation++;
    if (state.controller) state.controller.abort();
    state.watermark = 0;
    clearMessages();

    const conversation = currentConversation();
    const speaker = resident(state.speaker);
    ui.title.textContent = conversation.isGroup
      ? conversation.name + '（' + conversation.members.length + ' 位居民 + ' + state.botName + '）'
      : speaker.userName + ' 与 ' + state.botName + ' 的私聊';
    ui.hint.textContent = conversation.isGroup
      ? '群聊中，助手只在被 @' + state.botName + ' 时回答（或你正在和它办一件事时）。当前身份：' + speaker.userName
      : '私聊中，助手会回答每一条消息。当前身份：' + speaker.userName;
    ui.mention.hidden = !conversation.isGroup;
    keepDraft();
    poll(state.generation);
  }

  async function poll(generation) {
    let backoff = 1000;
    while (generation === state.generation) {
      const controller = new AbortController();
      state.controller = controller;
      const conversation = currentConversation();
      const url = '/api/local/conversations/' + encodeURIComponent(conversation.id) + '/messages'
        + '?after=' + state.watermark + '&wait=' + POLL_WAIT_SECONDS
        + '&userId=' + encodeURIComponent(state.speaker);
      try {
        const response = await fetch(url, { signal: controller.signal, cache: 'no-store' });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const page = await response.json();
        if (generation !== state.generation) return;
        if (page.watermark < state.watermark) {
          // The server restarted or forgot the conversation: it sent everything it has; start over.
          clearMessages();
        }
        page.messages.forEach(renderMessage);
        state.watermark = page.watermark;
        setStatus('online', '已连接');
        backoff = 1000;
      } catch (e) {
        if (generation !== state.generation || e.name === 'AbortError') return;
        setStatus('offline', '连接中断，' + Math.round(backoff / 1000) + ' 秒后重试…');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        if (generation === state.generation) setStatus('connecting', '重新连接中…');
      }
    }
  }

  // ---- start --------------------------------------------------------------------------------

  function wireComposer() {
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = ui.input.value;
      if (!text.trim() || text.trim() === mentionText().trim()) {
        ui.input.focus();
        return;
      }
      resetInput();
      ui.input.focus();
      send(text, null);
    });
    ui.input.addEventListener('keydown', (event) => {
      // Enter sends, Shift+Enter breaks the line; an IME composing Chinese also uses Enter, leave it alone.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        ui.form.requestSubmit();
      }
    });
    // A photo by its address, as a worker sends one with 办结 (the page keeps no files).
    ui.photo.addEventListener('click', () => {
      const url = (window.prompt('图片地址（http:// 或 https:// 开头），会和输入框里的文字一起发送：') || '').trim();
      if (!url) return;
      if (!isWebUrl(url)) {
        showNotice('图片地址需以 http:// 或 https:// 开头。', true);
        return;
      }
      const text = ui.input.value;
      resetInput();
      send(text, null, url);
    });
    ui.input.addEventListener('input', autosize);
    ui.mention.addEventListener('click', () => {
      setMention(!state.mention);
      ui.input.focus();
    });
  }

  async function start() {
    wireComposer();
    let backoff = 1000;
    for (;;) {
      try {
        const response = await fetch('/api/local/demo', { cache: 'no-store' });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        state.demo = await response.json();
        break;
      } catch (e) {
        setStatus('offline', '连不上服务，' + Math.round(backoff / 1000) + ' 秒后重试…');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    state.botName = state.demo.botName || state.botName;
    ui.mention.textContent = '@' + state.botName;
    restore();
    renderPickers();
    renderExamples();
    openConversation();
  }

  start();
})();
