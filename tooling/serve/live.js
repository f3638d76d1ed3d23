// stdkit serve: reloads the page when a newer build is published, and shows a failed build's
// messages over the page (which stays the last good build). Injected only by the preview
// server; `stdkit build` never writes it into the edition.
(function () {
  "use strict";
  var script = document.currentScript;
  var mine = Number(script && script.getAttribute("data-generation"));
  var OVERLAY = "stdkit-live-overlay";
  var BADGE = "stdkit-live-badge";

  function element(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.setAttribute("style", css);
    if (text) node.textContent = text;
    return node;
  }

  function hideOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function showOverlay(messages) {
    hideOverlay();
    var box = element("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.55);padding:4vh 4vw;box-sizing:border-box;");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("lang", "zh-CN");
    var panel = element("div", "max-width:60rem;margin:0 auto;background:#fff;color:#222;" +
      "border-top:6px solid #b3261e;padding:1.2rem 1.5rem;font:16px/1.6 sans-serif;" +
      "box-shadow:0 4px 24px rgba(0,0,0,.3);");
    panel.appendChild(element("h2", "margin:0 0 .5rem;color:#b3261e;font-size:1.3rem;",
      "构建失败"));
    panel.appendChild(element("p", "margin:0 0 .8rem;",
      "下面是构建给出的提示（文件:行号、代码和说明）。本页仍是上一次成功构建的结果；" +
      "修改并保存源文件后，会自动重新构建并刷新本页。"));
    var pre = element("pre", "white-space:pre-wrap;word-break:break-word;margin:0;" +
      "padding:.8rem;background:#fbeeee;border-radius:4px;font:14px/1.5 monospace;");
    pre.className = "stdkit-live-messages";
    pre.textContent = messages.join("\n");
    panel.appendChild(pre);
    var close = element("button", "margin-top:.8rem;font:inherit;padding:.2rem 1rem;", "关闭");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    panel.appendChild(close);
    box.appendChild(panel);
    document.body.appendChild(box);
  }

  function badge(building) {
    var old = document.getElementById(BADGE);
    if (!building) {
      if (old) old.remove();
      return;
    }
    if (old) return;
    var node = element("div", "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;" +
      "background:#222;color:#fff;padding:.3rem .8rem;border-radius:4px;" +
      "font:14px/1.5 sans-serif;opacity:.85;", "正在重新构建……");
    node.id = BADGE;
    node.setAttribute("role", "status");
    document.body.appendChild(node);
  }

  if (!window.EventSource) return;
  var source = new EventSource("/_stdkit/events");
  source.onmessage = function (event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch (err) {
      return;
    }
    badge(state.building);
    if (state.ok && state.generation !== mine && !state.building) {
      source.close();
      window.location.reload();
      return;
    }
    if (!state.ok && !state.building) showOverlay(state.messages || []);
    else if (state.ok) hideOverlay();
  };
})();
