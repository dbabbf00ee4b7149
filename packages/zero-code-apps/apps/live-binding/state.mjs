// Readiness flag shared by the whole service. Importers see every change: ESM exports are live bindings.
export let ready = false;
export let startedAt;

export function init() {
  ready = true;
  startedAt = 'boot';
}
