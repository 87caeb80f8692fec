import { prefersHtml } from './serve-console';

describe('prefersHtml: the console page for what a browser navigates to, JSON (the api) for the rest', () => {
  // Each case as Express's request.accepts(['json', 'html']) decided it.
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['text/html', true],
    ['TEXT/HTML', true],
    ['application/json', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['application/json, text/html', false],
    ['text/html, application/json', true],
    ['text/*', true],
    ['text/*, application/*', true],
    ['application/*, text/*', false],
    ['*/html', true],
    ['text/html;q=0', false],
    ['text/html;q=abc', false],
    ['text/html;q=0.5, application/json;q=0.4', true],
    ['application/json;q=0.9, text/*;q=0.9', false],
    ['text/*;q=0.9, application/json;q=0.9', false],
    ['*/*;q=0.5, text/html;q=0.5', true],
    ['application/json;q=0, */*', true],
    ['text/html;level=1', false],
    ['text/html;level=1, */*;q=0.1', false],
    ['text/plain', false],
    ['image/png', false],
  ])('Accept: %p → %p', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});
