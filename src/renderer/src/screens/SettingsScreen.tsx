import { useState, type FormEvent } from 'react';
import { SETTINGS_TEXT_LIMITS as LIMITS, SettingsSchema, TEMPLATE_PLACEHOLDERS, type Language, type Settings, type SettingsView, ENVIRONMENTS } from '../../../shared/settings';
import { zodIssuesByField, type AppError } from '../../../shared/errors';
import { useI18n } from '../i18n';
import { listFormat, type PlainKey, type Translate } from '../../../shared/i18n';
import { environmentHint, environmentLabel, languageName } from '../../../shared/i18n/labels';
import { ACCOUNT_FIELD_LABELS, fieldsBehindError, missingAccountFields, type AccountField } from '../settings-check';
import { call } from '../api';
import { Field, Notice } from '../components/Field';
import { CopyDiagnostics, OwnerPinSettings } from '../components/CounterSettings';
import { QuickItemsEditor } from '../settings/QuickItemsEditor';

/** Kept as a way to say it or an error value, not as text, so it follows a language switch. */
type Feedback =
  | { tone: 'success' | 'error' | 'warning'; text: (t: Translate) => string }
  | { tone: 'error'; error: AppError }
  | null;

const say = (tone: 'success' | 'error' | 'warning', key: PlainKey): NonNullable<Feedback> => ({ tone, text: (t) => t(key) });

const PLACEHOLDER_HINTS: Record<(typeof TEMPLATE_PLACEHOLDERS)[number], PlainKey> = {
  '{greeting}': 'settings.email.placeholder.greeting',
  '{amount}': 'settings.email.placeholder.amount',
  '{reference}': 'settings.email.placeholder.reference',
  '{link}': 'settings.email.placeholder.link',
  '{merchant}': 'settings.email.placeholder.merchant',
};

const RETURN_URL_LABELS = {
  success: 'settings.returnUrls.success',
  error: 'settings.returnUrls.error',
  abort: 'settings.returnUrls.abort',
} as const satisfies Record<string, PlainKey>;

