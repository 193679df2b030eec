/** Plain CSS, injected once: the remote ships no stylesheet of its own for the shell to load. */
const CSS = `
.bo { font: 15px/1.45 system-ui, sans-serif; color: #1d2330; }
.bo h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
.bo h2 { font-size: 1.1rem; margin: 1rem 0 .5rem; }
.bo a { color: #1650b5; }
.bo :focus-visible { outline: 3px solid #f0a400; outline-offset: 2px; }
.bo button { font: inherit; padding: .3rem .7rem; border: 1px solid #5b6478; border-radius: 4px; background: #fff; cursor: pointer; }
.bo button:hover { background: #eef2fa; }
.bo button.bo-sort { border: 0; background: none; padding: 0; font-weight: 600; text-align: left; }
.bo button.bo-sort:hover { text-decoration: underline; }
.bo button.bo-primary { background: #1650b5; color: #fff; border-color: #1650b5; }
.bo button.bo-primary:hover { background: #0f3f93; }
.bo button.bo-danger { color: #a3161b; border-color: #a3161b; }
.bo button:disabled { opacity: .55; cursor: default; }
.bo input, .bo select, .bo textarea { font: inherit; padding: .25rem .4rem; border: 1px solid #8a93a6; border-radius: 4px; }
.bo table { border-collapse: collapse; width: 100%; }
.bo th, .bo td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #dde1ea; vertical-align: top; }
.bo th { background: #f3f5f9; font-weight: 600; }
.bo td.bo-num, .bo th.bo-num { text-align: right; font-variant-numeric: tabular-nums; }
.bo-toolbar { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: end; margin-bottom: .75rem; }
.bo-field { display: flex; flex-direction: column; gap: .2rem; margin-bottom: .6rem; }
.bo-field-inline { display: flex; flex-direction: row; align-items: center; gap: .4rem; }
.bo-help { color: #586074; font-size: .85rem; }
.bo-error { color: #a3161b; }
.bo-ok { color: #1d6b2f; }
.bo-actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.bo-pager { display: flex; gap: .75rem; align-items: center; margin-top: .75rem; }
.bo-panel { border: 1px solid #cfd5e1; border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; background: #fbfcfe; }
.bo-panel fieldset { border: 0; padding: 0; margin: 0; }
.bo-panel .bo-field input:not([type=checkbox]), .bo-panel .bo-field select { max-width: 36rem; }
.bo-status { margin: .3rem 0 0; display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; }
.bo-status dt { color: #586074; }
.bo-status dd { margin: 0; }
.bo-muted { color: #586074; }
.bo-flag { display: inline-block; font-size: .8rem; padding: 0 .35rem; border-radius: 3px; background: #1d2330; color: #fff; margin-left: .35rem; }
.bo-live { font-size: .8rem; color: #1d6b2f; }
.bo-tree, .bo-tree ul { list-style: none; padding-left: 1.4rem; margin: .2rem 0; }
.bo-tree li { margin: .2rem 0; }
.bo-tree .bo-field-inline { display: inline-flex; }
.bo progress { width: 16rem; }
.bo-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export function injectStyles(): void {
  if (typeof document === "undefined" || document.getElementById("billetix-backoffice-styles")) return;
  const style = document.createElement("style");
  style.id = "billetix-backoffice-styles";
  style.textContent = CSS;
  document.head.appendChild(style);
}
