/**
 * The task pane. Components get the state and the actions as props and never call Excel.run,
 * so the pane can be rendered and tested in a browser without Office.
 */
import {
  Badge,
  Button,
  Divider,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, useSyncExternalStore } from 'react';
import { SEVERITY_LABEL, type Severity } from '../../shared/issues/catalogue';
import type { Issue } from '../../shared/issues/issue';
import { issueTarget } from '../plan/issue-sheet';
import { buildConfig, type SignInMode } from '../auth/config';
import { isOffice, type AddinState, type Store } from '../state/store';

export interface Actions {
  validate(): Promise<unknown>;
  determine(): Promise<unknown>;
  submit(): Promise<unknown>;
  uploadReference(): Promise<unknown>;
  consolidate(): Promise<unknown>;
  /** Office: the pilot's ledger (opened), brief or report (downloaded). */
  pilotOutput(kind: 'plan' | 'ledger' | 'brief' | 'report'): Promise<unknown>;
  select(issue: Issue): Promise<unknown>;
  clear(): Promise<unknown>;
  signIn(input?: string): Promise<unknown>;
  /** Cancels the service call the running task waits for. */
  cancel(): void;
}

/** At most this many issues are listed in the pane; 问题清单 has them all. */
export const MAX_LISTED = 300;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '10px', padding: '12px', fontFamily: tokens.fontFamilyBase },
  row: { display: 'flex', flexWrap: 'wrap', gap: '6px', alignItems: 'center' },
  list: { display: 'flex', flexDirection: 'column', gap: '2px', maxHeight: '45vh', overflowY: 'auto', listStyleType: 'none', margin: 0, padding: 0 },
  toggle: { alignSelf: 'flex-start' },
  item: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    background: 'transparent',
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    padding: '4px 6px',
    cursor: 'pointer',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  small: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

const SEVERITY_COLOR: Record<Severity, 'danger' | 'warning' | 'informative'> = { error: 'danger', warning: 'warning', info: 'informative' };

const DEV_LABEL: Record<Exclude<SignInMode, 'entra'>, { field: string; secret: boolean }> = {
  'dev-keys': { field: '开发密钥（仅本地开发版）', secret: true },
  'dev-issuer': { field: '开发登录角色（仅测试版，如 department.industry）', secret: false },
};

/** Sign-in: one button for the work account; a development build also has its typed key or role (kept in memory only). */
export function SignIn({ mode, busy, signedIn, onSignIn }: { mode: SignInMode; busy: boolean; signedIn: boolean; onSignIn(input?: string): void }) {
  const [draft, setDraft] = useState('');
  const dev = mode === 'entra' ? null : DEV_LABEL[mode];
  return (
    <form
      data-testid="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        onSignIn(dev ? draft.trim() : undefined);
      }}
      style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
    >
      {dev && (
        <Field label={dev.field}>
          <Input type={dev.secret ? 'password' : 'text'} autoComplete="off" value={draft} onChange={(_, d) => setDraft(d.value)} data-testid="dev-credential" />
        </Field>
      )}
      <div>
        <Button type="submit" appearance={signedIn ? 'secondary' : 'primary'} disabled={busy} data-testid="sign-in-button">
          {mode === 'entra' ? (signedIn ? '重新登录' : '用工作账号登录') : '开发登录'}
        </Button>
      </div>
    </form>
  );
}

/** The issues as a real list: each item holds a button named by its visible text; the hint is its description. */
export function IssueList({ issues, form, onSelect }: { issues: readonly Issue[]; form: AddinState['form']; onSelect(i: Issue): void }) {
  const s = useStyles();
  const [open, setOpen] = useState(true);
  if (issues.length === 0) return null;
  const shown = issues.slice(0, MAX_LISTED);
  return (
    <>
      <Button className={s.toggle} appearance="subtle" aria-expanded={open} aria-controls="issue-list" onClick={() => setOpen(!open)} data-testid="issue-toggle">
        {open ? '▾' : '▸'} 问题列表（{issues.length}条）
      </Button>
      {open && (
        <ul id="issue-list" className={s.list} aria-label="问题列表" data-testid="issue-list">
          {shown.map((i, k) => {
            const cell = issueTarget(i, form?.firstCol ?? 1, form?.headerRow);
            const where = cell ?? (i.parcelId ? `宗地${i.parcelId}` : '整表');
            return (
              <li key={k}>
                <button type="button" className={s.item} onClick={() => onSelect(i)} data-testid="issue" data-cell={cell ?? ''} aria-describedby={`issue-hint-${k}`}>
                  <Badge color={SEVERITY_COLOR[i.severity]} appearance="tint" size="small">
                    {SEVERITY_LABEL[i.severity]}
                  </Badge>{' '}
                  <Text weight="semibold">{where}</Text> <Text>{i.message}</Text>
                </button>
                <span id={`issue-hint-${k}`} hidden>
                  {i.hint}
                </span>
              </li>
            );
          })}
          {issues.length > MAX_LISTED && (
            <li>
              <Text className={s.small}>仅列出前{MAX_LISTED}条，完整列表见“问题清单”工作表（共{issues.length}条）</Text>
            </li>
          )}
        </ul>
      )}
    </>
  );
}

