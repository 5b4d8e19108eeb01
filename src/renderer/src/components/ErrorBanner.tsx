import type { AppError } from '../../../shared/errors';
import { useI18n } from '../i18n';
import { Notice } from './Field';

/** An error for the person: what happened, secupay's own words if any, and the support ID to quote. */
export function ErrorBanner({ error, testId }: { error: AppError; testId?: string }) {
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
    </Notice>
  );
}
