// A confirmation in a real <dialog>: modal, focus trapped by the browser, Escape cancels.
import { byId } from '../lib/dom';

export interface ConfirmOptions { title: string; text: string; confirmLabel: string; danger?: boolean }

/** Resolves true only when the user presses the confirm button. */
export function confirmAction(o: ConfirmOptions): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  const ok = byId<HTMLButtonElement>('confirm-ok');
  const cancel = byId<HTMLButtonElement>('confirm-cancel');
  byId('confirm-title').textContent = o.title;
  byId('confirm-text').textContent = o.text;
  ok.textContent = o.confirmLabel;
  ok.classList.toggle('btn-danger-solid', o.danger === true);
  ok.classList.toggle('btn-primary', o.danger !== true);
  return new Promise((resolve) => {
    const onOk = (): void => dialog.close('confirm');
    const onCancel = (): void => dialog.close('cancel');
    const onClose = (): void => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      resolve(dialog.returnValue === 'confirm');
    };
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    // The safe choice has focus, so Enter right away does not destroy anything.
    cancel.focus();
  });
}