export function SettingsScreen({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const { t, tKey, lang } = useI18n();
  const [draft, setDraft] = useState<Settings>(() => structuredClone(view.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState('');
  const [secretFeedback, setSecretFeedback] = useState<Feedback>(null);
  const [emailLang, setEmailLang] = useState<Language>(view.settings.paymentLanguage);
  const [connectionFeedback, setConnectionFeedback] = useState<Feedback>(null);

  const fieldNames = (fields: readonly AccountField[], t: Translate) => listFormat(lang, fields.map((f) => t(ACCOUNT_FIELD_LABELS[f])));
  /** Marks the fields in the form (next to each: why) on top of what is already marked. */
  const markFields = (fields: readonly AccountField[], message: string) =>
    setErrors((current) => ({ ...current, ...Object.fromEntries(fields.map((f) => [f, message])) }));
  const missingForTest = (saved: SettingsView) =>
    missingAccountFields(saved.settings, { stored: saved.secretStored, keychainAvailable: saved.keychain.available });

  const testConnection = async () => {
    if (JSON.stringify(draft) !== JSON.stringify(view.settings)) {
      setConnectionFeedback(say('warning', 'settings.testConnection.unsaved'));
      return;
    }
    const missing = missingForTest(view);
    if (missing.length > 0) {
      markFields(missing, 'validation.needed_for_account');
      setConnectionFeedback({ tone: 'warning', text: (t) => t('settings.testConnection.missing', { fields: fieldNames(missing, t) }) });
      return;
    }
    setBusy(true);
    setConnectionFeedback(null);
    const result = await call('connection.test', {});
    setBusy(false);
    if (result.ok) {
      const { environment, baseUrl } = result.value;
      setConnectionFeedback({ tone: 'success', text: (t) => t('settings.testConnection.ok', { environment: environmentLabel(t, environment), baseUrl }) });
      return;
    }
    const wrong = fieldsBehindError(result.error.code, missing);
    if (wrong.length === 0) return setConnectionFeedback({ tone: 'error', error: result.error });
    markFields(wrong, result.error.code === 'auth.invalid_credentials' ? 'validation.api_invalid' : 'validation.needed_for_account');
    setConnectionFeedback({ tone: 'error', text: (t) => t('settings.testConnection.rejected', { fields: fieldNames(wrong, t) }) });
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
      setFeedback(say('error', 'settings.notSaved'));
      return;
    }
    setBusy(true);
    const result = await call('settings.save', { settings: parsed.data });
    setBusy(false);
    if (result.ok) {
      setErrors({});
      setDraft(structuredClone(result.value.settings));
      onSaved(result.value);
      // Testing/Live without what the connection needs saves, but says what is still missing.
      const missing = missingAccountFields(result.value.settings);
      if (missing.length === 0) return setFeedback(say('success', 'settings.saved'));
      markFields(missing, 'validation.needed_for_account');
      const environment = result.value.settings.environment;
      setFeedback({ tone: 'warning', text: (t) => t('settings.incomplete', { environment: environmentLabel(t, environment), fields: fieldNames(missing, t) }) });
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
      setSecretFeedback(say('success', 'settings.secret.saved'));
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
      setSecretFeedback(say('success', 'settings.secret.removed'));
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
              <span className="env-option-title">{environmentLabel(t, env)}</span>
              <span className="env-option-hint">{environmentHint(t, env)}</span>
            </label>
          ))}
        </fieldset>

        {draft.environment === 'custom' && (
          <Field label={t('settings.customBaseUrl')} error={err('customBaseUrl')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="url" placeholder="https://" maxLength={LIMITS.customBaseUrl} value={draft.customBaseUrl} onChange={(e) => update((s) => void (s.customBaseUrl = e.target.value))} />}
          </Field>
        )}

        {credentialsNeeded ? (
          <div className="grid-2">
            <Field label={t('settings.clientId')} hint={t('settings.clientId.hint')} error={err('clientId')}>
              {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off" spellCheck={false} maxLength={LIMITS.clientId} value={draft.clientId} onChange={(e) => update((s) => void (s.clientId = e.target.value))} />}
            </Field>
            <Field label={t('settings.contractId')} hint={t('settings.contractId.hint')} error={err('contractId')}>
              {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} autoComplete="off" spellCheck={false} placeholder="GCR_…" maxLength={LIMITS.contractId} value={draft.contractId} onChange={(e) => update((s) => void (s.contractId = e.target.value.toUpperCase()))} />}
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
                      <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="password" autoComplete="new-password" spellCheck={false} maxLength={500}
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
                <option value="de">{languageName(t, 'de')}</option>
                <option value="en">{languageName(t, 'en')}</option>
              </select>
            )}
          </Field>
          <Field label={t('settings.merchantName')} hint={t('settings.merchantName.hint')} error={err('merchantName')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={LIMITS.merchantName} value={draft.merchantName} onChange={(e) => update((s) => void (s.merchantName = e.target.value))} />}
          </Field>
        </div>
        <h3>{t('settings.returnUrls')}</h3>
        {(['success', 'error', 'abort'] as const).map((kind) => (
          <Field key={kind} label={t(RETURN_URL_LABELS[kind])} error={err(`returnUrls.${kind}`)}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="url" placeholder="https://" maxLength={LIMITS.returnUrl} value={draft.returnUrls[kind]} onChange={(e) => update((s) => void (s.returnUrls[kind] = e.target.value))} />}
          </Field>
        ))}
      </section>

      <QuickItemsEditor items={draft.quickItems} errors={errors} onErrorsChange={setErrors}
        onChange={(items) => update((s) => void (s.quickItems = items))} />

      <section className="card" aria-labelledby="sec-email">
        <h2 id="sec-email">{t('settings.section.email')}</h2>
        <div className="segmented" role="group" aria-label={t('settings.email.language')}>
          {(['de', 'en'] as const).map((l) => (
            <button key={l} type="button" className={emailLang === l ? 'active' : ''} aria-pressed={emailLang === l} onClick={() => setEmailLang(l)}>{languageName(t, l)}</button>
          ))}
        </div>
        <Field label={t('settings.email.subject')} error={err(`emailTemplates.${emailLang}.subject`)}>
          {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={LIMITS.emailSubject} value={draft.emailTemplates[emailLang].subject} onChange={(e) => update((s) => void (s.emailTemplates[emailLang].subject = e.target.value))} />}
        </Field>
        <Field label={t('settings.email.body')} hint={`${t('settings.email.placeholders')} ${TEMPLATE_PLACEHOLDERS.map((p) => `${p} = ${t(PLACEHOLDER_HINTS[p])}`).join(' · ')}`} error={err(`emailTemplates.${emailLang}.body`)}>
          {(f) => <textarea id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} rows={9} maxLength={LIMITS.emailBody} value={draft.emailTemplates[emailLang].body} onChange={(e) => update((s) => void (s.emailTemplates[emailLang].body = e.target.value))} />}
        </Field>
      </section>

      <section className="card" aria-labelledby="sec-app">
        <h2 id="sec-app">{t('settings.section.app')}</h2>
        <div className="grid-2">
          <Field label={t('settings.uiLanguage')}>
            {(f) => (
              <select id={f.id} value={draft.uiLanguage} onChange={(e) => update((s) => void (s.uiLanguage = e.target.value as Settings['uiLanguage']))}>
                <option value="system">{t('settings.uiLanguage.system')}</option>
                <option value="de">{languageName(t, 'de')}</option>
                <option value="en">{languageName(t, 'en')}</option>
              </select>
            )}
          </Field>
          <Field label={t('settings.expiryDays')} error={err('linkExpiryDays')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="number" min={0} max={365} value={Number.isNaN(draft.linkExpiryDays) ? '' : draft.linkExpiryDays} onChange={(e) => update((s) => void (s.linkExpiryDays = e.target.value === '' ? Number.NaN : Number(e.target.value)))} />}
          </Field>
        </div>
        <div className="grid-2">
          <Field label={t('settings.deskName')} hint={t('settings.deskName.hint')} error={err('deskName')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} maxLength={LIMITS.deskName} value={draft.deskName} onChange={(e) => update((s) => void (s.deskName = e.target.value))} />}
          </Field>
          <Field label={t('settings.pinUnlockMinutes')} error={err('pinUnlockMinutes')}>
            {(f) => <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="number" min={1} max={60} value={Number.isNaN(draft.pinUnlockMinutes) ? '' : draft.pinUnlockMinutes} onChange={(e) => update((s) => void (s.pinUnlockMinutes = e.target.value === '' ? Number.NaN : Number(e.target.value)))} />}
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={draft.sound} onChange={(e) => update((s) => void (s.sound = e.target.checked))} />
          <span>{t('settings.sound')}</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.autoPrintReceipt} onChange={(e) => update((s) => void (s.autoPrintReceipt = e.target.checked))}
            data-testid="auto-print-receipt" />
          <span>{t('settings.autoPrintReceipt')}</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.startAtLogin} onChange={(e) => update((s) => void (s.startAtLogin = e.target.checked))}
            data-testid="start-at-login" />
          <span>{t('settings.startAtLogin')}</span>
        </label>
        <CopyDiagnostics />
      </section>

      <section className="card" aria-labelledby="sec-pin">
        <h2 id="sec-pin">{t('settings.section.pin')}</h2>
        <OwnerPinSettings view={view} onSaved={onSaved} />
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
  if ('text' in feedback) return <Notice tone={feedback.tone} testId={testId}>{feedback.text(t)}</Notice>;
  return (
    <Notice tone="error" testId={testId}>
      {errorText(feedback.error)}
      {feedback.error.supportId && <> · {t('error.supportId', { id: feedback.error.supportId })}</>}
    </Notice>
  );
}
