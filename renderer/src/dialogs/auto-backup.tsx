/**
 * The automatic backup taken before a change (an edit, a delete from a store): whether its
 * passphrase is set, and when not, the fields to choose it (typed twice) and the call that
 * sets it before the change runs.
 */
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { queryClient, replyKey, useReply } from '../query.js';
import { Icon } from '../components/ui.js';
import { PassphraseFields, passphraseProblem } from './fields.js';

/** The automatic backups' state as the main process reports it; one query for every dialog that asks. */
export const useAutoBackupStatus = () => useReply('autoBackup.status', {});

/** Sets the automatic-backup passphrase, and updates the status every dialog reads. */
export async function setAutoBackupPassphrase(passphrase: string): Promise<void> {
  await api['autoBackup.setPassphrase']({ passphrase });
  await queryClient.invalidateQueries({ queryKey: replyKey('autoBackup.status') });
}

export function useAutoBackupPassphrase(onError: (message: string) => void) {
  const status = useAutoBackupStatus();
  // null while asking; false: the passphrase must be chosen here first.
  const hasPassphrase = status.data?.passphraseSet ?? null;
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const failed = status.error?.message;
  useEffect(() => {
    if (failed) onError(failed);
    // Reported once per failure.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [failed]);
  return {
    hasPassphrase,
    problem: hasPassphrase === false ? passphraseProblem(pass, again) : null,
    /** Sets the chosen passphrase when there was none; call before the change. */
    async ensure(): Promise<void> {
      if (hasPassphrase !== false) return;
      await setAutoBackupPassphrase(pass);
    },
    fields: hasPassphrase === false && (
      <div className="note info" style={{ display: 'grid', gap: 10 }} data-testid="edit-passphrase">
        <div style={{ display: 'flex', gap: 8 }}>
          <Icon name="shield" />
          <div>
            Before any change, Session Deck backs up the original into an encrypted archive in its data folder. Choose the passphrase for these automatic backups; it is asked once and can be changed in Settings.
          </div>
        </div>
        <PassphraseFields value={pass} again={again} confirm onChange={(v, a) => (setPass(v), setAgain(a))} label="Automatic-backup passphrase" testId="edit-pass" />
      </div>
    ),
  };
}
