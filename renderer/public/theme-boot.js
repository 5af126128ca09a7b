// Runs in <head>, before the first paint: the theme last chosen (remembered by the app in
// localStorage), so a dark choice on a light system never flashes light while the app loads.
// A file of its own, not inline: the page's CSP allows scripts from 'self' only.
try {
  const theme = localStorage.getItem('sessiondeck-theme');
  const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
} catch {
  // No storage (a locked-down profile): the app applies the theme once its settings arrive.
}
