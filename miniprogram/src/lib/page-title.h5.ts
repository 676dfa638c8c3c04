/**
 * H5: Taro's router writes a title given to setNavigationBarTitle into its bar with innerHTML, and
 * our titles are payees and village names typed by people. So the title is set as text here:
 * the tab title, and the router's bar (hidden on our pages) if it exists.
 */
export function setPageTitle(title: string): void {
  const g = globalThis as unknown as { document?: { title: string; querySelector(sel: string): { textContent: string | null } | null } }
  if (!g.document) return
  g.document.title = title
  const bar = g.document.querySelector('.taro-navigation-bar-title')
  if (bar) bar.textContent = title
}
