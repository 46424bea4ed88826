/** "512 B", "3.4 KB", "120 MB", "1.2 GB": binary units, one decimal below 10. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) {
    return '';
  }
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 45) {
    return 'just now';
  }
  const min = Math.round(s / 60);
  if (min < 60) {
    return `${min} min ago`;
  }
  const h = Math.floor(min / 60);
  if (h < 48) {
    return `${h} h ago`;
  }
  return `${Math.floor(h / 24)} d ago`;
}
