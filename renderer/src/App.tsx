// The dashboard's frame: header with the pages and the language switch, the current page, and
// the first-run wizard when the agent says setup is needed.
import { useEffect, useRef, useState } from 'react';
import { call, transportKind } from './api.ts';
import { LangContext, STRINGS, initialLang, saveLang, useT, type Lang } from './i18n.ts';
import { PAGES, navigate, usePage, type Page } from './router.ts';
import { AllowlistScreen } from './screens/AllowlistScreen.tsx';
import { CallbacksScreen, type SentCallback } from './screens/CallbacksScreen.tsx';
import { LogsScreen } from './screens/LogsScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { StatusScreen } from './screens/StatusScreen.tsx';
import { SubscriberScreen } from './screens/SubscriberScreen.tsx';
import { SyncScreen } from './screens/SyncScreen.tsx';
import { adminToken } from './token.ts';
import { Wizard, wizardDismissed } from './wizard/Wizard.tsx';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);
  return (
    <LangContext.Provider value={{ lang, t: STRINGS[lang], setLang }}>
      {transportKind() === 'http' && adminToken() === null ? <NeedToken /> : <Shell />}
    </LangContext.Provider>
  );
}

/** Opens the wizard once per start when the agent asks for it, unless it was dismissed. */
function useFirstRunWizard(page: Page): void {
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    // Only from the landing page: the tray may have opened #/logs on purpose.
    if (page !== 'status' || wizardDismissed()) return;
    call('setup.state', {}).then((state) => {
      if (state.needed) navigate('setup');
    }, () => undefined);
  }, [page]);
}

function Shell() {
  const page = usePage();
  const [sent, setSent] = useState<SentCallback[]>([]);
  useFirstRunWizard(page);
  return (
    <div className="app">
      <Header page={page} />
      <main className="main">
        {page === 'setup' && <Wizard onClose={() => navigate('status')} />}
        {page === 'status' && <StatusScreen />}
        {page === 'subscriber' && <SubscriberScreen />}
        {page === 'sync' && <SyncScreen />}
        {page === 'allowlist' && <AllowlistScreen />}
        {page === 'callbacks' && <CallbacksScreen sent={sent} onSent={(entry) => setSent((old) => [entry, ...old])} />}
        {page === 'settings' && <SettingsScreen />}
        {page === 'logs' && <LogsScreen />}
      </main>
    </div>
  );
}

function Header(props: { page: Page }) {
  const { t } = useT();
  return (
    <header className="top">
      <div className="brand">Billing Bridge</div>
      {props.page !== 'setup' && (
        <nav className="tabs" aria-label={t.nav.label}>
          {PAGES.map((p) => (
            <a key={p} href={`#/${p}`} className={p === props.page ? 'tab active' : 'tab'} aria-current={p === props.page ? 'page' : undefined}>
              {t.nav[p]}
            </a>
          ))}
        </nav>
      )}
      <LanguageSwitch />
    </header>
  );
}

function LanguageSwitch() {
  const { lang, setLang, t } = useT();
  return (
    <div className="lang" role="group" aria-label={t.nav.language}>
      {(['ru', 'en'] as const).map((l) => (
        <button key={l} type="button" className={l === lang ? 'lang-btn active' : 'lang-btn'} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {STRINGS[l].languageName}
        </button>
      ))}
    </div>
  );
}

function NeedToken() {
  const { t } = useT();
  return (
    <div className="app">
      <header className="top">
        <div className="brand">Billing Bridge</div>
        <LanguageSwitch />
      </header>
      <main className="main">
        <div className="screen narrow" data-testid="need-token">
          <h1>{t.token.title}</h1>
          <p>{t.token.explain}</p>
          <p className="mono">http://127.0.0.1:8081/#token=…</p>
          <p className="muted">{t.token.where}</p>
        </div>
      </main>
    </div>
  );
}
