"""The HTML report's style sheet: one page that reads on a phone (390 px wide, no sideways
scroll), on a desktop and on paper. ``ACCENT`` is replaced by the verdict's colour."""

from __future__ import annotations

CSS = """\
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --soft: #f5f6f8;
  --accent: ACCENT; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 58rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 2.1rem; margin: 0.1rem 0 0.4rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.7rem; padding-bottom: 0.25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
p { margin: 0.4rem 0; }
code { font: 0.86em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
.verdict { border: 1px solid var(--line); border-left: 0.45rem solid var(--accent);
  border-radius: 6px; padding: 1.1rem 1.4rem; background: var(--soft); }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.78rem;
  color: var(--muted); }
.summary { font-size: 1.08rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem;
  margin: 0.9rem 0 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.ruled-out { border: 1px solid #f0c36d; background: #fff8e1; border-radius: 6px;
  padding: 0.7rem 1.1rem; margin-bottom: 1rem; }
.ruled-out h2 { margin-top: 0.2rem; border: 0; }
table { width: 100%; border-collapse: collapse; margin: 0.4rem 0; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid var(--line); }
thead th { font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); font-weight: 600; }
td.outcome, span.outcome { white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.cites { color: var(--muted); font-size: 0.88rem; }
.words { color: var(--muted); font-size: 0.88rem; margin: 0.2rem 0 0; }
.words q { font-style: italic; }
td.rule code { white-space: nowrap; }
.where { color: var(--muted); font-size: 0.82rem; white-space: nowrap; }
.chart { display: block; width: 100%; max-width: 42rem; height: auto; }
.lesson { break-inside: avoid; }
.lesson .article { color: var(--muted); font-style: italic; margin: 0 0 0.2rem; }
ul { margin: 0.3rem 0; padding-left: 1.3rem; }
li { margin: 0.2rem 0; }
.muted { color: var(--muted); }
.beyond { color: var(--muted); font-size: 0.85rem; font-style: italic; }
.path-cost { list-style: "▶ "; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem;
  border-top: 1px solid var(--line); padding-top: 0.6rem; overflow-wrap: anywhere; }
.chart-narrow { display: none; }
body { overflow-wrap: break-word; }
.facts dd { min-width: 0; }
/* A phone (390 px): nothing wider than the screen. The facts stack under their names,
   each table row becomes a block (outcome and points on a line, then the reason, then the
   trade-offs), the chart draws its labels above the bars. */
@media screen and (max-width: 600px) {
  main { padding: 1.2rem 0.9rem 2rem; }
  h1 { font-size: 1.6rem; }
  .verdict { padding: 0.9rem 1rem; }
  .ruled-out { padding: 0.6rem 0.9rem; }
  .facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .facts dd { margin-bottom: 0.5rem; }
  table, tbody, tr, td, th { display: block; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: 0.45rem 0; }
  td, th { border: 0; padding: 0.1rem 0; }
  td.num, td.outcome { display: inline-block; margin-right: 0.6rem; font-weight: 600; }
  td.rule code, .where, td.outcome, span.outcome { white-space: normal; }
  .chart-wide { display: none; }
  .chart-narrow { display: block; max-width: 100%; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 13.5pt; margin-top: 1.3rem; break-after: avoid; }
  h3 { break-after: avoid; }
  .verdict, .ruled-out { background: none; }
  code { background: none; padding: 0; }
  tr, li, .chart, .verdict { break-inside: avoid; }
  svg, .verdict, .ruled-out { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

__all__ = ["CSS"]
