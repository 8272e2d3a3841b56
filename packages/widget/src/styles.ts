/**
 * The widget's stylesheet, scoped by its shadow root, so nothing leaks out. The host element
 * also gets an inline `all:initial` (see widget.ts) so the page's inherited styles (fonts,
 * colours, letter-spacing…) do not leak in. iOS zooms into inputs under 16px, hence the
 * larger font on narrow screens.
 * Theming: `--c` is the brand colour and `--ct` the text colour on it, set on `.pw`.
 */
export const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.pw{--c:#2563eb;--ct:#fff;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;-webkit-font-smoothing:antialiased;opacity:0;transition:opacity .3s}
.pw.ready{opacity:1}
button{font:inherit;cursor:pointer}
:focus-visible{outline:2px solid var(--c);outline-offset:2px}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;background:var(--c);color:var(--ct);box-shadow:0 4px 14px rgba(0,0,0,.2),0 1px 3px rgba(0,0,0,.12);display:grid;place-items:center;transition:transform .2s ease,box-shadow .2s}
.launcher:hover{transform:scale(1.06);box-shadow:0 6px 20px rgba(0,0,0,.24)}
.launcher>svg{grid-area:1/1;transition:transform .2s ease,opacity .2s}
.launcher>svg+svg,.launcher.open>svg:first-child{opacity:0;transform:rotate(-45deg) scale(.6)}
.launcher.open>svg+svg{opacity:1;transform:none}
.badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ef4444;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}
.badge[hidden]{display:none}
.left .launcher,.left .win{right:auto;left:20px}
.win{position:fixed;bottom:88px;right:20px;z-index:2147483000;width:370px;height:560px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 12px 48px rgba(0,0,0,.18),0 2px 8px rgba(0,0,0,.08);opacity:0;visibility:hidden;transform:translateY(16px) scale(.98);transform-origin:bottom right;transition:opacity .2s ease,transform .2s ease,visibility 0s .2s}
.left .win{transform-origin:bottom left}
.win.open{opacity:1;visibility:visible;transform:none;transition:opacity .2s ease,transform .2s ease}
header{display:flex;align-items:center;gap:8px;padding:14px 10px 14px 18px;background:var(--c);color:var(--ct)}
.ttl{flex:1;min-width:0}
h2{margin:0;font-size:16px;font-weight:600;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.st{display:flex;align-items:center;gap:6px;font-size:12px;opacity:.92}
.dot{width:8px;height:8px;border-radius:50%;background:#fbbf24;box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.st.on .dot{background:#22c55e}
.st.re .dot{background:#d1d5db;animation:blink 1s infinite alternate}
@keyframes blink{to{opacity:.3}}
.x{width:36px;height:36px;border:0;border-radius:10px;background:none;color:inherit;display:grid;place-items:center}
.x:hover{background:rgba(255,255,255,.16)}
.body{flex:1;min-height:0;display:flex;flex-direction:column;background:#f8fafc}
.list{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px 14px;display:flex;flex-direction:column}
.empty{margin:auto;padding:24px;text-align:center;color:#6b7280}
.note{align-self:center;max-width:90%;margin:8px 0;text-align:center;color:#6b7280;font-size:12px}
.day{align-self:center;margin:10px 0 6px;padding:2px 10px;border-radius:10px;background:#e5e7eb;color:#4b5563;font-size:11px;font-weight:500}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;margin-top:6px;animation:in .18s ease-out}
.row.me{align-self:flex-end;align-items:flex-end}
@keyframes in{from{opacity:0;transform:translateY(4px)}}
.who{margin:4px 6px 2px;font-size:11px;font-weight:600;color:#6b7280}
.bub{padding:8px 12px;border-radius:18px 18px 18px 6px;background:#fff;border:1px solid #e5e7eb;box-shadow:0 1px 1px rgba(0,0,0,.04);white-space:pre-wrap;overflow-wrap:anywhere}
.me .bub{background:var(--c);color:var(--ct);border-color:transparent;border-radius:18px 18px 6px 18px}
.att{display:block;max-width:100%;border-radius:12px}
.bub img{display:block;max-width:100%;max-height:240px;border-radius:12px}
audio.att{width:240px}
.file{display:flex;flex-direction:column;color:inherit;text-decoration:none}
a.file b{text-decoration:underline}
.file small{opacity:.75}
.meta{display:flex;align-items:center;gap:4px;margin:2px 6px 0;font-size:11px;color:#9ca3af}
.tick{display:inline-flex}
.tick.read,.tick.played{color:#0ea5e9}
.tick.failed{color:#dc2626}
.retry{padding:0;border:0;background:none;color:#dc2626;font-size:11px;font-weight:600;text-decoration:underline}
.typing{display:flex;align-items:center;gap:6px;padding:2px 18px 8px;font-size:12px;color:#6b7280}
.typing[hidden]{display:none}
.dots{display:inline-flex;gap:3px}
.dots i{width:5px;height:5px;border-radius:50%;background:currentColor;animation:bob 1s infinite}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes bob{50%{transform:translateY(-3px);opacity:.5}}
.comp{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 10px 10px 16px;border-top:1px solid #e5e7eb;background:#fff}
.comp:focus-within{border-top-color:var(--c)}
textarea{flex:1;min-height:38px;max-height:120px;padding:9px 0;border:0;outline:0;resize:none;background:none;color:inherit;font:inherit}
.comp .err{flex-basis:100%}
.comp .err:empty{display:none}
.clip{flex:none;width:38px;height:38px;margin-left:-10px;border:0;border-radius:50%;background:none;color:#6b7280;display:grid;place-items:center}
.clip:hover{color:var(--c)}
.send{flex:none;width:38px;height:38px;border:0;border-radius:50%;background:var(--c);color:var(--ct);display:grid;place-items:center;transition:opacity .15s,transform .15s}
.send:disabled{opacity:.35;cursor:default}
.send:not(:disabled):active{transform:scale(.92)}
.pre{flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:14px;padding:22px 20px}
.intro{margin:0 0 4px;color:#374151}
label{display:flex;flex-direction:column;gap:5px;font-size:13px;font-weight:500;color:#374151}
input{padding:10px 12px;border:1px solid #d1d5db;border-radius:10px;outline:0;background:#fff;color:#111827;font:inherit}
input:focus{border-color:var(--c);box-shadow:0 0 0 3px rgba(37,99,235,.15);box-shadow:0 0 0 3px color-mix(in srgb,var(--c) 20%,transparent)}
.err{margin:0;min-height:1em;color:#dc2626;font-size:13px}
.btn{padding:11px;border:0;border-radius:10px;background:var(--c);color:var(--ct);font-weight:600}
.btn:disabled{opacity:.6}
.link{align-self:center;padding:4px 8px;border:0;background:none;color:#4b5563;text-decoration:underline}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:479px){.win,.left .win{inset:0;width:100%;height:100%;max-height:none;border-radius:0}.launcher.open{display:none}.comp{padding-bottom:max(10px,env(safe-area-inset-bottom))}textarea,input{font-size:16px}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;
