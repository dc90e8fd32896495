/*
 * Klarity chat widget: one <script> tag embeds it.
 *
 *   <script src="https://assistant.example/widget/klarity-chat.js" defer
 *           data-assistant-url="https://assistant.example:5005"
 *           data-clinic-name="Klarity Clinic" data-primary-color="#1f4e79" data-text-color="#ffffff"></script>
 *
 * Every text from the user or the assistant is rendered as text, never as HTML. Phone numbers and
 * tel:/https: links become links built element by element. The clinic's phone and crisis lines come from
 * clinic.json beside this script, which the widget server renders from the clinic profile.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }
  var data = script.dataset;
  var assistantUrl = (data.assistantUrl || "http://localhost:5005").replace(/\/+$/, "");
  var widgetBase = new URL(".", script.src).href;
  var storageKey = "klarity-chat:" + assistantUrl;
  var REQUEST_TIMEOUT_MS = 20000;
  var MAX_MESSAGE_LENGTH = 2000;
  var LINK = /\[([^\]\n]{1,80})\]\(((?:tel:\+?\d{3,15})|(?:https?:\/\/[^\s)]{1,300}))\)|(\b1-\d{3}-\d{3}-\d{4}\b|\b\d{3}-\d{3}-\d{4}\b|\b988\b|\b911\b)/g;

  var clinic = { name: data.clinicName || "the clinic", phone: null, crisis: null };
  var state = loadState();

  function loadState() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
      if (saved && typeof saved.senderId === "string" && Array.isArray(saved.messages)) { return saved; }
    } catch (ignored) { /* a corrupt entry starts a new conversation */ }
    return { senderId: newConversationId(), messages: [], open: false };
  }

  function saveState() {
    try { sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (ignored) { /* storage full or off */ }
  }

  function newConversationId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function telHref(number) {
    var digits = number.replace(/\D/g, "");
    return "tel:" + (digits.length === 10 ? "+1" + digits : digits.length === 11 ? "+" + digits : digits);
  }

  /* Appends text to a node as paragraphs, turning only vetted links into <a> elements. */
  function renderText(node, text) {
    String(text).split("\n").forEach(function (line) {
      var paragraph = el("p");
      var last = 0;
      line.replace(LINK, function (match, label, href, phone, offset) {
        paragraph.appendChild(document.createTextNode(line.slice(last, offset)));
        var link = el("a", { href: href || telHref(phone) }, label || phone);
        if (/^https?:/.test(link.getAttribute("href"))) { link.setAttribute("target", "_blank"); link.setAttribute("rel", "noopener noreferrer"); }
        paragraph.appendChild(link);
        last = offset + match.length;
        return match;
      });
      paragraph.appendChild(document.createTextNode(line.slice(last)));
      node.appendChild(paragraph);
    });
  }

  /* ---- the page elements ---- */
  var root = el("div", { "class": "kc-root" });
  if (data.primaryColor) { root.style.setProperty("--kc-primary", data.primaryColor); root.style.setProperty("--kc-user", data.primaryColor); }
  if (data.textColor) { root.style.setProperty("--kc-on-primary", data.textColor); root.style.setProperty("--kc-on-user", data.textColor); }

  var panel = el("section", { "class": "kc-panel", id: "kc-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "kc-title" });
  panel.hidden = true;
  var header = el("div", { "class": "kc-header" });
  var title = el("h2", { "class": "kc-title", id: "kc-title" }, "Chat with " + clinic.name);
  var closeButton = el("button", { type: "button", "class": "kc-close", "aria-label": "Close chat" }, "\u2715");
  header.appendChild(title);
  header.appendChild(closeButton);

  var notice = el("p", { "class": "kc-notice", id: "kc-notice" }, "Automated assistant, not a clinician. Not monitored for emergencies. ");
  var noticeHelp = el("button", { type: "button", "aria-controls": "kc-crisis" }, "Need help now?");
  notice.appendChild(noticeHelp);

  var crisis = el("div", { "class": "kc-crisis", id: "kc-crisis", role: "region", "aria-label": "Crisis lines", tabindex: "-1" });
  crisis.hidden = true;

  var log = el("div", { "class": "kc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation" });
  var typing = el("p", { "class": "kc-typing", role: "status" });

  var form = el("form", { "class": "kc-form" });
  var inputLabel = el("label", { "for": "kc-input", "class": "kc-visually-hidden" }, "Type your message");
  var input = el("input", { id: "kc-input", "class": "kc-input", type: "text", autocomplete: "off", maxlength: String(MAX_MESSAGE_LENGTH), placeholder: "Type your question" });
  var sendButton = el("button", { type: "submit", "class": "kc-send" }, "Send");
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  [header, notice, crisis, log, typing, form].forEach(function (child) { panel.appendChild(child); });

  var dock = el("div", { "class": "kc-dock" });
  var helpButton = el("button", { type: "button", "class": "kc-help-link", "aria-controls": "kc-crisis" }, "Need help now?");
  var launcher = el("button", { type: "button", "class": "kc-launcher", "aria-expanded": "false", "aria-controls": "kc-panel" }, "Chat with us");
  dock.appendChild(helpButton);
  dock.appendChild(launcher);
  root.appendChild(panel);
  root.appendChild(dock);

  /* ---- the conversation ---- */
  function showMessage(message) {
    var bubble = el("div", { "class": "kc-msg kc-" + message.from });
    if (message.from === "bot") { bubble.appendChild(el("span", { "class": "kc-visually-hidden" }, "Assistant: ")); }
    if (message.from === "user") { bubble.appendChild(el("span", { "class": "kc-visually-hidden" }, "You: ")); }
    renderText(bubble, message.text);
    log.appendChild(bubble);
    if (message.buttons && message.buttons.length) { log.appendChild(quickReplies(message)); }
    log.scrollTop = log.scrollHeight;
  }

  function quickReplies(message) {
    var group = el("div", { "class": "kc-replies", role: "group", "aria-label": "Suggested replies" });
    message.buttons.forEach(function (button) {
      var reply = el("button", { type: "button", "class": "kc-reply" }, String(button.title));
      reply.addEventListener("click", function () {
        message.buttons = [];
        group.remove();
        send(String(button.payload), String(button.title));
      });
      group.appendChild(reply);
    });
    return group;
  }

  function remember(message) {
    state.messages.push(message);
    saveState();
    showMessage(message);
  }

  function showUnreachable() {
    var bubble = el("div", { "class": "kc-msg kc-error", role: "alert" });
    var text = "Sorry, I can't reach the assistant right now. Please try again in a moment";
    renderText(bubble, clinic.phone ? text + ", or call " + clinic.phone + "." : text + ".");
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function send(message, shownAs) {
    if (shownAs !== null) { remember({ from: "user", text: shownAs }); }
    typing.textContent = "Assistant is typing\u2026";
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, REQUEST_TIMEOUT_MS);
    return fetch(assistantUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.senderId, message: message }),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (replies) {
      (Array.isArray(replies) ? replies : []).forEach(function (reply) {
        if (typeof reply.text !== "string") { return; }
        var buttons = Array.isArray(reply.buttons) ? reply.buttons.filter(function (b) { return b && b.title && b.payload; }) : [];
        remember({ from: "bot", text: reply.text, buttons: buttons.map(function (b) { return { title: b.title, payload: b.payload }; }) });
      });
    }).catch(showUnreachable).then(function () {
      clearTimeout(timer);
      typing.textContent = "";
    });
  }

  /* ---- opening, closing, crisis lines ---- */
  function setOpen(open) {
    state.open = open;
    saveState();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? "Close chat" : "Chat with us";
    if (open) {
      input.focus();
      if (state.messages.length === 0) { send("/greet", null); }
    }
  }

  function renderCrisisLines() {
    crisis.textContent = "";
    crisis.appendChild(el("strong", {}, "If you need help now, please reach a person:"));
    var list = el("ul");
    var lines = clinic.crisis;
    var items = lines ? [
      "Call or text [" + lines.lifeline + "](tel:" + lines.lifeline + ") (Suicide & Crisis Lifeline, 24/7)",
      "Veterans: call " + lines.lifeline + " and press 1, or text " + lines.veterans_text,
      "Text " + lines.text_line_keyword + " to " + lines.text_line + " (Crisis Text Line)",
      "In immediate danger, call [" + lines.emergency + "](tel:" + lines.emergency + ")"
    ] : ["Call your local emergency number."];
    items.forEach(function (item) { var li = el("li"); renderText(li, item); list.appendChild(li); });
    crisis.appendChild(list);
  }

  function showCrisisLines() {
    if (panel.hidden) { setOpen(true); }
    renderCrisisLines();
    crisis.hidden = false;
    crisis.focus();
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); if (panel.hidden) { launcher.focus(); } });
  closeButton.addEventListener("click", function () { setOpen(false); launcher.focus(); });
  helpButton.addEventListener("click", showCrisisLines);
  noticeHelp.addEventListener("click", showCrisisLines);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { setOpen(false); launcher.focus(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text, text);
  });

  fetch(widgetBase + "clinic.json").then(function (response) { return response.json(); }).then(function (facts) {
    clinic.name = data.clinicName || facts.name || clinic.name;
    clinic.phone = facts.phone || null;
    clinic.crisis = facts.crisis_lines || null;
    title.textContent = "Chat with " + clinic.name;
    if (!crisis.hidden) { renderCrisisLines(); }
  }).catch(function () { /* the widget still works; the error message just has no phone number */ });

  function mount() {
    document.head.appendChild(el("link", { rel: "stylesheet", href: widgetBase + "klarity-chat.css" }));
    document.body.appendChild(root);
    state.messages.forEach(showMessage);
    if (state.open) { setOpen(true); }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
