import { useState, type FormEvent } from 'react';
import { SettingsSchema, TEMPLATE_PLACEHOLDERS, type Language, type Settings, type SettingsView, ENVIRONMENTS } from '../../../shared/settings';
import { zodIssuesByField, type AppError } from '../../../shared/errors';
import { useI18n, type MessageKey } from '../i18n';
import { call } from '../api';
import { Field, Notice } from '../components/Field';

/** Kept as a key or an error value, not as text, so it follows a language switch. */
type Feedback =
  | { tone: 'success' | 'error' | 'warning'; key: MessageKey; vars?: Record<string, string> }
  | { tone: 'error'; error: AppError }
  | null;

export function SettingsScreen({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const { t, tKey } = useI18n();
  const [draft, setDraft] = useState<Settings>(() => structuredClone(view.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState('');
  const [secretFeedback, setSecretFeedback] = useState<Feedback>(null);
  const [emailLang, setEmailLang] = useState<Language>(view.settings.paymentLanguage);
  const [connectionFeedback, setConnectionFeedback] = useState<Feedback>(null);

  const testConnection = async () => {
    if (JSON.stringify(draft) !== JSON.stringify(view.settings)) {
      setConnectionFeedback({ tone: 'warning', key: 'settings.testConnection.unsaved' });
      return;
    }
    setBusy(true);
    setConnectionFeedback(null);
    const result = await call('connection.test', {});
    setBusy(false);
    if (result.ok) {
      const environment = t(`settings.environment.${result.value.environment}` as MessageKey);
      setConnectionFeedback({ tone: 'success', key: 'settings.testConnection.ok', vars: { environment, baseUrl: result.value.baseUrl } });
    } else {
      setConnectionFeedback({ tone: 'error', error: result.error });
    }
  };

  const update = (patch: (s: Settings) => void) => {
    setDraft((current) => {
      const next = structuredClone(current);
      patch(next);
      return next;
    });
  };
  const err = (path: string) => (errors[path] ? tKey(errors[path]) : undefined);

  const showError = (error: AppError, set: (f: Feedback) => void) => {
    if (error.fields) setErrors(error.fields);
    set({ tone: 'error', error });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = SettingsSchema.safeParse(draft);
    if (!parsed.success) {
      setErrors(zodIssuesByField(parsed.error));
      setFeedback({ tone: 'error', key: 'settings.notSaved' });
      return;
    }
    setBusy(true);
    const result = await call('settings.save', { settings: parsed.data });
    setBusy(false);
    if (result.ok) {
      setErrors({});
      setDraft(structuredClone(result.value.settings));
      onSaved(result.value);
      setFeedback({ tone: 'success', key: 'settings.saved' });
    } else {
      // Main reports input paths under `settings.`; the form's paths are relative.
      const fields = Object.fromEntries(Object.entries(result.error.fields ?? {}).map(([k, v]) => [k.replace(/^settings\./, ''), v]));
      showError({ ...result.error, fields }, setFeedback);
    }
  };

  const storeSecret = async () => {
    setSecretFeedback(null);
    if (secret.trim() === '') {
      setErrors((e) => ({ ...e, secret: 'validation.required' }));
      return;
    }
    setBusy(true);
    const result = await call('secret.set', { secret });
    setBusy(false);
    if (result.ok) {
      setSecret('');
      setErrors(({ secret: _ignored, ...rest }) => rest);
      onSaved(result.value);
      setSecretFeedback({ tone: 'success', key: 'settings.secret.saved' });
    } else {
      showError(result.error, setSecretFeedback);
    }
  };

  const removeSecret = async () => {
    setBusy(true);
    const result = await call('secret.remove', {});
    setBusy(false);
    if (result.ok) {
      onSaved(result.value);
      setSecretFeedback({ tone: 'success', key: 'settings.secret.removed' });
    } else {
      showError(result.error, setSecretFeedback);
    }
  };

  // The secret belongs to the environment that is saved, not to an unsaved choice in the form.
  const savedEnvironment = view.settings.environment;
  const credentialsNeeded = draft.environment !== 'demo';

  return (
    <form className="screen settings" onSubmit={save} noValidate aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">{t('settings.title')}</h1>
        <p className="subtitle">{t('settings.subtitle')}</p>
      </header>

      <section className="card" aria-labelledby="sec-connection">
        <h2 id="sec-connection">{t('settings.section.connection')}</h2>
        <fieldset className="env-choice">
          <legend>{t('settings.environment')}</legend>
          {ENVIRONMENTS.map((env) => (
            <label key={env} className={draft.environment === env ? 'env-option selected' : 'env-option'}>
              <input type="radio" name="environment" value={env} checked={draft.environment === env} onChange={() => update((s) => void (s.environment = env))} />
              <span className="env-option-title">{t(`settings.environment.${env}` as MessageKey)}</span>
              <span className="env-option-hint">{t(`settings.environment.${env}.hint` as MessageKey)}</span>
            </label>
          ))}
        </fieldset>

        {draft.environment === 'custom' && (
          <Field label={t('settings.customBaseUrl')} error={err('customBaseUrl')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="url" placeholder="https://" value={draft.customBaseUrl} onChange={(e) => update((s) => void (s.customBaseUrl = e.target.value))} />}
          </Field>
        )}

        {credentialsNeeded ? (
          <div className="grid-2">
            <Field label={t('settings.clientId')} hint={t('settings.clientId.hint')} error={err('clientId')}>
              {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off" spellCheck={false} value={draft.clientId} onChange={(e) => update((s) => void (s.clientId = e.target.value))} />}
            </Field>
            <Field label={t('settings.contractId')} hint={t('settings.contractId.hint')} error={err('contractId')}>
              {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off" spellCheck={false} placeholder="GCR_…" value={draft.contractId} onChange={(e) => update((s) => void (s.contractId = e.target.value.toUpperCase()))} />}
            </Field>
          </div>
        ) : (
          <p className="muted">{t('settings.secret.demo')}</p>
        )}

        {savedEnvironment !== 'demo' && (
          <div className="secret-row">
            {!view.keychain.available ? (
              <Notice tone="warning" testId="keychain-unavailable">{t('settings.keychain.unavailable')}</Notice>
            ) : (
              <>
                <Field label={t('settings.secret')} hint={t('settings.secret.hint')} error={err('secret')}>
                  {(f) => (
                    <div className="inline-controls">
                      <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="password" autoComplete="new-password" spellCheck={false}
                        placeholder={view.secretStored ? t('settings.secret.placeholderStored') : ''}
                        value={secret} onChange={(e) => setSecret(e.target.value)}
                        onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void storeSecret(); } }} />
                      <button type="button" className="button secondary" disabled={busy} onClick={() => void storeSecret()}>{t('settings.secret.save')}</button>
                    </div>
                  )}
                </Field>
                <div className="secret-status" data-testid="secret-status">
                  <span className={view.secretStored ? 'pill pill-ok' : 'pill'}>{view.secretStored ? t('settings.secret.stored') : t('settings.secret.notStored')}</span>
                  {view.secretStored && <button type="button" className="button link danger" disabled={busy} onClick={() => void removeSecret()}>{t('settings.secret.remove')}</button>}
                </div>
              </>
            )}
            {secretFeedback && <FeedbackNotice feedback={secretFeedback} testId="secret-feedback" />}
          </div>
        )}
        <div className="connection-test">
          <button type="button" className="button secondary" disabled={busy} onClick={() => void testConnection()}>{t('settings.testConnection')}</button>
          <span className="field-hint">{t('settings.testConnection.hint')}</span>
        </div>
        {connectionFeedback && <FeedbackNotice feedback={connectionFeedback} testId="connection-feedback" />}
      </section>

      <section className="card" aria-labelledby="sec-defaults">
        <h2 id="sec-defaults">{t('settings.section.defaults')}</h2>
        <div className="grid-2">
          <Field label={t('settings.paymentLanguage')}>
            {(f) => (
              <select id={f.id} value={draft.paymentLanguage} onChange={(e) => update((s) => void (s.paymentLanguage = e.target.value as Language))}>
                <option value="de">{t('lang.de')}</option>
                <option value="en">{t('lang.en')}</option>
              </select>
            )}
          </Field>
          <Field label={t('settings.merchantName')} hint={t('settings.merchantName.hint')} error={err('merchantName')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} value={draft.merchantName} onChange={(e) => update((s) => void (s.merchantName = e.target.value))} />}
          </Field>
        </div>
        <h3>{t('settings.returnUrls')}</h3>
        {(['success', 'error', 'abort'] as const).map((kind) => (
          <Field key={kind} label={t(`settings.returnUrls.${kind}`)} error={err(`returnUrls.${kind}`)}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="url" placeholder="https://" value={draft.returnUrls[kind]} onChange={(e) => update((s) => void (s.returnUrls[kind] = e.target.value))} />}
          </Field>
        ))}
      </section>

      <section className="card" aria-labelledby="sec-email">
        <h2 id="sec-email">{t('settings.section.email')}</h2>
        <div className="segmented" role="group" aria-label={t('settings.email.language')}>
          {(['de', 'en'] as const).map((l) => (
            <button key={l} type="button" className={emailLang === l ? 'active' : ''} aria-pressed={emailLang === l} onClick={() => setEmailLang(l)}>{t(`lang.${l}`)}</button>
          ))}
        </div>
        <Field label={t('settings.email.subject')} error={err(`emailTemplates.${emailLang}.subject`)}>
          {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} value={draft.emailTemplates[emailLang].subject} onChange={(e) => update((s) => void (s.emailTemplates[emailLang].subject = e.target.value))} />}
        </Field>
        <Field label={t('settings.email.body')} hint={t('settings.email.placeholders', { placeholders: TEMPLATE_PLACEHOLDERS.join(' ') })} error={err(`emailTemplates.${emailLang}.body`)}>
          {(f) => <textarea id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} rows={9} value={draft.emailTemplates[emailLang].body} onChange={(e) => update((s) => void (s.emailTemplates[emailLang].body = e.target.value))} />}
        </Field>
      </section>

      <section className="card" aria-labelledby="sec-app">
        <h2 id="sec-app">{t('settings.section.app')}</h2>
        <div className="grid-2">
          <Field label={t('settings.uiLanguage')}>
            {(f) => (
              <select id={f.id} value={draft.uiLanguage} onChange={(e) => update((s) => void (s.uiLanguage = e.target.value as Settings['uiLanguage']))}>
                <option value="system">{t('settings.uiLanguage.system')}</option>
                <option value="de">{t('lang.de')}</option>
                <option value="en">{t('lang.en')}</option>
              </select>
            )}
          </Field>
          <Field label={t('settings.expiryDays')} error={err('linkExpiryDays')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="number" min={0} max={365} value={Number.isNaN(draft.linkExpiryDays) ? '' : draft.linkExpiryDays} onChange={(e) => update((s) => void (s.linkExpiryDays = e.target.value === '' ? Number.NaN : Number(e.target.value)))} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={draft.sound} onChange={(e) => update((s) => void (s.sound = e.target.checked))} />
          <span>{t('settings.sound')}</span>
        </label>
      </section>

      <footer className="form-footer">
        {feedback && <FeedbackNotice feedback={feedback} testId="settings-feedback" />}
        <button type="submit" className="button primary" disabled={busy}>{t('settings.save')}</button>
      </footer>
    </form>
  );
}

function FeedbackNotice({ feedback, testId }: { feedback: NonNullable<Feedback>; testId: string }) {
  const { t, errorText } = useI18n();
  if ('key' in feedback) return <Notice tone={feedback.tone} testId={testId}>{t(feedback.key, feedback.vars)}</Notice>;
  return (
    <Notice tone="error" testId={testId}>
      {errorText(feedback.error)}
      {feedback.error.supportId && <> · {t('error.supportId', { id: feedback.error.supportId })}</>}
    </Notice>
  );
}
