import { SEPARATOR } from './strings.mjs';

export default function slug(text) {
  return text.toLowerCase().trim().split(/\s+/).join(SEPARATOR);
}
