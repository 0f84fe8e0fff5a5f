// An object's YAML in a modal dialog (Escape or the button closes it; focus returns where it was).
// The yaml library is loaded the first time one is shown.
import type { KubeObject } from '../../api/meta.js';
import { h } from './dom.js';

export function yamlDialog(): { el: HTMLDialogElement; show(title: string, o: KubeObject | undefined): Promise<void> } {
  const title = h('h2', { id: 'yaml-title' });
  const pre = h('pre', { class: 'yaml', tabindex: 0 });
  const close = h('button', { type: 'button', onclick: () => el.close() }, 'Close');
  const el = h('dialog', { 'aria-labelledby': 'yaml-title' }, h('div', { class: 'dialog-head' }, title, close), pre);
  return {
    el,
    async show(text, o) {
      title.textContent = text;
      if (!o) pre.textContent = 'This object is not among what you may read (or no longer exists).';
      else {
        const { stringify } = await import('./yaml.js');
        // As kubectl prints it: without the managed fields.
        const { managedFields: _, ...metadata } = o.metadata;
        pre.textContent = stringify({ ...o, metadata });
      }
      if (!el.open) el.showModal();
      close.focus();
    },
  };
}
