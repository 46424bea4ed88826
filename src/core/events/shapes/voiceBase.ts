import { textField, urlField, type JsonObject } from './fields';

/** One VoiceBase v3 media stream: `{ streamName, streamLocation }`, inside `streams[]` of a media result. */
export interface VoiceBaseStream {
  url: string;
  /** The real name of the `streamLocation` field. */
  urlField: string;
  streamName?: string;
}

/** Reads a VoiceBase stream object; undefined unless `streamLocation` is an http(s) URL. */
export function readVoiceBaseStream(value: JsonObject): VoiceBaseStream | undefined {
  const location = urlField(value, 'streamLocation');
  if (!location) {
    return undefined;
  }
  return { url: location.value, urlField: location.name, streamName: textField(value, 'streamName') ?? textField(value, 'name') };
}

/**
 * Whether an object is an upload target (`{ url, method: "PUT" }`: a VoiceBase
 * callback, a presigned PUT result): where a file goes, not a file to fetch (a
 * GET on a URL signed for PUT is refused). Returns the URL field's real name.
 */
export function uploadTargetUrlField(value: JsonObject): string | undefined {
  const method = textField(value, 'method');
  const url = urlField(value, 'url');
  return url && method && method.toUpperCase() !== 'GET' ? url.name : undefined;
}
