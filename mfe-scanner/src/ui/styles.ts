/**
 * Plain CSS, injected once: the remote ships no stylesheet for the shell to load. Big touch
 * targets (≥ 44 px), text readable at arm's length, one column on a 360 px phone.
 */
const CSS = `
.sc { font: 16px/1.45 system-ui, sans-serif; color: #14213d; background: #f4f7f6; min-height: 100%; }
.sc *, .sc *::before, .sc *::after { box-sizing: border-box; }
.sc h1 { font-size: 1.4rem; margin: .5rem 0 .75rem; }
.sc h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
.sc p { margin: .4rem 0; }
.sc :focus-visible { outline: 3px solid #f59f00; outline-offset: 2px; }
.sc button { font: inherit; min-height: 2.75rem; padding: .4rem .9rem; border: 2px solid #0f766e; border-radius: 6px; background: #fff; color: #0b5e58; cursor: pointer; touch-action: manipulation; }
.sc button:disabled { opacity: .5; cursor: default; }
.sc button.sc-primary { background: #0f766e; color: #fff; }
.sc button.sc-danger { border-color: #b42318; color: #b42318; background: #fff; }
.sc button.sc-big { min-height: 3.25rem; font-size: 1.1rem; font-weight: 600; padding: .5rem 1.2rem; }
.sc input:not([type=checkbox]) { font: inherit; font-size: 1.15rem; min-height: 3rem; padding: .4rem .6rem; border: 2px solid #6b7f7c; border-radius: 6px; width: 100%; background: #fff; color: inherit; }
.sc input[type=checkbox] { width: 1.6rem; height: 1.6rem; accent-color: #0f766e; flex: none; margin: 0; }
.sc-header { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .8rem; padding: .5rem 1rem; background: #0f766e; color: #fff; }
.sc-header strong { font-size: 1.1rem; }
.sc-header button { border-color: #fff; color: #fff; background: transparent; min-height: 2.5rem; padding: .2rem .7rem; }
.sc-header .sc-spacer { flex: 1; }
.sc-banner { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1rem; padding: .5rem 1rem; font-weight: 600; }
.sc-banner[data-state=online] { background: #d3f9d8; color: #1b4d2b; }
.sc-banner[data-state=degraded] { background: #ffe066; color: #473300; }
.sc-banner[data-session=ended] { background: #ffc9c9; color: #6b0f14; }
.sc-pending { font-size: 1.3rem; font-variant-numeric: tabular-nums; }
.sc-banner-detail { font-weight: 400; font-size: .9rem; }
.sc-banner button { min-height: 2.5rem; margin-left: auto; }
.sc-clock { margin: 0; padding: .6rem 1rem; background: #b42318; color: #fff; font-size: 1.1rem; }
.sc-device { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; padding: .4rem 1rem; font-size: .95rem; }
.sc-device button { min-height: 2.5rem; padding: .2rem .7rem; }
.sc-tabs { display: grid; grid-template-columns: repeat(3, 1fr); gap: .25rem; padding: 0 .5rem; border-bottom: 3px solid #0f766e; }
.sc .sc-tabs button { border: 0; border-radius: 8px 8px 0 0; min-height: 3.25rem; font-size: 1.1rem; font-weight: 700; background: #dfe9e7; }
.sc .sc-tabs button[aria-current=page] { background: #0f766e; color: #fff; }
.sc-tab-badge { display: inline-block; margin-left: .4rem; min-width: 1.5rem; padding: 0 .4rem; border-radius: 1rem; background: #e8590c; color: #fff; font-size: .9rem; }
.sc-main { padding: .75rem 1rem 2rem; max-width: 60rem; margin: 0 auto; }
.sc-notice { padding: .75rem 1rem; border-radius: 8px; background: #e7f5ff; margin: .5rem 0; }
.sc-error { color: #8f1414; background: #ffe3e3; padding: .5rem .75rem; border-radius: 6px; }
.sc-ok { color: #1b4d2b; background: #d3f9d8; padding: .5rem .75rem; border-radius: 6px; }
.sc-warning { color: #8a3c00; font-weight: 700; }
.sc-muted { color: #4f5d5a; }
.sc-advice { background: #fff4e6; border-left: 5px solid #e8590c; padding: .5rem .75rem; }
.sc-list { list-style: none; padding: 0; margin: 0; display: grid; gap: .5rem; }
.sc-list li { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .75rem; background: #fff; border: 1px solid #c5d6d3; border-radius: 8px; }
.sc-list li.sc-soon { border: 3px solid #e8590c; }
.sc-list-main { display: flex; flex-direction: column; gap: .1rem; min-width: 12rem; flex: 1; }
.sc-confirm { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.sc-actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .5rem; }
.sc-progress { background: #fff; border: 1px solid #c5d6d3; border-radius: 8px; padding: .75rem; margin: .5rem 0; }
.sc-progress progress { width: 100%; height: 1.5rem; accent-color: #0f766e; }
.sc-choices { border: 0; padding: 0; margin: 0 0 1rem; display: grid; gap: .5rem; }
.sc-choices legend { margin-bottom: .5rem; padding: 0; }
.sc-choice { display: flex; gap: .75rem; align-items: center; padding: .75rem; background: #fff; border: 1px solid #c5d6d3; border-radius: 8px; min-height: 3.5rem; cursor: pointer; }
.sc-controlled { font-size: 1.05rem; }
.sc-status-row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; }
.sc-counters { display: flex; gap: .25rem 1.5rem; flex-wrap: wrap; }
.sc-counter { margin: 0; }
.sc-counter-value { font-size: 2.6rem; font-weight: 800; font-variant-numeric: tabular-nums; line-height: 1.1; }
.sc-counter[data-mode=oneWay] { opacity: .5; }
.sc-status-row .sc-actions { margin: 0; }
.sc-badge { display: inline-flex; align-items: center; min-height: 2.75rem; padding: 0 .9rem; border-radius: 1.5rem; background: #e8590c; color: #fff; font-weight: 700; text-decoration: none; }
.sc button.sc-direction { display: block; width: 100%; margin: .6rem 0; min-height: 4.5rem; font-size: 2rem; font-weight: 800; color: #fff; border: 0; }
.sc button.sc-direction[data-direction=in] { background: #1864ab; }
.sc button.sc-direction[data-direction=out] { background: #862e9c; }
.sc-scan { display: flex; flex-direction: column; min-height: 65vh; }
.sc-ready { flex: 1; display: flex; flex-direction: column; justify-content: center; margin: .75rem 0; padding: 1.25rem 1rem; text-align: center; border: 3px dashed #93b3ae; border-radius: 12px; background: #fff; }
.sc-ready-title { font-size: 1.9rem; font-weight: 800; margin: 0 0 .25rem; }
/* Above the verdict (which covers the rest of the screen): the next code can be typed at once. */
.sc-entry { position: sticky; bottom: 0; z-index: 1001; display: grid; gap: .6rem; margin: .75rem -.5rem 0; padding: .6rem .5rem; background: #fff; border-radius: 10px 10px 0 0; box-shadow: 0 -2px 10px #0003; }
.sc-manual label { display: block; font-weight: 700; margin-bottom: .25rem; font-size: 1.05rem; }
.sc-manual-row { display: flex; gap: .5rem; }
.sc-manual-row input { flex: 1; min-width: 0; font-family: ui-monospace, monospace; letter-spacing: .03em; }
.sc-camera-buttons { display: flex; gap: .5rem; flex-wrap: wrap; }
.sc-camera-buttons button { flex: 1; }
.sc-camera-buttons button[aria-pressed=true] { background: #0f766e; color: #fff; }
.sc-video { flex: 1; width: 100%; min-height: 12rem; max-height: 50vh; margin: .75rem 0; background: #000; border-radius: 8px; object-fit: cover; }
.sc button.sc-result { position: fixed; inset: 0; z-index: 1000; width: 100%; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: .4rem; padding: 1rem 1rem 13rem; border: 0; border-radius: 0; color: #fff; text-align: center; }
.sc button.sc-result[data-outcome=accepted] { background: #2b8a3e; }
.sc button.sc-result[data-outcome=refused] { background: #c92a2a; }
.sc button.sc-result[data-outcome=anomaly] { background: #d9480f; }
.sc-result-symbol { font-size: clamp(4rem, 22vw, 9rem); line-height: 1; font-weight: 900; }
.sc-result-message { font-size: clamp(2.1rem, 9.5vw, 4.8rem); font-weight: 800; line-height: 1.1; max-width: 22ch; }
.sc-result-repeated { font-size: clamp(1.4rem, 6vw, 2.4rem); font-weight: 800; }
.sc-result-code { font-size: clamp(1.2rem, 5.5vw, 2.2rem); font-family: ui-monospace, monospace; word-break: break-all; }
.sc-result-holder { font-size: clamp(1.1rem, 5vw, 1.9rem); }
.sc-result-hint { font-size: .95rem; opacity: .85; margin-top: 1rem; }
.sc-scan-error { font-size: 1.25rem; font-weight: 700; }
.sc-conflicts ul { list-style: none; padding: 0; display: grid; gap: .5rem; }
.sc-conflicts li { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; padding: .6rem .75rem; background: #fff4e6; border: 2px solid #e8590c; border-radius: 8px; }
.sc-conflicts li button { margin-left: auto; }
.sc-conflict-code { font-family: ui-monospace, monospace; font-weight: 700; }
.sc-card { max-width: 30rem; margin: 6vh auto; background: #fff; padding: 1.5rem; border-radius: 10px; box-shadow: 0 2px 10px #0002; }
.sc-card label { display: block; margin: .9rem 0 .25rem; font-weight: 700; }
.sc-card form .sc-actions { margin-top: 1rem; }
.sc-institutions { list-style: none; padding: 0; display: grid; gap: .5rem; }
.sc .sc-institutions button { width: 100%; text-align: left; min-height: 3.5rem; font-size: 1.15rem; }
.sc-update { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; background: #14213d; color: #fff; font-weight: 600; }
.sc-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .sc-main { padding: .5rem .6rem 2rem; }
  .sc-counter-value { font-size: 2.2rem; }
  .sc-header, .sc-banner, .sc-device { padding-left: .6rem; padding-right: .6rem; }
  .sc-header-user { display: none; }
}
`;

export function injectStyles(): void {
  if (typeof document === "undefined" || document.getElementById("billetix-scanner-styles")) return;
  const style = document.createElement("style");
  style.id = "billetix-scanner-styles";
  style.textContent = CSS;
  document.head.appendChild(style);
}