export function Counts({ counts }: { counts: AddinState['counts'] }) {
  const s = useStyles();
  return (
    <div className={s.row} data-testid="counts">
      {(['error', 'warning', 'info'] as Severity[]).map((sev) => (
        <Badge key={sev} color={SEVERITY_COLOR[sev]} size="large" data-testid={`count-${sev}`} data-count={counts[sev]}>
          {SEVERITY_LABEL[sev]} {counts[sev]}
        </Badge>
      ))}
    </div>
  );
}

export function App({ store, actions, signInMode = buildConfig().signIn }: { store: Store; actions: Actions; signInMode?: SignInMode }) {
  const s = useStyles();
  const st = useSyncExternalStore(store.subscribe, store.get);
  const busy = st.busy !== null;
  const office = isOffice(st);
  return (
    <div className={s.root}>
      <Text as="h1" size={500} weight="semibold">
        低效用地调查认定
      </Text>
      {st.unit && (
        <Text className={s.small} data-testid="unit">
          本单位：{st.unit}
          {office ? '（汇总单位）' : ''}
        </Text>
      )}
      <div className={s.row}>
        <Text data-testid="form">{st.form ? `当前表：${st.form.title}（${st.sheet}）` : st.sheet ? `工作表“${st.sheet}”未识别为标准表` : '尚未校验'}</Text>
      </div>
      <div className={s.row}>
        <Button appearance="primary" disabled={busy} onClick={() => void actions.validate()} data-testid="validate">
          校验
        </Button>
        <Button disabled={busy} onClick={() => void actions.determine()} data-testid="determine">
          认定
        </Button>
        <Button disabled={busy} onClick={() => void actions.submit()} data-testid="submit">
          提交
        </Button>
        <Button disabled={busy} onClick={() => void actions.clear()} data-testid="clear">
          清除标记
        </Button>
      </div>
      {office && (
        <div className={s.row}>
          <Button disabled={busy} onClick={() => void actions.uploadReference()} data-testid="upload-reference">
            上传参考数据
          </Button>
          <Button disabled={busy} onClick={() => void actions.consolidate()} data-testid="consolidate">
            汇总
          </Button>
        </div>
      )}
      {office && (
        <div className={s.row} role="group" aria-label="试点项目">
          <Button disabled={busy} onClick={() => void actions.pilotOutput('plan')} data-testid="pilot-plan">
            生成年度计划
          </Button>
          <Button disabled={busy} onClick={() => void actions.pilotOutput('ledger')} data-testid="pilot-ledger">
            生成台账
          </Button>
          <Button disabled={busy} onClick={() => void actions.pilotOutput('brief')} data-testid="pilot-brief">
            生成简报
          </Button>
          <Button disabled={busy} onClick={() => void actions.pilotOutput('report')} data-testid="pilot-report">
            生成进展报告
          </Button>
        </div>
      )}
      {st.busy && (
        <div className={s.row}>
          <Field style={{ flex: 1 }} validationMessage={st.busy.waiting ? `正在${st.busy.label}：等待服务处理…` : `正在${st.busy.label}…`} validationState="none">
            {/* no value = indeterminate: while the service works nobody knows how far it is */}
            <ProgressBar aria-label={`${st.busy.label}进度`} value={st.busy.waiting ? undefined : (st.busy.progress ?? undefined)} data-testid="progress" data-waiting={st.busy.waiting ? 'true' : 'false'} />
          </Field>
          {st.busy.waiting && (
            <Button size="small" onClick={() => actions.cancel()} data-testid="cancel">
              取消
            </Button>
          )}
        </div>
      )}
      {st.message && (
        <MessageBar intent={st.message.intent} data-testid="message" data-intent={st.message.intent}>
          <MessageBarBody>{st.message.text}</MessageBarBody>
        </MessageBar>
      )}
      {st.receipt && (
        <Text className={s.small} data-testid="receipt">
          回执：{st.receipt.time}　SHA-256：{st.receipt.hash}
        </Text>
      )}
      <Counts counts={st.counts} />
      <IssueList issues={st.issues} form={st.form} onSelect={(i) => void actions.select(i)} />
      <Divider />
      <SignIn mode={signInMode} busy={busy} signedIn={st.unit !== null} onSignIn={(x) => void actions.signIn(x)} />
    </div>
  );
}
