/** The widget's CSS, inside its shadow root so the host page cannot restyle it. */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif; }
.launcher { position: fixed; right: 24px; bottom: 24px; z-index: 2147483000; border: 0; border-radius: 24px;
  padding: 12px 20px; background: #0b5cad; color: #fff; font-size: 15px; cursor: pointer; box-shadow: 0 4px 12px #0004; }
.launcher:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.panel { position: fixed; right: 24px; bottom: 80px; z-index: 2147483000; width: min(380px, calc(100vw - 32px));
  max-height: min(640px, calc(100vh - 100px)); display: flex; flex-direction: column; background: #fff; color: #1a1a1a;
  border-radius: 12px; box-shadow: 0 8px 28px #0005; overflow: hidden; font-size: 14px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; background: #0b5cad; color: #fff; padding: 10px 14px; }
h2 { margin: 0; font-size: 16px; }
h3 { margin: 8px 0; font-size: 15px; }
.close { background: none; border: 0; color: #fff; font-size: 22px; cursor: pointer; }
.body { padding: 12px 14px; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 8px; }
input[type=text], input[type=tel], input[type=email], textarea { border: 1px solid #767676; border-radius: 6px; padding: 8px; font-size: 14px; width: 100%; }
.consent { display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; align-items: start; margin: 8px 0; }
.consent .hint { grid-column: 2; }
.hint { color: #555; font-size: 12px; margin: 0; }
.intro { margin: 0 0 8px; }
.error { color: #b00020; margin: 0; min-height: 1em; }
.primary { background: #0b5cad; color: #fff; border: 0; border-radius: 6px; padding: 9px 16px; font-size: 14px; cursor: pointer; }
.primary:disabled { background: #7a9cc0; }
.status { margin: 0; padding: 8px; background: #eef4fb; border-radius: 6px; }
.typing { margin: 0; color: #555; font-style: italic; min-height: 1em; }
.log { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; min-height: 120px; }
.msg { max-width: 85%; padding: 8px 10px; border-radius: 10px; display: flex; flex-direction: column; gap: 2px; white-space: pre-wrap; word-break: break-word; }
.msg.in { align-self: flex-end; background: #dcebfb; }
.msg.out { align-self: flex-start; background: #f1f1f1; }
.who { font-size: 11px; color: #444; }
.state { font-size: 11px; color: #444; align-self: flex-end; }
.msg img { max-width: 100%; border-radius: 6px; }
.composer { border-top: 1px solid #ddd; padding-top: 8px; }
fieldset { border: 1px solid #ccc; border-radius: 6px; margin: 0 0 8px; }
.scale { display: flex; flex-wrap: wrap; gap: 6px; }
.scale span { display: inline-flex; align-items: center; gap: 2px; }
.thanks { font-weight: 600; }
`;
