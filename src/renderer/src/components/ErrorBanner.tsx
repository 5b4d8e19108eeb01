import type { AppError } from '../../../shared/errors';
import { isAccountError } from '../../../shared/i18n/labels';
import { useI18n } from '../i18n';
import { Notice } from './Field';

/**
 * An error for the person: what happened, secupay's own words if any, the support ID to quote,
 * and for account problems (credentials, contract) the way to where they are fixed.
 */
export function ErrorBanner({ error, testId, onOpenSettings }: { error: AppError; testId?: string; onOpenSettings?: () => void }) {
  const { t, errorText } = useI18n();
  return (
    <Notice tone="error" testId={testId}>
      <span>{errorText(error)}</span>
      {error.userMessage && <span className="notice-detail">{t('error.apiSaid', { text: error.userMessage })}</span>}
      {error.supportId && (
        <span className="notice-detail" data-testid="support-id">
          {t('error.supportId', { id: error.supportId })}
        </span>
      )}
      {onOpenSettings && isAccountError(error.code) && (
        <span className="notice-action">
          <button type="button" className="button secondary small" onClick={onOpenSettings} data-testid="open-settings">
            {t('error.openSettings')}
          </button>
        </span>
      )}
    </Notice>
  );
}
