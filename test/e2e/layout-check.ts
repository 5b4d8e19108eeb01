import type { Page } from '@playwright/test';

/**
 * What a person would call a broken layout, measured in the page: horizontal scrolling, boxes
 * whose content sticks out, buttons cut off by the window or their box, text clipped without a
 * way to read it in full, words broken letter by letter, text squeezed to one word per line.
 * Returns one readable line per problem (empty when the screen is fine).
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const tolerance = 1;
    const viewportWidth = document.documentElement.clientWidth;

    const describe = (el: Element): string => {
      const classes = [...el.classList].slice(0, 2).map((c) => `.${c}`).join('');
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${classes}>${text ? ` "${text}"` : ''}`;
    };
    const visible = (el: Element): boolean => {
      if (el.getClientRects().length === 0) return false;
      const style = getComputedStyle(el);
      return style.visibility !== 'hidden' && style.display !== 'none';
    };
    const all = (selector: string): Element[] => [...document.querySelectorAll(selector)].filter(visible);

    if (document.documentElement.scrollWidth > viewportWidth + tolerance) {
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px content in ${viewportWidth}px)`);
    }

    // Boxes whose content is wider than they are: sideways scrolling or content sticking out.
    const boxes = '.content, .screen, .card, .link-layout, .link-details, .actions, .history-table-wrap, .history-header, '
      + '.history-footer, .form-footer, dialog, .row-menu-list, .email-text, .customer-display, .env-choice, .field, .notice, td, th';
    for (const box of all(boxes)) {
      if (box.scrollWidth > box.clientWidth + tolerance) {
        problems.push(`${describe(box)} is ${box.scrollWidth - box.clientWidth}px too narrow for its content`);
      }
    }
    for (const el of all('.content *, dialog *')) {
      const style = getComputedStyle(el);
      if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + tolerance) {
        problems.push(`${describe(el)} scrolls sideways`);
      }
    }

    // Buttons: inside the window, inside every box that clips them, inside their card or group.
    const container = '.card, dialog, .actions, .row-menu-list, .history-header, .form-footer, .notice, td, .segmented, .screen';
    for (const button of all('button, summary, [role="button"], [role="menuitem"], a.button')) {
      const rect = button.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.left < -tolerance || rect.right > viewportWidth + tolerance) {
        problems.push(`${describe(button)} is outside the window (${Math.round(rect.left)}–${Math.round(rect.right)}px of ${viewportWidth}px)`);
      }
      const box = button.parentElement?.closest(container);
      if (box) {
        const outer = box.getBoundingClientRect();
        const out = Math.max(outer.left - rect.left, rect.right - outer.right, outer.top - rect.top, rect.bottom - outer.bottom);
        if (out > tolerance) problems.push(`${describe(button)} sticks out of ${describe(box)} by ${Math.round(out)}px`);
      }
      for (let clip = button.parentElement; clip; clip = clip.parentElement) {
        const style = getComputedStyle(clip);
        const clipsX = style.overflowX !== 'visible';
        // A vertically scrolling box only hides what is scrolled away, which the person can scroll to.
        const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
        if (!clipsX && !clipsY) continue;
        const outer = clip.getBoundingClientRect();
        const outX = Math.max(outer.left - rect.left, rect.right - outer.right);
        const outY = Math.max(outer.top - rect.top, rect.bottom - outer.bottom);
        if ((clipsX && outX > tolerance) || (clipsY && outY > tolerance)) {
          problems.push(`${describe(button)} is cut off by ${describe(clip)}`);
          break;
        }
      }
      if (button.scrollWidth > button.clientWidth + tolerance) problems.push(`${describe(button)} does not fit its label`);
    }

    // Clipped text: an ellipsis needs the full text in a title; other clipping hides it for good.
    for (const el of all('.content *, dialog *, .customer-display *')) {
      if (el.scrollWidth <= el.clientWidth + tolerance) continue;
      const style = getComputedStyle(el);
      if (style.overflowX === 'visible' || style.overflowX === 'auto' || style.overflowX === 'scroll') continue;
      if (el.tagName === 'svg' || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') continue;
      const full = (el.textContent ?? '').trim();
      if (!full) continue;
      if (style.textOverflow === 'ellipsis') {
        const titled = el.closest('[title]')?.getAttribute('title') ?? '';
        if (!titled.includes(full.slice(0, 20))) problems.push(`${describe(el)} is cut with "…" and has no title with the full text`);
      } else {
        problems.push(`${describe(el)} hides part of its text`);
      }
    }

    // Words broken mid-word (a long URL or e-mail address may break; a word must not).
    const word = /^[\p{L}]{2,24}[.,:;!?)]*$/u;
    const scope = document.querySelector('dialog[open]') ?? document.body;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    const reported = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || reported.has(parent) || !visible(parent) || parent.closest('[aria-hidden="true"], .print-sheet, option, script, style')) continue;
      const text = node.textContent ?? '';
      const re = /\S+/g;
      for (let match = re.exec(text); match; match = re.exec(text)) {
        if (!word.test(match[0])) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        // Lines hidden by a line clamp are not seen, so they do not count.
        const shown = getComputedStyle(parent).overflowY === 'hidden' ? parent.getBoundingClientRect() : null;
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && (!shown || r.bottom <= shown.bottom + tolerance));
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        if (tops.size > 1) {
          problems.push(`the word "${match[0]}" in ${describe(parent)} is broken over ${tops.size} lines`);
          reported.add(parent);
          break;
        }
      }
    }

    // Text squeezed into a column so narrow that it reads about one word per line.
    for (const el of all('.content p, .content span, .content label, .content th, .content h1, .content h2, .content h3, dialog p, dialog label')) {
      if ([...el.childNodes].some((n) => n.nodeType !== Node.TEXT_NODE)) continue;
      const text = (el.textContent ?? '').trim();
      if (text.length < 24) continue;
      const style = getComputedStyle(el);
      if (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '') {
        // Clamped to a few lines: fine when the full text is in a title.
        if (el.scrollHeight > el.clientHeight + tolerance && !(el.closest('[title]')?.getAttribute('title') ?? '').includes(text.slice(0, 20))) {
          problems.push(`${describe(el)} is cut after ${style.webkitLineClamp} lines and has no title with the full text`);
        }
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      if (lines >= 3 && text.length / lines < 16) problems.push(`${describe(el)} wraps to ${lines} lines of ${Math.round(text.length / lines)} characters`);
    }
    return problems;
  });
}
