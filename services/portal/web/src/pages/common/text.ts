// The words of a role's pages, Chinese first, in the dictionary's shape: they come with the role's
// lazy chunk (a resident's phone never downloads a desk's words) and are registered with the
// dictionary when the chunk loads, so refusals of the role's services are translated by code
// (`code.<code>`, `code.<code>.title`, `code.<code>.next`, `hint.<field>.<code>`) and their fields named
// (`field.<path>`) like every other refusal.
import { useCallback } from 'react';
import { useApp } from '../../lib/context';
import { registerMessages, type Messages } from '../../lib/dictionary';

/** Registers a table of words and returns it, typed by its keys. */
export function defineMessages<M extends Messages>(messages: M): M {
  registerMessages(messages);
  return messages;
}

/** The text of one key in the language picked; `{name}` placeholders filled from `vars`. */
export function useText<M extends Messages>(messages: M) {
  const { lang } = useApp();
  return useCallback(
    (key: keyof M & string, vars?: Record<string, string | number>) => {
      let text = messages[key]![lang === 'zh' ? 0 : 1];
      for (const [name, value] of Object.entries(vars ?? {}))
        text = text.replaceAll(`{${name}}`, String(value));
      return text;
    },
    [lang, messages],
  );
}
