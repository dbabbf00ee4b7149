export let calls = 0;

export function add(a, b) {
  calls += 1;
  return a + b;
}
