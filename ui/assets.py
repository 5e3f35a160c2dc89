"""Stylesheet, page script and theme of the web chat (no external fonts or scripts: it works offline)."""

from __future__ import annotations

CSS = """
.docqa-cite-link { font-weight: 600; text-decoration: none; cursor: pointer; padding: 0 .1em; }
.docqa-cite-link:hover { text-decoration: underline; }
.docqa-pending { font-style: italic; opacity: .75; }
.docqa-pending::after { content: ' ⏳'; }
.docqa-error { color: var(--error-text-color, #b91c1c); font-weight: 600; }
.docqa-abstained { font-style: italic; }
.docqa-notice { font-size: 0.85em; color: #8a4b00; margin-bottom: 0.3em; }
.docqa-related-hint { opacity: .7; font-size: .9em; }
.docqa-panel .docqa-note { opacity: .8; font-style: italic; margin: .4em 0; }
.docqa-panel .docqa-turn-question { font-weight: 600; margin: .2em 0 .5em; }
.docqa-panel details { border: 1px solid var(--border-color-primary, #ddd); border-radius: 6px;
  padding: .3em .6em; margin: .4em 0; }
.docqa-panel details.docqa-active { outline: 2px solid var(--color-accent, #f97316); }
.docqa-panel summary { cursor: pointer; }
.docqa-panel .docqa-n { font-weight: 700; }
.docqa-panel .docqa-source { font-family: var(--font-mono, monospace); font-size: .9em; word-break: break-all; }
.docqa-panel .docqa-where { opacity: .7; font-size: .85em; }
.docqa-panel .docqa-passage { white-space: pre-wrap; line-height: 1.45; margin-top: .4em; max-height: 22em;
  overflow-y: auto; }
.docqa-panel mark { background: #fde68a; color: #111; padding: 0 .1em; }
.docqa-report table { width: 100%; border-collapse: collapse; font-size: .9em; }
.docqa-report td, .docqa-report th { border-bottom: 1px solid var(--border-color-primary, #ddd); padding: .2em .4em;
  text-align: left; word-break: break-all; }
.docqa-report tr.docqa-failed td { color: var(--error-text-color, #b91c1c); }
"""

# Event delegation: the answer bubbles are re-rendered on every streamed update, so handlers are not attached
# to them; a click on [n] opens citation n of that turn in the panel (and the folds around it).
HEAD = """
<script>
(() => {
  if (window.__docqaCitations) return;
  window.__docqaCitations = true;
  function openCitation(id) {
    const target = document.getElementById(id);
    if (!target) return false;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS') node.open = true;
    }
    document.querySelectorAll('.docqa-panel .docqa-active').forEach((n) => n.classList.remove('docqa-active'));
    target.classList.add('docqa-active');
    target.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    return true;
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.docqa-cite-link') : null;
    if (!link) return;
    const href = link.getAttribute('href') || '';
    const id = href.startsWith('#') ? href.slice(1) : `docqa-t${link.dataset.turn}-c${link.dataset.cite}`;
    event.preventDefault();
    event.stopPropagation();
    openCitation(id);
  }, true);
})();
</script>
"""


def theme():
    """Gradio's default look with local font stacks: the default theme would fetch Google Fonts."""
    import gradio as gr

    return gr.themes.Default(
        font=["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
    )
