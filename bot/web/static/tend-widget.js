/*
 * Tend's chat widget: a small, accessible chat window that talks to Rasa's socket.io
 * channel and keeps the conversation in this browser so a reload carries on.
 *
 * Safety of text: everything a person or the bot wrote reaches the page through
 * textContent, never innerHTML. The only markup made from text is **bold** and
 * [links](url), and a link is made only for http(s), tel and mailto addresses.
 * A file the bot sends (the "my data" export) becomes a download link to a Blob
 * made in this page; its content is never parsed or shown.
 *
 * Configuration: window.TendConfig, and/or JSON in <script id="tend-config"
 * type="application/json"> (the demo page's way). See docs/web-widget.md.
 *
 * The file stays ASCII (\u escapes for typographic characters): a page that is
 * not UTF-8 would otherwise garble them.
 */
(function () {
  "use strict";

  if ("TendWidget" in window) {
    return; // the script was included twice: one widget is enough
  }
  window.TendWidget = null; // filled in once the page is ready

  const widgetScript = document.currentScript;
  // The widget's own files (styles, socket.io client) sit beside this script.
  const FILES_BASE =
    widgetScript && widgetScript.src
      ? new URL(".", widgetScript.src).href
      : new URL("/static/", window.location.href).href;

  const DEFAULTS = {
    serverUrl: "", // Rasa's address; empty means the page's own origin
    socketPath: "/socket.io/",
    title: "Talk with Tend",
    botName: "Tend",
    initialMessage: "hello", // sent unseen when a conversation starts
    maxMessageChars: 4000,
    container: "", // a CSS selector: show the chat inside it instead of floating
    startOpen: false, // floating only
    storage: "local", // "local" keeps the chat across visits, "session" per tab
    forgetAfterHours: 24, // a stored conversation older than this starts afresh
    replyTimeoutSeconds: 30,
    colors: {},
    contacts: {
      crisis: "your local emergency number or a crisis line",
      therapist: "a licensed therapist",
      child: "",
    },
  };

  const COLOR_PROPERTIES = {
    accent: "--tend-accent",
    accentText: "--tend-accent-text",
    background: "--tend-bg",
    surface: "--tend-surface",
    text: "--tend-text",
    botBubble: "--tend-bot-bubble",
    userBubble: "--tend-user-bubble",
  };
  const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
  const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;
  const NEW_TAB_LINK = /^https?:/i;
  const INLINE_MARKUP = /\*\*([^*\n]+?)\*\*|\[([^\]\n]+)\]\(([^)\s]+)\)/g;
  const MAX_STORED_MESSAGES = 200;
  // A file from the bot: only a plain file name and a plain MIME type are used.
  const DOWNLOAD_TYPE = "data_export";
  const SAFE_FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
  const SAFE_MIME_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;
  const DEFAULT_FILENAME = "tend-my-data.json";
  const HOUR_MS = 3600 * 1000;

  let idCounter = 0;
  function uniqueId(name) {
    idCounter += 1;
    return "tend-" + name + "-" + idCounter;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function button(className, text) {
    const node = element("button", className, text);
    node.type = "button";
    return node;
  }

  function visuallyHidden(text) {
    return element("span", "tend-visually-hidden", text);
  }

  // ---- configuration -------------------------------------------------------

  function readConfig() {
    let fromPage = {};
    const json = document.getElementById("tend-config");
    if (json) {
      try {
        fromPage = JSON.parse(json.textContent || "{}") || {};
      } catch (error) {
        console.warn("Tend widget: #tend-config is not valid JSON; using defaults.");
      }
    }
    const fromSite =
      window.TendConfig && typeof window.TendConfig === "object" ? window.TendConfig : {};
    const config = Object.assign({}, DEFAULTS, fromPage, fromSite);
    config.contacts = Object.assign(
      {},
      DEFAULTS.contacts,
      fromPage.contacts,
      fromSite.contacts,
    );
    config.colors = Object.assign({}, fromPage.colors, fromSite.colors);
    config.serverUrl = String(config.serverUrl || "").replace(/\/+$/, "");
    return config;
  }

  // ---- the conversation kept in this browser -------------------------------

  function isStoredMessage(message) {
    return (
      message &&
      (message.from === "user" || message.from === "bot") &&
      typeof message.text === "string" &&
      (message.buttons === undefined || Array.isArray(message.buttons))
    );
  }

  function openStore(config) {
    const key = "tend-widget:" + (config.serverUrl || window.location.origin);
    let area = null;
    try {
      area = config.storage === "session" ? window.sessionStorage : window.localStorage;
      area.getItem(key); // throws where storage is blocked
    } catch (error) {
      area = null; // storage blocked: the conversation lasts as long as the page
    }
    let inMemory = null;

    function read() {
      if (!area) {
        return inMemory;
      }
      try {
        return JSON.parse(area.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    }

    return {
      load() {
        const saved = read();
        const fresh = { sessionId: null, messages: [] };
        if (!saved || typeof saved !== "object" || !Array.isArray(saved.messages)) {
          return fresh;
        }
        const age = Date.now() - (Number(saved.savedAt) || 0);
        if (config.forgetAfterHours > 0 && age > config.forgetAfterHours * HOUR_MS) {
          this.clear();
          return fresh;
        }
        return {
          sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null,
          messages: saved.messages.filter(isStoredMessage),
        };
      },
      save(conversation) {
        inMemory = {
          sessionId: conversation.sessionId,
          messages: conversation.messages.slice(-MAX_STORED_MESSAGES),
          savedAt: Date.now(),
        };
        if (area) {
          try {
            area.setItem(key, JSON.stringify(inMemory));
          } catch (error) {
            // storage full: the copy in memory still serves this page
          }
        }
      },
      clear() {
        inMemory = null;
        if (area) {
          try {
            area.removeItem(key);
          } catch (error) {
            // nothing stored, nothing to clear
          }
        }
      },
    };
  }

  // ---- text to DOM ---------------------------------------------------------

  function makeLink(label, url) {
    if (!SAFE_LINK.test(url)) {
      return document.createTextNode(label); // e.g. javascript: or data: addresses
    }
    const link = element("a", "tend-link", label);
    link.href = url;
    if (NEW_TAB_LINK.test(url)) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.appendChild(visuallyHidden(" (opens in a new tab)"));
    } else {
      link.rel = "noopener";
    }
    return link;
  }

  // Bold and links only; everything else, markup included, stays plain text.
  function appendRichText(parent, text) {
    let shown = 0;
    for (const match of text.matchAll(INLINE_MARKUP)) {
      parent.appendChild(document.createTextNode(text.slice(shown, match.index)));
      if (match[1] !== undefined) {
        parent.appendChild(element("strong", "", match[1]));
      } else {
        parent.appendChild(makeLink(match[2], match[3]));
      }
      shown = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(shown)));
    return parent;
  }

  // A file to download, from a custom payload {type: "data_export", filename,
  // mime_type, content}; any other custom payload is not for this widget.
  function readDownload(custom) {
    if (
      !custom ||
      typeof custom !== "object" ||
      custom.type !== DOWNLOAD_TYPE ||
      typeof custom.content !== "string"
    ) {
      return null;
    }
    return {
      filename: SAFE_FILENAME.test(String(custom.filename))
        ? custom.filename
        : DEFAULT_FILENAME,
      mimeType: SAFE_MIME_TYPE.test(String(custom.mime_type))
        ? custom.mime_type
        : "application/octet-stream",
      content: custom.content,
    };
  }

  // Rasa's socket.io channel sends {text}, {text, quick_replies} or, from custom
  // actions, {text, buttons}; Tend's channel sends custom payloads as {custom}, of
  // which only a file to download is shown. Anything else (images, other custom
  // JSON) is not shown.
  function readBotMessage(data) {
    if (!data || typeof data !== "object") {
      return null;
    }
    const download = readDownload(data.custom);
    if (download) {
      return { from: "bot", text: "", buttons: [], download: download };
    }
    const text = typeof data.text === "string" ? data.text : "";
    let offered = [];
    if (Array.isArray(data.quick_replies)) {
      offered = data.quick_replies;
    } else if (Array.isArray(data.buttons)) {
      offered = data.buttons;
    }
    const buttons = offered
      .filter((choice) => choice && typeof choice.title === "string")
      .map((choice) => ({
        title: choice.title,
        payload: typeof choice.payload === "string" ? choice.payload : choice.title,
      }));
    if (!text && buttons.length === 0) {
      return null;
    }
    return { from: "bot", text: text, buttons: buttons };
  }

  function loadSocketClient() {
    if (typeof window.io === "function") {
      return Promise.resolve(window.io);
    }
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = FILES_BASE + "vendor/socket.io.min.js";
      script.onload = () =>
        typeof window.io === "function"
          ? resolve(window.io)
          : reject(new Error("the socket.io client did not define io"));
      script.onerror = () => reject(new Error("could not load " + script.src));
      document.head.appendChild(script);
    });
  }

  function ensureStyles() {
    if (document.querySelector("link[data-tend-widget-styles]")) {
      return;
    }
    const link = element("link");
    link.rel = "stylesheet";
    link.href = FILES_BASE + "tend-widget.css";
    link.setAttribute("data-tend-widget-styles", "");
    document.head.appendChild(link);
  }

  // ---- the widget ----------------------------------------------------------

  function createWidget(config) {
    const store = openStore(config);
    let conversation = store.load();
    let socket = null;
    let ready = false; // Rasa confirmed our session on the current connection
    let greeted = conversation.messages.length > 0;
    let pending = []; // messages typed before the session was confirmed
    let fileUrls = []; // object URLs of offered downloads, released on Start over
    let replyTimer = null;

    let host = null;
    try {
      host = config.container ? document.querySelector(config.container) : null;
    } catch (error) {
      console.warn("Tend widget: container is not a CSS selector; floating instead.");
    }
    const floating = !host;
    const root = element("div", "tend-widget " + (floating ? "tend-floating" : "tend-inline"));
    for (const [name, value] of Object.entries(config.colors)) {
      if (COLOR_PROPERTIES[name] && HEX_COLOR.test(String(value))) {
        root.style.setProperty(COLOR_PROPERTIES[name], value);
      }
    }

    const panel = element("section", "tend-panel");
    panel.id = uniqueId("panel");
    panel.setAttribute("aria-label", config.title);

    // Header: title, the always-visible way to help, and a fresh start.
    const header = element("div", "tend-header");
    const title = element("h2", "tend-title", config.title);
    const actions = element("div", "tend-header-actions");
    const helpButton = button("tend-help-button", "Need help now?");
    const restartButton = button("tend-restart", "Start over");
    actions.append(helpButton, restartButton);
    header.append(title, actions);

    // Help panel: filled from configuration, so it works with no bot at all.
    const help = element("div", "tend-help");
    help.id = uniqueId("help");
    help.hidden = true;
    help.setAttribute("role", "region");
    const helpHeading = element("h3", "tend-help-heading", "Need help now?");
    helpHeading.id = uniqueId("help-heading");
    helpHeading.tabIndex = -1;
    help.setAttribute("aria-labelledby", helpHeading.id);
    helpButton.setAttribute("aria-controls", help.id);
    helpButton.setAttribute("aria-expanded", "false");
    const helpList = element("ul", "tend-help-contacts");
    const contactLines = [
      ["Right now: ", config.contacts.crisis],
      ["For children and young people: ", config.contacts.child],
      ["For support over time: ", config.contacts.therapist],
    ];
    for (const [label, contact] of contactLines) {
      if (contact) {
        const item = element("li", "tend-help-contact");
        item.appendChild(element("strong", "", label));
        helpList.appendChild(appendRichText(item, String(contact)));
      }
    }
    const helpClose = button("tend-help-close", "Back to the chat");
    help.append(
      helpHeading,
      element(
        "p",
        "",
        config.botName +
          " is a self-help companion, not a crisis service, and cannot call for help. " +
          "If you are in danger, or thinking about harming yourself or ending your " +
          "life, please reach out to a person now:",
      ),
      helpList,
      element("p", "", "You can come back to this chat whenever you like."),
      helpClose,
    );

    const status = element("p", "tend-status");
    status.setAttribute("role", "status");

    const log = element("ol", "tend-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation with " + config.botName);
    log.tabIndex = 0; // so keyboard users can scroll back through it

    const body = element("div", "tend-body");
    body.append(log, help);

    const typing = element("p", "tend-typing");
    typing.hidden = true;
    typing.append(
      element("span", "tend-typing-text", config.botName + " is writing"),
      element("span", "tend-typing-dots", "\u2026"),
    );

    const composer = element("form", "tend-composer");
    const inputId = uniqueId("input");
    const label = element("label", "tend-visually-hidden", "Your message to " + config.botName);
    label.htmlFor = inputId;
    const input = element("textarea", "tend-input");
    input.id = inputId;
    input.rows = 1;
    input.maxLength = Number(config.maxMessageChars) || DEFAULTS.maxMessageChars;
    input.placeholder = "Write a message\u2026";
    input.autocomplete = "off";
    const sendButton = element("button", "tend-send", "Send");
    sendButton.type = "submit";
    composer.append(label, input, sendButton);

    panel.append(header, status, body, typing, composer);

    let launcher = null;
    if (floating) {
      const closeButton = button("tend-close", "Close");
      closeButton.setAttribute("aria-label", "Close the chat");
      actions.appendChild(closeButton);
      const bar = element("div", "tend-launcher-bar");
      const launcherHelp = button("tend-help-button tend-launcher-help", "Need help now?");
      launcher = button("tend-launcher", config.title);
      launcher.setAttribute("aria-controls", panel.id);
      launcher.setAttribute("aria-expanded", "false");
      bar.append(launcherHelp, launcher);
      root.append(bar, panel);
      panel.hidden = true;
      launcherHelp.addEventListener("click", () => {
        openChat();
        openHelp();
      });
      launcher.addEventListener("click", () => (panel.hidden ? openChat() : closeChat()));
      closeButton.addEventListener("click", closeChat);
    } else {
      root.appendChild(panel);
    }

    // ---- showing messages ----

    function scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    }

    function renderMessage(message, choicesLive) {
      const item = element("li", "tend-message tend-from-" + message.from);
      if (message.from === "note") {
        item.appendChild(element("p", "tend-note", message.text));
        return item;
      }
      const speaker = message.from === "user" ? "You said: " : config.botName + " said: ";
      item.appendChild(visuallyHidden(speaker));
      if (message.download) {
        item.appendChild(renderDownload(message.download));
        return item;
      }
      const bubble = element("p", "tend-bubble");
      if (message.from === "bot") {
        appendRichText(bubble, message.text);
      } else {
        bubble.textContent = message.text;
      }
      if (message.text) {
        item.appendChild(bubble);
      }
      if (message.buttons && message.buttons.length > 0) {
        const choices = element("div", "tend-choices");
        choices.setAttribute("role", "group");
        choices.setAttribute("aria-label", "Choices");
        for (const choice of message.buttons) {
          const option = button("tend-choice", choice.title);
          option.disabled = !choicesLive;
          option.addEventListener("click", () => {
            sendMessage(choice.payload, choice.title);
            input.focus();
          });
          choices.appendChild(option);
        }
        item.appendChild(choices);
      }
      return item;
    }

    // A link to a Blob made here: the browser saves the file under its name.
    function renderDownload(download) {
      const url = URL.createObjectURL(
        new Blob([download.content], { type: download.mimeType }),
      );
      fileUrls.push(url);
      const link = element(
        "a",
        "tend-download",
        "Download your data (" + download.filename + ")",
      );
      link.href = url;
      link.download = download.filename;
      return link;
    }

    function retireChoices() {
      for (const option of log.querySelectorAll(".tend-choice")) {
        option.disabled = true;
      }
    }

    function show(message) {
      log.appendChild(renderMessage(message, true));
      scrollToEnd();
    }

    function addNote(text) {
      show({ from: "note", text: text });
    }

    function remember(message) {
      conversation.messages.push(message);
      store.save(conversation);
    }

    function showTyping() {
      typing.hidden = false;
      window.clearTimeout(replyTimer);
      replyTimer = window.setTimeout(() => {
        typing.hidden = true;
        addNote(
          config.botName +
            " hasn't answered. It may be busy or offline; please try again in a " +
            "moment. If you need help now, choose \u201cNeed help now?\u201d above.",
        );
      }, config.replyTimeoutSeconds * 1000);
    }

    function hideTyping() {
      typing.hidden = true;
      window.clearTimeout(replyTimer);
    }

    // ---- talking to Rasa ----

    function deliver(text) {
      if (ready) {
        socket.emit("user_uttered", { message: text, session_id: conversation.sessionId });
      } else {
        pending.push(text);
      }
      showTyping();
    }

    function sendMessage(payload, shownAs) {
      retireChoices();
      const message = { from: "user", text: shownAs };
      show(message);
      remember(message);
      deliver(payload);
    }

    function confirmSession(data) {
      const sessionId = typeof data === "string" ? data : data && data.session_id;
      if (!sessionId) {
        return;
      }
      conversation.sessionId = String(sessionId);
      store.save(conversation);
      ready = true;
      status.textContent = "";
      if (!greeted && config.initialMessage) {
        greeted = true;
        deliver(config.initialMessage);
      }
      const queued = pending;
      pending = [];
      queued.forEach(deliver);
    }

    function receive(data) {
      const message = readBotMessage(data);
      if (!message) {
        return;
      }
      hideTyping();
      show(message);
      // A file's content is not kept in this browser; after a reload a line
      // says where it was.
      remember(
        message.download
          ? {
              from: "bot",
              text:
                "(" + message.download.filename + " was offered here to download. " +
                "To get it again, say \u201cexport my data\u201d.)",
            }
          : message,
      );
    }

    function connect(io) {
      socket = io(config.serverUrl || undefined, {
        path: config.socketPath,
        reconnectionDelayMax: 10000,
      });
      socket.on("connect", () => {
        // A new connection is a new socket id: ask Rasa to put it in our session.
        socket.emit("session_request", { session_id: conversation.sessionId });
      });
      socket.on("session_confirm", confirmSession);
      socket.on("bot_uttered", receive);
      socket.on("disconnect", () => {
        ready = false;
      });
      socket.on("connect_error", () => {
        ready = false;
        status.textContent =
          "Can't reach " + config.botName + " right now; trying again. " +
          "\u201cNeed help now?\u201d works without a connection.";
      });
    }

    // ---- controls ----

    function openHelp() {
      help.hidden = false;
      log.inert = true;
      composer.inert = true;
      helpButton.setAttribute("aria-expanded", "true");
      helpHeading.focus();
    }

    function closeHelp() {
      help.hidden = true;
      log.inert = false;
      composer.inert = false;
      helpButton.setAttribute("aria-expanded", "false");
      helpButton.focus();
    }

    function openChat() {
      if (!launcher) {
        return;
      }
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      root.classList.add("tend-open");
      scrollToEnd();
      input.focus();
    }

    function closeChat() {
      if (!launcher) {
        return;
      }
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      root.classList.remove("tend-open");
      launcher.focus();
    }

    function startOver() {
      store.clear();
      conversation = { sessionId: null, messages: [] };
      greeted = false;
      pending = [];
      hideTyping();
      log.replaceChildren();
      fileUrls.forEach((url) => URL.revokeObjectURL(url));
      fileUrls = [];
      if (!help.hidden) {
        closeHelp();
      }
      if (socket) {
        // A fresh connection leaves the old session's room behind.
        ready = false;
        socket.disconnect();
        socket.connect();
      }
      input.focus();
    }

    helpButton.addEventListener("click", () => (help.hidden ? openHelp() : closeHelp()));
    helpClose.addEventListener("click", closeHelp);
    restartButton.addEventListener("click", startOver);
    panel.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") {
        return;
      }
      if (!help.hidden) {
        closeHelp();
      } else if (floating) {
        closeChat();
      }
    });

    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) {
        return;
      }
      input.value = "";
      fitInput();
      sendMessage(text, text);
    });
    input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter starts a new line; typing with an IME is left alone.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    function fitInput() {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 160) + "px";
    }
    input.addEventListener("input", fitInput);

    // Earlier messages go in before the log is on the page, so a screen reader
    // does not read the whole history aloud again after a reload. Choices offered
    // since the person last wrote can still be chosen.
    let lastFromUser = -1;
    conversation.messages.forEach((message, index) => {
      lastFromUser = message.from === "user" ? index : lastFromUser;
    });
    conversation.messages.forEach((message, index) => {
      log.appendChild(renderMessage(message, index > lastFromUser));
    });
    (host || document.body).appendChild(root);
    scrollToEnd();
    if (floating && config.startOpen) {
      openChat();
    }

    // Said only if connecting is slow, so a quick start does not flicker.
    window.setTimeout(() => {
      if (!ready && !status.textContent) {
        status.textContent = "Connecting to " + config.botName + "\u2026";
      }
    }, 1500);
    loadSocketClient()
      .then(connect)
      .catch((error) => {
        console.error("Tend widget:", error.message);
        status.textContent =
          "The chat can't start right now. \u201cNeed help now?\u201d still works.";
      });

    return {
      open: openChat,
      close: closeChat,
      openHelp: () => {
        openChat();
        openHelp();
      },
      startOver: startOver,
    };
  }

  function start() {
    ensureStyles();
    window.TendWidget = createWidget(readConfig());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
