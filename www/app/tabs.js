// The scene tabs: which scene is on show (its page, its top bar's controls, its title), and the switch between them.

/** Each scene's subtitle and document title. */
const SCENES = {
  neat: { subtitle: 'Backprop NEAT', title: 'evonas \u00B7 Backprop NEAT playground' },
  cells: { subtitle: 'NAS-Bench-201 cell search', title: 'evonas \u00B7 NAS-Bench-201 cell search' },
  recurrent: { subtitle: 'Evolved recurrent cells', title: 'evonas \u00B7 evolved recurrent cells' },
  modules: { subtitle: 'Modules and blueprints', title: 'evonas \u00B7 modules and blueprints' },
};

const state = { current: 'neat', hooks: {} };

/** The scene on show. */
export const sceneOnShow = () => state.current;

/** A scene's hooks: `enter()` shows it again (or opens its defaults), `leave()` pauses it, `link()`
 *  its current link, `save()` its run as a save file's bytes, `resume(bytes, about)` opens the
 *  run a save file holds (`about`: `{link, generation}`) and goes on from there. */
export function registerScene(name, hooks) {
  state.hooks[name] = hooks;
}

/** The run on show as a save file's bytes. */
export const saveScene = () => state.hooks[state.current].save();

/** Opens a save file's run in its scene `name`, leaving the scene on show for it. */
export function resumeScene(name, bytes, about) {
  if (!state.hooks[name]) throw new Error(`open: the page has no ${name} scene`);
  if (state.current !== name) state.hooks[state.current]?.leave();
  return state.hooks[name].resume(bytes, about);
}

/** The link of the scene on show (Share and the embed panel read it). */
export const currentLink = () => state.hooks[state.current]?.link() ?? '';

/** Shows scene `name`'s page (each `main[data-scene]`), marks its tab and names it in the top bar;
 *  `body.scene-NAME` picks the top bar's `.NAME-only` controls. */
export function showScene(name) {
  state.current = name;
  for (const other of Object.keys(SCENES)) {
    document.body.classList.toggle(`scene-${other}`, other === name);
    document.querySelector(`main[data-scene="${other}"]`).hidden = other !== name;
    document.querySelector(`[data-testid="scene-${other}"]`).setAttribute('aria-pressed', String(other === name));
  }
  document.querySelector('[data-testid="status"]').hidden = name !== 'neat';
  document.querySelector('.topbar .subtitle').textContent = SCENES[name].subtitle;
  document.title = SCENES[name].title;
}

/** Wires the tabs: a click leaves the scene on show and enters the one clicked. */
export function wireTabs() {
  for (const name of Object.keys(SCENES)) {
    document.querySelector(`[data-testid="scene-${name}"]`).addEventListener('click', () => {
      if (state.current === name) return;
      state.hooks[state.current]?.leave();
      state.hooks[name]?.enter();
    });
  }
}
