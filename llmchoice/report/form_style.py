"""The answer form's stylesheet: readable from 320 px up without sideways scrolling, a
visible focus ring for keyboard use, large targets, and a print layout (no buttons, no
backgrounds, no question split across pages)."""

from __future__ import annotations

CSS = """
:root { --ink: #1d1d1f; --muted: #555b61; --line: #c9ced6; --soft: #f4f6f8;
  --accent: #1a5fb4; --error: #b3261e; --focus: #e8a200; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; overflow-wrap: anywhere;
  font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 0.2rem 0 0.4rem; color: var(--accent); }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.4rem; }
p { margin: 0.45rem 0; }
code { font: 0.88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.78rem;
  color: var(--muted); }
.muted, .about, .allowed, .when, .choice-help { color: var(--muted); }
.about, .allowed, .when { font-size: 0.93rem; }
.warning { border-left: 0.3rem solid var(--error); padding: 0.4rem 0.8rem;
  background: #fdecea; }
.who, fieldset.question, .save { border: 1px solid var(--line); border-radius: 8px;
  padding: 0.9rem 1rem 1rem; margin: 1.1rem 0; min-width: 0; }
fieldset { margin: 0; padding: 0; border: 0; min-width: 0; }
legend { padding: 0 0.3rem; margin-left: -0.3rem; font-weight: 650; font-size: 1.08rem;
  line-height: 1.35; max-width: 100%; }
fieldset.question > legend { float: left; width: 100%; margin: 0 0 0.3rem; padding: 0; }
fieldset.question > legend + * { clear: both; }
.num { font-weight: 500; }
.qtitle { display: block; font-size: 0.8rem; text-transform: uppercase;
  letter-spacing: 0.06em; color: var(--accent); }
.optional { font-weight: 400; color: var(--muted); font-size: 0.92rem; }
.choices { display: grid; gap: 0.4rem; margin-top: 0.6rem; }
.choice { display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.55rem 0.7rem;
  border: 1px solid var(--line); border-radius: 6px; cursor: pointer; min-height: 2.75rem; }
.choice:hover { border-color: var(--accent); }
.choice:has(input:checked) { border-color: var(--accent); background: #eef4fb; }
.choice:has(input:disabled) { opacity: 0.6; cursor: default; }
.choice input { flex: none; width: 1.2rem; height: 1.2rem; margin: 0.15rem 0 0; }
.choice-text { display: flex; flex-direction: column; min-width: 0; }
.choice-help { font-size: 0.9rem; }
.unsure { border-style: dashed; }
.number label { display: block; font-weight: 600; margin-top: 0.5rem; }
input[type=text] { font: inherit; width: 100%; max-width: 22rem; padding: 0.5rem 0.6rem;
  border: 1px solid #767c85; border-radius: 6px; margin: 0.3rem 0; }
input[aria-invalid=true] { border: 2px solid var(--error); }
.error { color: var(--error); font-weight: 600; margin: 0.5rem 0 0; }
.error:empty { display: none; }
.error::before { content: "⚠ "; }
button { font: inherit; border-radius: 6px; padding: 0.55rem 1rem; cursor: pointer;
  border: 1px solid #767c85; background: #fff; color: var(--ink); margin-top: 0.6rem;
  min-height: 2.75rem; max-width: 100%; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff;
  font-weight: 650; }
.clear { font-size: 0.9rem; padding: 0.35rem 0.8rem; min-height: 2.2rem; }
:focus-visible, .choice:has(input:focus-visible) { outline: 3px solid var(--focus);
  outline-offset: 2px; }
.choice input:focus-visible { outline-offset: 1px; }
.error-summary { border: 2px solid var(--error); border-radius: 8px; padding: 0.8rem 1rem;
  margin: 0.6rem 0 1rem; }
.error-summary ul { margin: 0; padding-left: 1.2rem; }
.error-summary a { color: var(--error); font-weight: 600; }
.format .choices, .format { display: grid; gap: 0.4rem; }
.save label[for=file-preview] { display: block; margin-top: 1rem; font-weight: 600; }
textarea { display: block; width: 100%; font: 0.85rem/1.45 ui-monospace, Menlo, Consolas,
  monospace; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem;
  background: var(--soft); color: var(--ink); resize: vertical; }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.85rem;
  border-top: 1px solid var(--line); padding-top: 0.6rem; }
@media (max-width: 30rem) {
  body { font-size: 16px; }
  main { padding: 1rem 0.75rem 2rem; }
  .who, fieldset.question, .save { padding: 0.75rem; }
  h1 { font-size: 1.5rem; }
}
@media print {
  @page { margin: 15mm 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .save, .clear, noscript, footer { display: none !important; }
  fieldset.question, .who { break-inside: avoid; border-color: #999; }
  .choice { border: 0; padding: 0.1rem 0; min-height: 0; background: none !important; }
  code { background: none; padding: 0; }
  .warning { background: none; }
}
"""
