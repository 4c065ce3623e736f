// Sign-in: email and password into a server-side session (an HttpOnly cookie). A locked account's
// 429 says when to try again; a wrong password says no more than that (nor whether the email exists).
import { ApiError } from '../api/client';
import { field, h, say, status } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { signIn } from '../session';
import { languageButton } from '../shell';

const page: PageFactory = async ({ query, navigate }) => {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, 'data-testid': 'sign-in-email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'sign-in-password' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'sign-in-submit' }, t('signIn.submit'));
  const line = status('sign-in-status');
  const form = h('form', {
    class: 'sign-in', 'data-testid': 'sign-in-form', 'aria-labelledby': 'sign-in-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      submit.disabled = true;
      say(line, t('signIn.busy'));
      try {
        await signIn(email.value.trim(), password.value);
        const next = query.get('next');
        navigate(next && !next.startsWith('sign-in') ? next : 'journeys');
      } catch (err) {
        password.value = '';
        if (err instanceof ApiError && err.status === 429) {
          say(line, t('signIn.locked', { seconds: err.retryAfter ?? 60 }), 'error');
        } else if (err instanceof ApiError && err.status === 401) {
          say(line, t('signIn.wrong'), 'error');
        } else {
          say(line, err instanceof Error ? err.message : String(err), 'error');
        }
        password.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('h1', { id: 'sign-in-title' }, t('signIn.title')),
  field(t('signIn.email'), email),
  field(t('signIn.password'), password),
  submit,
  line);
  const element = h('div', { class: 'sign-in-page' },
    h('div', { class: 'sign-in-top' }, h('span', { class: 'brand' }, 'Siyu 私域'), languageButton(() => navigate(`sign-in${location.search}`))),
    form);
  return { element, title: t('signIn.title'), shown: () => email.focus() };
};

export default page;
