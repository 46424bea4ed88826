import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseContentDisposition } from 'content-disposition';
import sanitize from 'sanitize-filename';

/**
 * Longest file name we produce, in UTF-8 bytes, before ` (n)` and `.part` are
 * added; file systems allow 255.
 */
const maxNameBytes = 200;

const windowsReserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) {
      break;
    }
    out += ch;
    bytes += n;
  }
  return out;
}

/** Splits `name.ext` into stem and extension (`.ext`, at most 16 characters; none for dot-files). */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > 17) {
    return { stem: name, ext: '' };
  }
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/**
 * Turns a name from an object key, a URL or a `Content-Disposition` header
 * into a safe file name for the target folder: only the last path segment
 * (so `../../x` and `/etc/passwd` cannot leave it), no control or reserved
 * characters, no Windows device names (`con` → `_con`), no trailing dots or
 * spaces, at most 200 UTF-8 bytes with the extension kept. Never empty:
 * `fallback` (itself sanitised) or `download` is used instead.
 */
export function sanitizeFileName(raw: string | undefined, fallback = 'download'): string {
  const lastSegment = (raw ?? '').split(/[/\\]/).filter((s) => s !== '').pop() ?? '';
  let name = lastSegment
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .replace(/[. ]+$/, '');
  if (windowsReserved.test(name)) {
    name = `_${name}`;
  }
  if (Buffer.byteLength(name) > maxNameBytes) {
    const { stem, ext } = splitExtension(name);
    name = truncateUtf8(stem, maxNameBytes - Buffer.byteLength(ext)).replace(/[. ]+$/, '') + ext;
  }
  name = sanitize(name, { replacement: '_' });
  name = name.replace(/^[. ]+$/, '').replace(/[. ]+$/, '');
  if (name === '' || name === '_') {
    return raw === fallback ? 'download' : sanitizeFileName(fallback, 'download');
  }
  return name;
}

/** The file name a `Content-Disposition` header proposes (`filename*` preferred), if any. */
export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) {
    return undefined;
  }
  try {
    const name = parseContentDisposition(header).parameters.filename;
    return name && name.trim() !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** `name.ext`, `name (1).ext`, `name (2).ext`, … */
export function numberedName(name: string, n: number): string {
  if (n === 0) {
    return name;
  }
  const { stem, ext } = splitExtension(name);
  return `${stem} (${n})${ext}`;
}

const maxNumbered = 10_000;

/**
 * Creates a new empty file `<name><suffix>` in the folder, or ` (1)`, ` (2)`…
 * when taken, atomically (`wx`), and returns its path. Used for `.part` files
 * so that two downloads of the same name never share one.
 */
export async function createUniqueFile(folder: string, name: string, suffix = ''): Promise<string> {
  for (let n = 0; n < maxNumbered; n++) {
    const candidate = join(folder, numberedName(name, n) + suffix);
    try {
      const handle = await open(candidate, 'wx');
      await handle.close();
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
    }
  }
  throw new Error(`Too many files named like ${name} in ${folder}.`);
}

/**
 * Moves a finished `.part` file to `name` in the folder without ever replacing
 * an existing file: a hard link fails atomically when the name is taken, and
 * then ` (1)`, ` (2)`… are tried. Returns the final path.
 */
export async function moveIntoPlace(partPath: string, folder: string, name: string): Promise<string> {
  for (let n = 0; n < maxNumbered; n++) {
    const candidate = join(folder, numberedName(name, n));
    try {
      await link(partPath, candidate);
      await unlink(partPath);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        continue;
      }
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') {
        // No hard links here (some network and FAT file systems): reserve the name, then rename over our own placeholder.
        const reserved = await createUniqueFile(folder, name);
        await rename(partPath, reserved);
        return reserved;
      }
      throw err;
    }
  }
  throw new Error(`Too many files named like ${name} in ${folder}.`);
}
