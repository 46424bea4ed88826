import { parallelDefaults, type ParallelOptions } from './options';

const MiB = 1024 * 1024;

/** The download settings as a user states them (VS Code settings, CLI options); missing ones take the defaults. */
export interface DownloadSettings {
  /** `fetch.parallelThresholdMegabytes`: objects at least this large are fetched in ranges. */
  parallelThresholdMegabytes?: number;
  /** `fetch.connections`: ranges at once; 1 turns ranged downloads off. */
  connections?: number;
  /** `fetch.partSizeMegabytes`: the smallest range (ranges are this to twice this). */
  partSizeMegabytes?: number;
}

/** The settings as the engine's `parallel` option, with out-of-range values brought back into range. */
export function parallelFromSettings(settings: DownloadSettings): ParallelOptions {
  const whole = (value: number | undefined, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
  return {
    thresholdBytes: whole(settings.parallelThresholdMegabytes, parallelDefaults.thresholdBytes / MiB, 1, 1024 * 1024) * MiB,
    connections: whole(settings.connections, parallelDefaults.connections, 1, 32),
    partBytes: whole(settings.partSizeMegabytes, parallelDefaults.partBytes / MiB, 1, 1024) * MiB,
  };
}
